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
import { checkInteger, checkOptions, clip, describeValue, didYouMean, isPlainObject, ownEntry } from '@smolml/core/internal';
import { Zeros } from '@smolml/init';
import { getLoss, lossName } from '@smolml/losses';
import { type OptimizerJSON, isSerializableOptimizer, optimizerFromJSON } from '@smolml/optim';
import { type Activation, activations, isActivationName } from './activations.js';
import { DenseLayer } from './layers/dense.js';

/** The `format` field of a saved network. */
export const FORMAT = 'smolml-network';
/** The version of the format this package writes and reads. */
export const VERSION = 1;

/** One dense layer of a saved network. */
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

/** A saved network: what `NeuralNetwork.toJSON()` returns and `NeuralNetwork.fromJSON` reads. */
export interface NetworkJSON {
  format: typeof FORMAT;
  version: typeof VERSION;
  layers: DenseLayerJSON[];
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
  activations?: Record<string, Activation> | null;
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

/** Options of `NeuralNetwork.toJSON`. */
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

/** The most numbers one layer may declare (2 GiB of float64): far above any model this library trains. */
export const MAX_LAYER_ELEMENTS = 2 ** 28;

const OPTION_KEYS = ['loss', 'optimizer', 'activations'];

const OP = 'NeuralNetwork.fromJSON';

function fail(message: string): never {
  throw new ValueError(`${OP}: ${message}`);
}

/** Checks that `v` is an array of `length` finite numbers, without copying anything. */
function checkRow(path: string, v: unknown, length: number): asserts v is number[] {
  if (!Array.isArray(v)) fail(`${path} must be an array of ${length} numbers, got ${describeValue(v)}`);
  if (v.length !== length) fail(`${path} has ${v.length} numbers, expected ${length}`);
  for (let j = 0; j < length; j++) {
    const x: unknown = v[j];
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${path}[${j}] must be a finite number, got ${describeValue(x)}`);
  }
}

interface LayerSpec {
  inputSize: number;
  outputSize: number;
  activation: Activation;
  /** Validated rows: `inputSize` arrays of `outputSize` finite numbers. */
  weights: number[][];
  biases: number[];
}

function parseActivation(at: string, name: unknown, options: FromJSONOptions): Activation {
  if (typeof name !== 'string') fail(`${at}.activation must be a string, got ${describeValue(name)}`);
  if (name.startsWith(CUSTOM)) {
    const key = name.slice(CUSTOM.length);
    const fn = ownEntry(options.activations ?? {}, key);
    if (typeof fn !== 'function') {
      const k = clip(key, 40);
      const entry = /^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}': fn`;
      fail(`${at} uses the custom activation '${k}'; pass it: NeuralNetwork.fromJSON(json, { activations: { ${entry} } })`);
    }
    return fn;
  }
  const fn = ownEntry<Activation>(activations, name);
  if (fn === undefined) fail(`${at}.activation ${describeValue(name)} is unknown${didYouMean(name.slice(0, 64), Object.keys(activations))}; valid names are: ${Object.keys(activations).join(', ')}`);
  return fn;
}

/**
 * One layer's description, checked against the data it carries before anything is allocated:
 * a declared size can only be as large as the arrays actually present (and MAX_LAYER_ELEMENTS).
 */
function parseLayer(v: unknown, i: number, options: FromJSONOptions): LayerSpec {
  const at = `layers[${i}]`;
  if (!isPlainObject(v)) fail(`${at} must be an object, got ${describeValue(v)}`);
  if (v.type !== 'dense') fail(`${at}.type is ${describeValue(v.type)}; this version knows only 'dense' layers`);
  const inputSize = checkInteger(OP, `${at}.inputSize`, v.inputSize);
  const outputSize = checkInteger(OP, `${at}.outputSize`, v.outputSize);
  if (inputSize * outputSize > MAX_LAYER_ELEMENTS) {
    fail(`${at} declares ${inputSize} x ${outputSize} weights, more than the ${MAX_LAYER_ELEMENTS} a layer may hold; the file is corrupted or not a smolml model`);
  }
  const activation = parseActivation(at, v.activation, options);
  const w: unknown = v.weights;
  if (!Array.isArray(w) || w.length !== inputSize) {
    fail(`${at}.weights must be an array of ${inputSize} rows (inputSize), got ${Array.isArray(w) ? `${w.length} rows` : describeValue(w)}`);
  }
  w.forEach((row: unknown, r: number) => checkRow(`${at}.weights[${r}]`, row, outputSize));
  checkRow(`${at}.biases`, v.biases, outputSize);
  return { inputSize, outputSize, activation, weights: w as number[][], biases: v.biases };
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

/** The validated parts of a saved network; throws before building anything if any part is wrong. */
export function networkFromJSON(input: unknown, opts?: FromJSONOptions | null): { layers: DenseLayer[]; lossFunction: LossFunction; optimizer: Optimizer } {
  const options = checkOptions<FromJSONOptions>(OP, opts, OPTION_KEYS);
  if (options.activations != null && !isPlainObject(options.activations)) {
    fail(`options.activations must be an object { name: function }, got ${describeValue(options.activations)}`);
  }
  const json = typeof input === 'string' ? parseText(input) : input;
  if (!isPlainObject(json) || json.format !== FORMAT) notAModel(json);
  if (json.version !== VERSION) fail(`unsupported version ${describeValue(json.version)}; this @smolml/nn reads version ${VERSION}`);
  if (!Array.isArray(json.layers) || json.layers.length === 0) fail(`layers must be a non-empty array, got ${describeValue(json.layers)}`);
  const specs = json.layers.map((l: unknown, i: number) => parseLayer(l, i, options));
  specs.forEach((s, i) => {
    const next = specs[i + 1];
    if (next !== undefined && next.inputSize !== s.outputSize) {
      fail(`layers[${i}] outputs ${s.outputSize} features but layers[${i + 1}] expects ${next.inputSize}`);
    }
  });
  const lossFunction = parseLoss(json.loss, options);
  if (json.optimizer !== null && !isPlainObject(json.optimizer)) fail(`optimizer must be an object { type, config, state } or null, got ${describeValue(json.optimizer)}`);
  if (options.optimizer != null) {
    const o = options.optimizer;
    if (typeof o !== 'object' || typeof o.step !== 'function' || typeof o.zeroGrad !== 'function') {
      fail(`options.optimizer must have step(params) and zeroGrad(params), e.g. new Adam(); got ${describeValue(o)}`);
    }
  } else if (json.optimizer === null) {
    fail('the model was saved without optimizer state (custom optimizer); pass one: NeuralNetwork.fromJSON(json, { optimizer })');
  }

  const layers = specs.map((s) => {
    const layer = new DenseLayer(s.inputSize, s.outputSize, s.activation, new Zeros());
    s.weights.forEach((row, r) => layer.weights.data.set(row, r * s.outputSize));
    layer.biases.data.set(s.biases);
    return layer;
  });
  if (options.optimizer != null) return { layers, lossFunction, optimizer: options.optimizer };
  try {
    return { layers, lossFunction, optimizer: optimizerFromJSON(json.optimizer as unknown as OptimizerJSON, layers.flatMap((l) => l.parameters())) };
  } catch (e) {
    if (e instanceof SmolMLError) fail(`optimizer: ${e.message}`);
    throw e;
  }
}
