/**
 * Save/load format of a NeuralNetwork (version 2), plain JSON:
 *
 * ```
 * { format: 'smolml-network', version: 2,
 *   inputShape: [1, 28, 28] | null,               // one sample's shape, when the network knows it
 *   layers: [layer.toJSON(), ...],                // each { type, ... }, rebuilt through the layer registry
 *   loss: 'mseLoss',                              // the loss registry name
 *   optimizer: { type, config, state } | null }   // from the optimizer's toJSON(params)
 * ```
 * Each layer saves what rebuilds it and resumes training: its configuration, its parameters
 * (flat, row-major; DenseLayer keeps version 1's rows), and its other state (BatchNorm's running
 * statistics, Dropout's random-number state). Version 1 (before issue 11: dense layers only, no
 * `inputShape`) has the same layer objects and still loads.
 *
 * Numbers are plain JSON numbers: JavaScript prints the shortest decimal that parses back to the
 * same float64, so weights round-trip exactly (only -0 comes back as 0, which compares equal).
 * NaN and Infinity have no JSON form, so saving refuses them instead of letting JSON.stringify
 * turn them into null.
 *
 * A custom activation or loss is saved as `custom:<function name>`, and the optimizer as `null`
 * when it is not one of @smolml/optim's (or when saved with `{ optimizer: false }`); loading
 * such a model needs them passed in FromJSONOptions. A custom layer's type must be registered
 * with `registerLayer` before loading.
 */
import { type LossFunction, type MLArray, type Optimizer, type Shape, SmolMLError, ValueError } from '@smolml/core';
import { checkOptions, clip, describeValue, isPlainObject } from '@smolml/core/internal';
import { getLoss, lossName } from '@smolml/losses';
import { type OptimizerJSON, isSerializableOptimizer, optimizerFromJSON } from '@smolml/optim';
import { type ActivationFunction, activationFromJSON } from './activations.js';
import { type Layer, type LayerJSON, describeLayer } from './layer.js';
import type { LayerJSONContext } from './layers/json.js';
import { layerFromJSON } from './layers/registry.js';
import { checkSampleShape, checkStack } from './stack.js';

/** The `format` field of a saved network. */
export const FORMAT = 'smolml-network';
/** The version of the format this package writes; it reads this one and every earlier one. */
export const VERSION = 2;

/**
 * A saved network: what `NeuralNetwork.toJSON()` returns and `NeuralNetwork.fromJSON` reads.
 * `J` is the type of the saved layers (`DenseLayerJSON` for a network of DenseLayers).
 */
export interface NetworkJSON<J extends object = LayerJSON> {
  format: typeof FORMAT;
  version: typeof VERSION;
  /** The shape of one sample (no batch axis) when the network was given or implies one, else null. */
  inputShape: number[] | null;
  /** Each layer's `toJSON()`. */
  layers: J[];
  /** A loss registry name (see @smolml/losses), or `custom:<name>`. */
  loss: string;
  /** The optimizer's configuration and per-parameter state, or null for an optimizer without toJSON. */
  optimizer: OptimizerJSON | null;
}

/** What a saved model cannot hold (custom functions), or what to use instead of the saved parts. */
export interface FromJSONOptions {
  /** The loss to use (required when the model was saved with a custom loss; overrides the saved one). */
  loss?: LossFunction | null;
  /** The optimizer to use instead of the saved one (required when none was saved); its state starts fresh. */
  optimizer?: Optimizer | null;
  /** Custom activations by name, for layers saved as `custom:<name>` (own properties only). */
  activations?: Record<string, ActivationFunction> | null;
}

interface Serializable {
  readonly layers: readonly Layer[];
  readonly inputShape: Shape | null;
  readonly lossFunction: LossFunction;
  readonly optimizer: Optimizer;
  parameters(): MLArray[];
}

const CUSTOM = 'custom:';

/** Deeper than any layer's JSON: a cycle or a hostile object, not data. */
const MAX_DEPTH = 32;

/**
 * A plain, JSON-safe deep copy of `v` (what a layer's or the optimizer's toJSON returned), so
 * nothing in a saved model aliases live state and JSON.stringify loses nothing: typed arrays
 * become arrays, NaN/Infinity (which JSON would write as null), functions, symbols, bigints,
 * class instances other than arrays, and cycles are refused with the path to them.
 */
function plainJSON(op: string, path: string, v: unknown, depth = 0): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new ValueError(`${op}: ${path} is ${v}, which JSON cannot represent; the model cannot be saved`);
    return v;
  }
  if (depth > MAX_DEPTH) throw new ValueError(`${op}: ${path} nests more than ${MAX_DEPTH} levels deep (a cycle?); the model cannot be saved`);
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return plainJSON(op, path, Array.from(v as unknown as ArrayLike<number>), depth);
  if (Array.isArray(v)) return v.map((x, i) => plainJSON(op, `${path}[${i}]`, x, depth + 1));
  if (isPlainObject(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v) as object | null)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (x !== undefined) Object.defineProperty(out, k, { value: plainJSON(op, `${path}.${clip(k, 40)}`, x, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  throw new ValueError(`${op}: ${path} is ${describeValue(v)}, which JSON cannot hold; toJSON must return plain objects, arrays, numbers, strings, booleans and null`);
}

/** Options of `NeuralNetwork.toJSON`. */
export interface ToJSONOptions {
  /** Save the optimizer's configuration and state (default true); false saves `optimizer: null`. */
  optimizer?: boolean;
}

/** The JSON-safe object of `NeuralNetwork.toJSON()`. */
export function networkToJSON(net: Serializable, options: ToJSONOptions = {}): NetworkJSON {
  const op = 'NeuralNetwork.toJSON';
  const layers = net.layers.map((layer, i): LayerJSON => {
    const json = plainJSON(op, `layers[${i}]`, layer.toJSON());
    if (!isPlainObject(json) || json.type !== layer.type) {
      throw new ValueError(`${op}: layers[${i}] (${describeLayer(layer)}): toJSON() must return an object whose type is the layer's type ${describeValue(layer.type)}, got ${describeValue(json)}`);
    }
    return json as LayerJSON;
  });
  const name = lossName(net.lossFunction);
  let optimizer: OptimizerJSON | null = null;
  if (options.optimizer !== false && isSerializableOptimizer(net.optimizer)) {
    // A deep, plain copy: nothing in the result aliases the optimizer's live state.
    optimizer = plainJSON(op, 'optimizer', net.optimizer.toJSON(net.parameters())) as OptimizerJSON;
  }
  return {
    format: FORMAT,
    version: VERSION,
    inputShape: net.inputShape === null ? null : [...net.inputShape],
    layers,
    loss: name ?? CUSTOM + (net.lossFunction.name || 'anonymous'),
    optimizer,
  };
}

// ---- loading: validate everything, then construct ---------------------------------------

const OPTION_KEYS = ['loss', 'optimizer', 'activations'];

const OP = 'NeuralNetwork.fromJSON';

function fail(message: string): never {
  throw new ValueError(`${OP}: ${message}`);
}

/** The versions this package reads. */
const READABLE = [1, 2];

function parseInputShape(v: unknown): Shape | null {
  return v === null ? null : checkSampleShape(OP, v);
}

function parseLoss(v: unknown, options: FromJSONOptions): LossFunction {
  if (options.loss != null) {
    if (typeof options.loss !== 'function') fail(`options.loss must be a loss function, got ${describeValue(options.loss)}`);
    return options.loss;
  }
  if (typeof v !== 'string') fail(`loss must be a loss name, got ${describeValue(v)}`);
  if (v.startsWith(CUSTOM)) fail(`the model was saved with the custom loss '${clip(v.slice(CUSTOM.length), 40)}'; pass it: NeuralNetwork.fromJSON(json, { loss })`);
  try {
    return getLoss(v, 'loss');
  } catch (e) {
    return fail((e as Error).message);
  }
}

/** Parses text input, with a hint for the usual mistakes: a file path, or JSON encoded twice. */
function parseText(text: string): unknown {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const t = text.trim();
    if (t !== '' && !/^[[{"]/.test(t) && /\.json$|[/\\]/i.test(t) && t.length < 4096) {
      fail(`got ${describeValue(t)}, which looks like a file path, not the model's JSON text: read the file first, e.g. NeuralNetwork.fromJSON(await readFile(path, 'utf8')) in Node or (await fetch(url)).json() in a browser`);
    }
    fail(`the text is not valid JSON (truncated or corrupted?): ${clip((e as Error).message, 200)}`);
  }
  if (typeof json === 'string') {
    fail('the text is JSON-encoded twice (JSON.stringify of a string that was already JSON): pass JSON.parse(text) instead, or save with JSON.stringify(net) once');
  }
  return json;
}

/** What a non-model object is, and what to pass instead. */
function notAModel(json: unknown): never {
  if (json !== null && typeof json === 'object' && typeof (json as { toJSON?: unknown }).toJSON === 'function' && 'layers' in json) {
    fail(`got a ${describeValue(json).split(' {')[0]}, not a saved model: to copy a network use NeuralNetwork.fromJSON(net.toJSON()) or NeuralNetwork.fromJSON(JSON.stringify(net))`);
  }
  if (!isPlainObject(json)) fail(`expected a saved network (the output of net.toJSON() or its JSON text), got ${describeValue(json)}`);
  fail(`not a smolml network: format is ${describeValue(json.format)}, expected '${FORMAT}'; pass the output of net.toJSON() or its JSON text`);
}

/** The validated parts of a saved network; throws before building the network if any part is wrong. */
export function networkFromJSON(
  input: unknown,
  opts?: FromJSONOptions | null,
): { layers: Layer[]; lossFunction: LossFunction; optimizer: Optimizer; inputShape: Shape | null } {
  const options = checkOptions<FromJSONOptions>(OP, opts, OPTION_KEYS);
  if (options.activations != null && !isPlainObject(options.activations)) {
    fail(`options.activations must be an object { name: function }, got ${describeValue(options.activations)}`);
  }
  const json = typeof input === 'string' ? parseText(input) : input;
  if (!isPlainObject(json) || json.format !== FORMAT) notAModel(json);
  if (!READABLE.includes(json.version as number)) fail(`unsupported version ${describeValue(json.version)}; this @smolml/nn reads versions ${READABLE.join(' and ')}`);
  if (json.version !== 1 && !Object.hasOwn(json, 'inputShape')) fail('inputShape is missing; version 2 saves it (null when unknown)');
  const inputShape = json.version === 1 ? null : parseInputShape(json.inputShape);
  if (!Array.isArray(json.layers) || json.layers.length === 0) fail(`layers must be a non-empty array, got ${describeValue(json.layers)}`);
  const lossFunction = parseLoss(json.loss, options);
  const custom = options.activations ?? {};
  const layers = json.layers.map((l: unknown, i: number) => {
    const context: LayerJSONContext = {
      op: OP,
      at: `layers[${i}]`,
      activation: (name, field = `layers[${i}].activation`) => activationFromJSON(OP, field, name, custom),
    };
    return layerFromJSON(l, context);
  });
  try {
    checkStack(OP, layers, inputShape);
  } catch (e) {
    if (!(e instanceof SmolMLError)) throw e;
    fail(`the saved layers do not fit together: ${e.message}`);
  }
  if (json.optimizer !== null && !isPlainObject(json.optimizer)) fail(`optimizer must be an object { type, config, state } or null, got ${describeValue(json.optimizer)}`);
  if (options.optimizer != null) {
    const o = options.optimizer;
    if (typeof o !== 'object' || typeof o.step !== 'function' || typeof o.zeroGrad !== 'function') {
      fail(`options.optimizer must have step(params) and zeroGrad(params), e.g. new Adam(); got ${describeValue(o)}`);
    }
    return { layers, lossFunction, optimizer: o, inputShape };
  }
  if (json.optimizer === null) fail('the model was saved without optimizer state (custom optimizer); pass one: NeuralNetwork.fromJSON(json, { optimizer })');
  try {
    return { layers, lossFunction, optimizer: optimizerFromJSON(json.optimizer as unknown as OptimizerJSON, layers.flatMap((l) => l.parameters())), inputShape };
  } catch (e) {
    if (e instanceof SmolMLError) fail(`optimizer: ${e.message}`);
    throw e;
  }
}
