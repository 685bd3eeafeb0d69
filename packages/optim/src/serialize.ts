/**
 * Rebuilding an optimizer from `toJSON()`'s output: the right class, its hyperparameters (with a
 * built-in schedule rebuilt from its description) and its per-parameter state.
 */
import { ValueError, type MLArray } from '@smolml/core';
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
  if (json === null || typeof json !== 'object') throw new ValueError(`optimizerFromJSON: expected an object from optimizer.toJSON(params), got ${json === null ? 'null' : typeof json}`);
  const factory = typeof json.type === 'string' && Object.hasOwn(factories, json.type) ? factories[json.type]! : undefined;
  if (factory === undefined) {
    throw new ValueError(`optimizerFromJSON: unknown optimizer type ${JSON.stringify(json.type)}; known: ${Object.keys(factories).join(', ')}`);
  }
  const config = json.config;
  if (config === null || typeof config !== 'object' || Array.isArray(config)) throw new ValueError(`optimizerFromJSON: ${json.type} config must be an object`);
  const options: Record<string, unknown> = { ...config };
  if (config.lr !== null && typeof config.lr === 'object') options.lr = scheduleFromJSON(config.lr);
  const optimizer = factory(options);
  // toJSON writes every hyperparameter; one missing means damaged input, not "use the default".
  const missing = Object.keys(optimizer.config).filter((k) => !Object.hasOwn(config, k));
  if (missing.length > 0) throw new ValueError(`optimizerFromJSON: ${json.type} config lacks ${missing.join(', ')}; expected the output of toJSON(params)`);
  optimizer.loadState(params, json);
  return optimizer;
}
