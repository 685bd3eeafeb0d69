/**
 * A fully connected layer: `y = activation(x @ W + b)` with `W` of shape `(in, out)` and `b` of
 * shape `(1, out)`, broadcast over the rows of a batch `x` of shape `(batch, in)`.
 */
import { MLArray, ShapeError, ValueError, createRng, formatShape, type Initializer, type Optimizer, type Rng } from '@smolml/core';
import { XavierUniform } from '@smolml/init';
import { type Activation, type ActivationName, activationName, getActivation, linear } from '../activations.js';

/** Options of a DenseLayer beyond the SPEC's positional arguments. */
export interface DenseLayerOptions {
  /** Random source for the weight initializer (shared across layers for a reproducible network). */
  rng?: Rng;
  /** Seed of a fresh random source for the weight initializer (ignored when `rng` is given). */
  seed?: number;
}

function checkSize(what: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) {
    throw new ValueError(`DenseLayer: ${what} must be a positive integer, got ${String(n)}`);
  }
  return n;
}

/**
 * A dense (fully connected) layer.
 * @example
 * const rng = createRng(0);
 * const layer = new DenseLayer(2, 16, 'relu', new HeInitialization(), { rng });
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

  constructor(
    inputSize: number,
    outputSize: number,
    activation: Activation | ActivationName = linear,
    weightInitializer: Initializer = new XavierUniform(),
    options: DenseLayerOptions = {},
  ) {
    this.inputSize = checkSize('inputSize', inputSize);
    this.outputSize = checkSize('outputSize', outputSize);
    if (typeof activation === 'string') {
      this.activation = getActivation(activation);
      this.activationName = activation;
    } else if (typeof activation === 'function') {
      this.activation = activation;
      this.activationName = activationName(activation) ?? `custom:${activation.name || 'anonymous'}`;
    } else {
      throw new ValueError(`DenseLayer: activation must be a function or a name, got ${String(activation)}`);
    }
    if (weightInitializer === null || typeof weightInitializer !== 'object' || typeof weightInitializer.initialize !== 'function') {
      throw new ValueError('DenseLayer: weightInitializer must have an initialize(shape, rng?) method, e.g. new XavierUniform()');
    }
    const rng = options.rng ?? (options.seed !== undefined ? createRng(options.seed) : undefined);
    const shape = [inputSize, outputSize];
    const w = weightInitializer.initialize(shape, rng);
    if (!(w instanceof MLArray) || w.shape.length !== 2 || w.shape[0] !== inputSize || w.shape[1] !== outputSize) {
      const got = w instanceof MLArray ? formatShape(w.shape) : typeof w;
      throw new ShapeError(`DenseLayer: the initializer returned ${got}, expected an MLArray of shape ${formatShape(shape)}`);
    }
    // A fresh leaf that owns its numbers, whatever the initializer returned.
    this.weights = new MLArray(w.data.slice(), shape, true);
    this.biases = MLArray.zeros([1, outputSize], { requiresGrad: true });
  }

  /** `activation(x @ W + b)` for a batch `x` of shape `(batch, inputSize)`. */
  forward(x: MLArray): MLArray {
    if (x.ndim !== 2 || x.shape[1] !== this.inputSize) {
      throw new ShapeError(
        `DenseLayer.forward: expected input of shape (batch, ${this.inputSize}), received ${formatShape(x.shape)}`,
      );
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

  /** The seed's per-layer step: lets `optimizer` update this layer's parameters from their gradients. */
  update(optimizer: Optimizer): void {
    optimizer.step(this.parameters());
  }

  toString(): string {
    return `DenseLayer(${this.inputSize} -> ${this.outputSize}, ${this.activationName})`;
  }
}
