/**
 * The layer registry: saved layer `type` → the function that rebuilds the layer. Built-in layers
 * have one entry each below; `registerLayer` adds custom ones, so a model holding them saves
 * and loads like any other. Lookups go through a Map, so no saved `type` can reach an inherited
 * property (`constructor`, `__proto__`).
 */
import { ValueError } from '@smolml/core';
import { clip, describeValue, didYouMean, isPlainObject } from '@smolml/core/internal';
import { type Layer, type LayerJSON, describeLayer, layerProblem } from '../layer.js';
import { Activation } from './activation.js';
import { AvgPool2D } from './avg-pool2d.js';
import { BatchNorm } from './batch-norm.js';
import { Conv2D } from './conv2d.js';
import { DenseLayer } from './dense.js';
import { Dropout } from './dropout.js';
import { Flatten } from './flatten.js';
import type { LayerFromJSON, LayerJSONContext } from './json.js';
import { LayerNorm } from './layer-norm.js';
import { MaxPool2D } from './max-pool2d.js';

const builtIn: ReadonlyMap<string, LayerFromJSON> = new Map<string, LayerFromJSON>([
  ['dense', DenseLayer.fromJSON],
  ['conv2d', Conv2D.fromJSON],
  ['maxPool2d', MaxPool2D.fromJSON],
  ['avgPool2d', AvgPool2D.fromJSON],
  ['flatten', Flatten.fromJSON],
  ['dropout', Dropout.fromJSON],
  ['batchNorm', BatchNorm.fromJSON],
  ['layerNorm', LayerNorm.fromJSON],
  ['activation', Activation.fromJSON],
]);

const registered = new Map<string, LayerFromJSON>();

/**
 * Lets models holding a custom layer load: `fromJSON(json)` gets what the layer's `toJSON()`
 * returned (and a context with `at`, the layer's place in the file, and `activation(name)`) and
 * returns the layer. Registering a type again replaces its function (so a module reloaded in a
 * notebook or a test runner can register again); the built-in types cannot be replaced.
 * @example
 * registerLayer('scale', (json, context) => new Scale(new LayerReader(json, context).integer('size')));
 */
export function registerLayer(type: string, fromJSON: (json: LayerJSON, context: LayerJSONContext) => Layer): void {
  if (typeof type !== 'string' || type.trim() === '' || type.length > 100) {
    throw new ValueError(`registerLayer: type must be a non-empty string of at most 100 characters, got ${describeValue(type)}`);
  }
  if (builtIn.has(type)) throw new ValueError(`registerLayer: '${type}' is a built-in layer type and cannot be replaced; give your layer another type`);
  if (typeof fromJSON !== 'function') throw new ValueError(`registerLayer: fromJSON must be a function (json) => Layer, got ${describeValue(fromJSON)}`);
  registered.set(type, fromJSON);
}

/**
 * Every layer type a saved model may hold: the built-in ones, then the registered ones.
 * @example
 * layerTypes(); // ['dense', 'conv2d', 'maxPool2d', ..., 'activation', ...your registered types]
 */
export function layerTypes(): string[] {
  return [...builtIn.keys(), ...registered.keys()];
}

function knownTypes(): string {
  const custom = [...registered.keys()];
  return `built-in: ${[...builtIn.keys()].join(', ')}; registered: ${custom.length === 0 ? 'none' : custom.map((t) => clip(t, 40)).join(', ')}`;
}

/**
 * Rebuilds the layer saved as `json` through its registry entry. Errors come out as ValueErrors
 * that name the layer's place in the file (a custom `fromJSON`'s own errors included, message
 * cut short, original as `cause`), and the result must be a layer of the saved type.
 */
export function layerFromJSON(json: unknown, context: LayerJSONContext): Layer {
  const { op, at } = context;
  if (!isPlainObject(json)) throw new ValueError(`${op}: ${at} must be an object { type, ... }, got ${describeValue(json)}`);
  const type = Object.hasOwn(json, 'type') ? json.type : undefined;
  if (typeof type !== 'string') throw new ValueError(`${op}: ${at}.type must be a layer type name, got ${describeValue(type)}`);
  const fromJSON = builtIn.get(type) ?? registered.get(type);
  if (fromJSON === undefined) {
    throw new ValueError(
      `${op}: ${at}.type ${describeValue(type)} is not a known layer type${didYouMean(type.slice(0, 64), layerTypes())} (${knownTypes()}); ` +
        `a custom layer must be registered before loading: registerLayer('${clip(type, 40)}', fromJSON)`,
    );
  }
  let layer: unknown;
  try {
    layer = fromJSON(json as LayerJSON, context);
  } catch (e) {
    // The readers' messages already say where; a constructor's or a custom fromJSON's get the place in front.
    if (e instanceof ValueError && e.message.startsWith(`${op}: `)) throw e;
    const message = e instanceof Error ? e.message : describeValue(e);
    throw new ValueError(`${op}: ${at} (type '${clip(type, 40)}'): ${clip(message, 300)}`, { cause: e });
  }
  const problem = layerProblem(layer);
  if (problem !== null) throw new ValueError(`${op}: ${at}: the fromJSON registered for '${clip(type, 40)}' did not return a layer: ${problem}`);
  const made = layer as Layer;
  if (made.type !== type) {
    throw new ValueError(`${op}: ${at}: the fromJSON registered for '${clip(type, 40)}' returned ${describeLayer(made)} of type ${describeValue(made.type)}`);
  }
  return made;
}
