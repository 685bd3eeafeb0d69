/**
 * A fully connected layer: `y = activation(x @ W + b)` with `W` of shape `(in, out)` and `b` of
 * shape `(1, out)`, broadcast over the rows of a batch `x` of shape `(batch, in)`.
 */
import { type Initializer, MLArray, type Optimizer, type Rng, type Shape, ValueError } from '@smolml/core';
import { checkInteger, checkOptions, clip, describeValue, isPlainObject } from '@smolml/core/internal';
import { XavierUniform, Zeros } from '@smolml/init';
import { type ActivationFunction, type ActivationLike, activationToJSON, linear, resolveActivation } from '../activations.js';
import type { ForwardOptions, Layer, LayerJSON } from '../layer.js';
import { inputError } from './check.js';
import { type LayerJSONContext, LayerReader } from './json.js';
import { initialWeights, isInitializer, resolveRng } from './options.js';

/** Options of a DenseLayer beyond the SPEC's positional arguments. */
export interface DenseLayerOptions {
  /** Random source for the weight initializer (shared across layers for a reproducible network). */
  rng?: Rng | null;
  /** Seed of a fresh random source for the weight initializer (ignored when `rng` is given). */
  seed?: number | null;
  /** The weight initializer (default `new XavierUniform()`), when options take the 4th argument's place. */
  weightInitializer?: Initializer | null;
}

/** A saved DenseLayer (the same in format versions 1 and 2). */
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

const OPTION_KEYS = ['rng', 'seed', 'weightInitializer'];

/** The initializer and options, from either call form: (init?, options?) or (options). */
function readArguments(fourth: unknown, fifth: unknown): { init: unknown; rng: Rng | undefined } {
  let init: unknown = fourth;
  let options: unknown = fifth;
  if (fourth !== undefined && fourth !== null && !isInitializer(fourth)) {
    // new DenseLayer(2, 4, 'relu', { seed: 1 }): the options in the initializer's place
    if (!isPlainObject(fourth)) {
      throw new ValueError(`DenseLayer: the 4th argument must be an initializer (e.g. new XavierUniform()) or an options object, got ${describeValue(fourth)}`);
    }
    if (fifth !== undefined) throw new ValueError('DenseLayer: options were given twice (4th and 5th arguments); pass one options object');
    options = fourth;
    init = undefined;
  }
  const o = checkOptions<DenseLayerOptions>('DenseLayer', options as DenseLayerOptions | null | undefined, OPTION_KEYS);
  if (o.weightInitializer != null) {
    if (init != null) throw new ValueError('DenseLayer: the weight initializer was given twice (argument and options.weightInitializer)');
    init = o.weightInitializer;
  }
  return { init: init ?? new XavierUniform(), rng: resolveRng('DenseLayer', o.rng, o.seed) };
}

/**
 * A dense (fully connected) layer.
 * @example
 * const layer = new DenseLayer(2, 16, 'relu', { seed: 1 }); // or (2, 16, 'relu', new HeInitialization(), { rng })
 * layer.forward(MLArray.from([[0, 1]])).shape; // [1, 16]
 */
export class DenseLayer implements Layer {
  readonly type = 'dense';
  readonly inputSize: number;
  readonly outputSize: number;
  /** Weights `(inputSize, outputSize)`, requiresGrad. Assign into `.data` to set them. */
  readonly weights: MLArray;
  /** Biases `(1, outputSize)`, zeros at first, requiresGrad. */
  readonly biases: MLArray;
  readonly activation: ActivationFunction;
  /** The registry name of a built-in activation, or `custom:<function name>` for any other function. */
  readonly activationName: string;

  /** `new DenseLayer(inputSize, outputSize, activation?, options?)`, options `{ seed, rng, weightInitializer }`. */
  constructor(inputSize: number, outputSize: number, activation?: ActivationLike, options?: DenseLayerOptions);
  /** The SPEC's form: `new DenseLayer(inputSize, outputSize, activation = linear, weightInitializer = new XavierUniform(), options?)`. */
  constructor(inputSize: number, outputSize: number, activation?: ActivationLike, weightInitializer?: Initializer, options?: DenseLayerOptions);
  constructor(inputSize: number, outputSize: number, activation: ActivationLike = linear, fourth?: Initializer | DenseLayerOptions, fifth?: DenseLayerOptions) {
    this.inputSize = checkInteger('DenseLayer', 'inputSize', inputSize);
    this.outputSize = checkInteger('DenseLayer', 'outputSize', outputSize);
    ({ fn: this.activation, name: this.activationName } = resolveActivation('DenseLayer', activation));
    const { init, rng } = readArguments(fourth, fifth);
    this.weights = initialWeights('DenseLayer', init, [inputSize, outputSize], rng, 'new XavierUniform()');
    this.biases = MLArray.zeros([1, outputSize], { requiresGrad: true });
  }

  /** `activation(x @ W + b)` for a batch `x` of shape `(batch, inputSize)`; the same in training and inference. */
  forward(x: MLArray, _opts?: ForwardOptions): MLArray {
    this.outputShape(x.shape);
    return this.activation(x.matmul(this.weights).add(this.biases));
  }

  /** `(batch, outputSize)` for an input `(batch, inputSize)`; throws the ShapeError forward would. */
  outputShape(inputShape: Shape, _opts?: ForwardOptions): Shape {
    if (inputShape.length !== 2 || inputShape[1] !== this.inputSize) {
      const hint = inputShape.length === 1 ? `; a single sample must be a row: reshape it to (1, ${inputShape[0]})` : inputShape.length > 2 ? '; put a Flatten() layer before it' : '';
      throw inputError('DenseLayer', `(batch, ${this.inputSize})`, inputShape, hint);
    }
    return [inputShape[0]!, this.outputSize];
  }

  /** The trainable arrays: `[weights, biases]`. */
  parameters(): MLArray[] {
    return [this.weights, this.biases];
  }

  /** Number of trainable numbers: `in * out + out`. */
  get parameterCount(): number {
    return this.inputSize * this.outputSize + this.outputSize;
  }

  /** SmolML's original per-layer step: lets `optimizer` update this layer's parameters from their gradients. */
  update(optimizer: Optimizer): void {
    optimizer.step(this.parameters());
  }

  /** `DenseLayer(3 -> 2, relu)`: sizes and activation, as error messages and summaries show it. */
  toString(): string {
    return `DenseLayer(${this.inputSize} -> ${this.outputSize}, ${clip(this.activationName, 40)})`;
  }

  /** `{ type: 'dense', inputSize, outputSize, activation, weights (rows), biases }`. */
  toJSON(): DenseLayerJSON {
    return {
      type: 'dense',
      inputSize: this.inputSize,
      outputSize: this.outputSize,
      activation: activationToJSON({ fn: this.activation, name: this.activationName }),
      weights: this.weights.toArray() as number[][],
      biases: Array.from(this.biases.data),
    };
  }

  /** Rebuilds a layer from `toJSON()`, every field checked before anything is allocated. */
  static fromJSON(json: DenseLayerJSON | Record<string, unknown>, context: LayerJSONContext): DenseLayer {
    const r = new LayerReader(json as LayerJSON, context);
    const inputSize = r.integer('inputSize');
    const outputSize = r.integer('outputSize');
    const activation = r.activation();
    const weights = r.rows('weights', inputSize, outputSize, 'inputSize');
    const biases = r.numbers('biases', [outputSize]);
    const layer = new DenseLayer(inputSize, outputSize, activation, new Zeros());
    weights.forEach((row, i) => layer.weights.data.set(row, i * outputSize));
    layer.biases.data.set(biases);
    return layer;
  }
}
