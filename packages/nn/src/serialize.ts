/**
 * Save/load format of a NeuralNetwork (version 1), plain JSON:
 *
 * ```
 * { format: 'smolml-network', version: 1,
 *   layers: [{ type: 'dense', inputSize, outputSize, activation, weights, biases }],
 *   loss: 'mseLoss',                              // the loss registry name
 *   optimizer: { type, config, state } | null }   // from the optimizer's toJSON(params)
 * ```
 * `weights` are the rows of the `(inputSize, outputSize)` matrix, `biases` the `outputSize`
 * values. Numbers are plain JSON numbers: JavaScript prints the shortest decimal that parses
 * back to the same float64, so weights round-trip exactly (only -0 comes back as 0, which
 * compares equal). NaN and Infinity have no JSON form, so saving refuses them instead of
 * letting JSON.stringify turn them into null.
 *
 * A custom activation or loss is saved as `custom:<function name>`, and the optimizer as `null`
 * when it is not one of @smolml/optim's (or when saved with `{ optimizer: false }`); loading
 * such a model needs them passed in FromJSONOptions.
 */
import { type LossFunction, type MLArray, type Optimizer, SmolMLError, ValueError } from '@smolml/core';
import { Zeros } from '@smolml/init';
import { getLoss, lossName } from '@smolml/losses';
import { type OptimizerJSON, type SerializableOptimizer, isSerializableOptimizer, optimizerFromJSON } from '@smolml/optim';
import { type Activation, activations, isActivationName } from './activations.js';
import { DenseLayer } from './layers/dense.js';

export const FORMAT = 'smolml-network';
export const VERSION = 1;

export interface DenseLayerJSON {
  type: 'dense';
  inputSize: number;
  outputSize: number;
  /** A built-in activation name, or `custom:<name>`. */
  activation: string;
  /** `inputSize` rows of `outputSize` numbers. */
  weights: number[][];
  /** `outputSize` numbers. */
  biases: number[];
}

export interface NetworkJSON {
  format: typeof FORMAT;
  version: typeof VERSION;
  layers: DenseLayerJSON[];
  /** A loss registry name (see @smolml/losses), or `custom:<name>`. */
  loss: string;
  /** The optimizer's configuration and per-parameter state, or null for an optimizer without toJSON. */
  optimizer: OptimizerJSON | null;
}

export interface FromJSONOptions {
  /** The loss to use (required when the model was saved with a custom loss; overrides the saved one). */
  loss?: LossFunction;
  /** The optimizer to use instead of the saved one (required when none was saved); its state starts fresh. */
  optimizer?: Optimizer;
  /** Custom activations by name, for layers saved as `custom:<name>`. */
  activations?: Record<string, Activation>;
}

interface Serializable {
  readonly layers: readonly DenseLayer[];
  readonly lossFunction: LossFunction;
  readonly optimizer: Optimizer;
  parameters(): MLArray[];
}

const CUSTOM = 'custom:';

/** Throws unless every number reachable from `v` is finite (JSON would turn NaN/Infinity into null). */
function assertJSONSafe(op: string, path: string, v: unknown): void {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new ValueError(`${op}: ${path} is ${v}, which JSON cannot represent; the model cannot be saved`);
  } else if (ArrayBuffer.isView(v)) {
    assertJSONSafe(op, path, Array.from(v as unknown as ArrayLike<number>));
  } else if (Array.isArray(v)) {
    v.forEach((x, i) => assertJSONSafe(op, `${path}[${i}]`, x));
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) assertJSONSafe(op, `${path}.${k}`, x);
  }
}

export interface ToJSONOptions {
  /** Save the optimizer's configuration and state (default true); false saves `optimizer: null`. */
  optimizer?: boolean;
}

/** The JSON-safe object of `NeuralNetwork.toJSON()`. */
export function networkToJSON(net: Serializable, options: ToJSONOptions = {}): NetworkJSON {
  const op = 'NeuralNetwork.toJSON';
  const layers = net.layers.map((l, i): DenseLayerJSON => {
    assertJSONSafe(op, `layer ${i} weights`, l.weights.data);
    assertJSONSafe(op, `layer ${i} biases`, l.biases.data);
    const builtIn = isActivationName(l.activationName) && activations[l.activationName] === l.activation;
    return {
      type: 'dense',
      inputSize: l.inputSize,
      outputSize: l.outputSize,
      activation: builtIn ? l.activationName : customName(l.activationName, l.activation),
      weights: l.weights.toArray() as number[][],
      biases: Array.from(l.biases.data),
    };
  });
  const name = lossName(net.lossFunction);
  let optimizer: OptimizerJSON | null = null;
  if (options.optimizer !== false && isSerializableOptimizer(net.optimizer)) {
    const o = net.optimizer.toJSON(net.parameters());
    assertJSONSafe(op, 'optimizer', o);
    // A deep, plain copy: nothing in the result aliases the optimizer's live state.
    optimizer = JSON.parse(JSON.stringify(o)) as OptimizerJSON;
  }
  return {
    format: FORMAT,
    version: VERSION,
    layers,
    loss: name ?? CUSTOM + (net.lossFunction.name || 'anonymous'),
    optimizer,
  };
}

function customName(name: string, fn: Activation): string {
  return name.startsWith(CUSTOM) ? name : CUSTOM + (fn.name || name || 'anonymous');
}

// ---- loading: validate everything, then construct ---------------------------------------

function fail(message: string): never {
  throw new ValueError(`NeuralNetwork.fromJSON: ${message}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function positiveInt(path: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) fail(`${path} must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

function finiteRow(path: string, v: unknown, length: number, data: Float64Array, offset: number): void {
  if (!Array.isArray(v)) fail(`${path} must be an array of ${length} numbers, got ${v === null ? 'null' : typeof v}`);
  if (v.length !== length) fail(`${path} has ${v.length} numbers, expected ${length}`);
  for (let j = 0; j < length; j++) {
    const x: unknown = v[j];
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${path}[${j}] must be a finite number, got ${JSON.stringify(x)}`);
    data[offset + j] = x;
  }
}

interface LayerSpec {
  inputSize: number;
  outputSize: number;
  activation: Activation;
  weights: Float64Array;
  biases: Float64Array;
}

function parseLayer(v: unknown, i: number, options: FromJSONOptions): LayerSpec {
  const at = `layers[${i}]`;
  if (!isObject(v)) fail(`${at} must be an object`);
  if (v.type !== 'dense') fail(`${at}.type is ${JSON.stringify(v.type)}; this version knows only 'dense' layers`);
  const inputSize = positiveInt(`${at}.inputSize`, v.inputSize);
  const outputSize = positiveInt(`${at}.outputSize`, v.outputSize);
  const name = v.activation;
  let activation: Activation;
  if (typeof name !== 'string') fail(`${at}.activation must be a string, got ${JSON.stringify(name)}`);
  if (name.startsWith(CUSTOM)) {
    const key = name.slice(CUSTOM.length);
    const fn = options.activations?.[key];
    if (typeof fn !== 'function') fail(`${at} uses the custom activation '${key}'; pass it: NeuralNetwork.fromJSON(json, { activations: { ${key} } })`);
    activation = fn;
  } else if (isActivationName(name)) {
    activation = activations[name];
  } else {
    fail(`${at}.activation ${JSON.stringify(name)} is unknown; valid names are: ${Object.keys(activations).join(', ')}`);
  }
  const weights = new Float64Array(inputSize * outputSize);
  if (!Array.isArray(v.weights) || v.weights.length !== inputSize) {
    fail(`${at}.weights must be an array of ${inputSize} rows (inputSize), got ${Array.isArray(v.weights) ? `${v.weights.length} rows` : JSON.stringify(v.weights)}`);
  }
  v.weights.forEach((row: unknown, r: number) => finiteRow(`${at}.weights[${r}]`, row, outputSize, weights, r * outputSize));
  const biases = new Float64Array(outputSize);
  finiteRow(`${at}.biases`, v.biases, outputSize, biases, 0);
  return { inputSize, outputSize, activation, weights, biases };
}

function parseLoss(v: unknown, options: FromJSONOptions): LossFunction {
  if (options.loss !== undefined) {
    if (typeof options.loss !== 'function') fail('options.loss must be a loss function');
    return options.loss;
  }
  if (typeof v !== 'string') fail(`loss must be a loss name, got ${JSON.stringify(v)}`);
  if (v.startsWith(CUSTOM)) fail(`the model was saved with the custom loss '${v.slice(CUSTOM.length)}'; pass it: NeuralNetwork.fromJSON(json, { loss })`);
  try {
    return getLoss(v);
  } catch (e) {
    return fail(`loss: ${(e as Error).message}`);
  }
}

/** The validated parts of a saved network; throws before building anything if any part is wrong. */
export function networkFromJSON(input: unknown, options: FromJSONOptions = {}): { layers: DenseLayer[]; lossFunction: LossFunction; optimizer: Optimizer } {
  let json = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input);
    } catch (e) {
      fail(`the text is not valid JSON (truncated or corrupted?): ${(e as Error).message}`);
    }
  }
  if (!isObject(json)) fail(`expected a saved network object, got ${json === null ? 'null' : typeof json}`);
  if (json.format !== FORMAT) fail(`not a smolml network: format is ${JSON.stringify(json.format)}, expected '${FORMAT}'`);
  if (json.version !== VERSION) fail(`unsupported version ${JSON.stringify(json.version)}; this @smolml/nn reads version ${VERSION}`);
  if (!Array.isArray(json.layers) || json.layers.length === 0) fail('layers must be a non-empty array');
  const specs = json.layers.map((l: unknown, i: number) => parseLayer(l, i, options));
  specs.forEach((s, i) => {
    const next = specs[i + 1];
    if (next !== undefined && next.inputSize !== s.outputSize) {
      fail(`layers[${i}] outputs ${s.outputSize} features but layers[${i + 1}] expects ${next.inputSize}`);
    }
  });
  const lossFunction = parseLoss(json.loss, options);
  if (json.optimizer !== null && !isObject(json.optimizer)) fail('optimizer must be an object { type, config, state } or null');
  if (json.optimizer === null && options.optimizer === undefined) {
    fail('the model was saved without optimizer state (custom optimizer); pass one: NeuralNetwork.fromJSON(json, { optimizer })');
  }

  const layers = specs.map((s) => {
    const layer = new DenseLayer(s.inputSize, s.outputSize, s.activation, new Zeros());
    layer.weights.data.set(s.weights);
    layer.biases.data.set(s.biases);
    return layer;
  });
  let optimizer: Optimizer;
  if (options.optimizer !== undefined) optimizer = options.optimizer;
  else {
    const saved = json.optimizer as unknown as OptimizerJSON;
    let restored: SerializableOptimizer;
    try {
      restored = optimizerFromJSON(saved, layers.flatMap((l) => l.parameters()));
    } catch (e) {
      if (e instanceof SmolMLError) fail(`optimizer: ${e.message}`);
      throw e;
    }
    optimizer = restored;
  }
  return { layers, lossFunction, optimizer };
}

