/**
 * Rebuilding an optimizer from `toJSON()`'s output: the right class, its hyperparameters (with a
 * built-in schedule rebuilt from its description) and its per-parameter state.
 */
import { ValueError, type MLArray } from '@smolml/core';
import { clip, describeValue, didYouMean, isPlainObject, ownEntry } from '@smolml/core/internal';
import { Adam, AdamW } from './adam.js';
import { AdaGrad } from './adagrad.js';
import type { OptimizerJSON, SerializableOptimizer } from './base.js';
import { SGDMomentum } from './momentum.js';
import { RMSProp } from './rmsprop.js';
import { scheduleFromJSON } from './schedules.js';
import { SGD } from './sgd.js';

type Factory = (options: Record<string, unknown>) => SerializableOptimizer;

/** The optimizer classes `optimizerFromJSON` knows, by their `type`. */
const factories: Record<string, Factory> = {
  SGD: (o) => new SGD(o),
  SGDMomentum: (o) => new SGDMomentum(o),
  AdaGrad: (o) => new AdaGrad(o),
  RMSProp: (o) => new RMSProp(o),
  Adam: (o) => new Adam(o),
  AdamW: (o) => new AdamW(o),
};

/**
 * A new optimizer equal to the one that produced `json` = `optimizer.toJSON(params)`, with its
 * state attached to `params` (the same arrays, or ones of the same shapes, in the same order),
 * so training resumes exactly. Throws ValueError on malformed input.
 * @example
 * const saved = JSON.stringify(opt.toJSON(net.parameters()));
 * const opt2 = optimizerFromJSON(JSON.parse(saved), net.parameters());
 */
export function optimizerFromJSON(json: OptimizerJSON, params: readonly MLArray[]): SerializableOptimizer {
  const op = 'optimizerFromJSON';
  if (!isPlainObject(json)) throw new ValueError(`${op}: expected an object from optimizer.toJSON(params), got ${describeValue(json)}`);
  // own properties only: 'constructor', '__proto__' or 'toString' name no optimizer
  const factory = ownEntry(factories, json.type);
  if (factory === undefined) {
    const hint = typeof json.type === 'string' ? didYouMean(json.type, Object.keys(factories)) : '';
    throw new ValueError(`${op}: unknown optimizer type ${describeValue(json.type)}${hint}; known: ${Object.keys(factories).join(', ')}`);
  }
  const config: unknown = json.config;
  if (!isPlainObject(config)) throw new ValueError(`${op}: ${json.type} config must be an object, got ${describeValue(config)}`);
  // toJSON writes every hyperparameter as a number, a boolean or a schedule description. A null
  // (JSON's spelling of NaN and Infinity) or a missing key means damaged input, not "use the default".
  const nulls = Object.keys(config).filter((k) => config[k] === null);
  if (nulls.length > 0) throw new ValueError(`${op}: ${json.type} config has ${clip(nulls.join(', '))} = null; expected the output of toJSON(params)`);
  const options: Record<string, unknown> = { ...config };
  if (isPlainObject(config.lr)) options.lr = scheduleFromJSON(config.lr);
  const optimizer = factory(options);
  const missing = Object.keys(optimizer.config).filter((k) => !Object.hasOwn(config, k));
  if (missing.length > 0) throw new ValueError(`${op}: ${json.type} config lacks ${missing.join(', ')}; expected the output of toJSON(params)`);
  optimizer.loadState(params, json);
  return optimizer;
}
