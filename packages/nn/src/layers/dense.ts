/**
 * A fully connected layer: `y = activation(x @ W + b)` with `W` of shape `(in, out)` and `b` of
 * shape `(1, out)`, broadcast over the rows of a batch `x` of shape `(batch, in)`.
 */
import { MLArray, ShapeError, ValueError, createRng, formatShape, type Initializer, type Optimizer, type Rng } from '@smolml/core';
import { checkInteger, checkNumber, checkOptions, clip, describeValue, interval, isPlainObject } from '@smolml/core/internal';
import { XavierUniform } from '@smolml/init';
import { type Activation, type ActivationName, activationName, getActivation, linear } from '../activations.js';

/** Options of a DenseLayer beyond the SPEC's positional arguments. */
export interface DenseLayerOptions {
  /** Random source for the weight initializer (shared across layers for a reproducible network). */
  rng?: Rng | null;
  /** Seed of a fresh random source for the weight initializer (ignored when `rng` is given). */
  seed?: number | null;
  /** The weight initializer (default `new XavierUniform()`), when options take the 4th argument's place. */
  weightInitializer?: Initializer | null;
}

const OPTION_KEYS = ['rng', 'seed', 'weightInitializer'];
const anyNumber = interval('(-inf, inf)');

function isInitializer(v: unknown): v is Initializer {
  return v !== null && typeof v === 'object' && typeof (v as { initialize?: unknown }).initialize === 'function';
}

/** The initializer and options, from either call form: (init?, options?) or (options). */
function readArguments(fourth: unknown, fifth: unknown): { init: Initializer; rng: Rng | undefined } {
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
  init ??= new XavierUniform();
  if (!isInitializer(init)) {
    throw new ValueError(`DenseLayer: weightInitializer must have an initialize(shape, rng?) method, e.g. new XavierUniform(); got ${describeValue(init)}`);
  }
  let rng: Rng | undefined;
  if (o.rng != null) {
    if (typeof o.rng !== 'object' || typeof (o.rng as { uniform?: unknown }).uniform !== 'function') {
      throw new ValueError(`DenseLayer: options.rng must be a random source from createRng(seed), got ${describeValue(o.rng)}`);
    }
    rng = o.rng;
  } else if (o.seed != null) {
    rng = createRng(checkNumber('DenseLayer', 'options.seed', o.seed, anyNumber));
  }
  return { init, rng };
}

/**
 * A dense (fully connected) layer.
 * @example
 * const layer = new DenseLayer(2, 16, 'relu', { seed: 1 }); // or (2, 16, 'relu', new HeInitialization(), { rng })
 * layer.forward(MLArray.from([[0, 1]])).shape; // [1, 16]
 */
export class DenseLayer {
  readonly type = 'dense';
  readonly inputSize: number;
  readonly outputSize: number;
  /** Weights `(inputSize, outputSize)`, requiresGrad. Assign into `.data` to set them. */
  readonly weights: MLArray;
  /** Biases `(1, outputSize)`, zeros at first, requiresGrad. */
  readonly biases: MLArray;
  readonly activation: Activation;
  /** The registry name of a built-in activation, or `custom:<function name>` for any other function. */
  readonly activationName: string;

  /** `new DenseLayer(inputSize, outputSize, activation?, options?)`, options `{ seed, rng, weightInitializer }`. */
  constructor(inputSize: number, outputSize: number, activation?: Activation | ActivationName, options?: DenseLayerOptions);
  /** The SPEC's form: `new DenseLayer(inputSize, outputSize, activation = linear, weightInitializer = new XavierUniform(), options?)`. */
  constructor(inputSize: number, outputSize: number, activation?: Activation | ActivationName, weightInitializer?: Initializer, options?: DenseLayerOptions);
  constructor(inputSize: number, outputSize: number, activation: Activation | ActivationName = linear, fourth?: Initializer | DenseLayerOptions, fifth?: DenseLayerOptions) {
    this.inputSize = checkInteger('DenseLayer', 'inputSize', inputSize);
    this.outputSize = checkInteger('DenseLayer', 'outputSize', outputSize);
    if (typeof activation === 'string') {
      this.activation = getActivation(activation, 'DenseLayer');
      this.activationName = activation;
    } else if (typeof activation === 'function') {
      this.activation = activation;
      this.activationName = activationName(activation) ?? `custom:${activation.name || 'anonymous'}`;
    } else {
      throw new ValueError(`DenseLayer: activation must be a function or a name such as 'relu', got ${describeValue(activation)}`);
    }
    const { init, rng } = readArguments(fourth, fifth);
    const shape = [inputSize, outputSize];
    const w = init.initialize(shape, rng);
    if (!(w instanceof MLArray) || w.shape.length !== 2 || w.shape[0] !== inputSize || w.shape[1] !== outputSize) {
      const got = w instanceof MLArray ? formatShape(w.shape) : describeValue(w);
      throw new ShapeError(`DenseLayer: the initializer returned ${got}, expected an MLArray of shape ${formatShape(shape)}`);
    }
    // A fresh leaf that owns its numbers, whatever the initializer returned.
    this.weights = new MLArray(w.data.slice(), shape, true);
    this.biases = MLArray.zeros([1, outputSize], { requiresGrad: true });
  }

  /** `activation(x @ W + b)` for a batch `x` of shape `(batch, inputSize)`. */
  forward(x: MLArray): MLArray {
    if (x.ndim !== 2 || x.shape[1] !== this.inputSize) {
      const hint = x.ndim === 1 ? `; a single sample must be a row: reshape it to (1, ${x.shape[0]})` : '';
      throw new ShapeError(`DenseLayer.forward: expected input of shape (batch, ${this.inputSize}), received ${formatShape(x.shape)}${hint}`);
    }
    return this.activation(x.matmul(this.weights).add(this.biases));
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
}
