/**
 * NeuralNetwork: a stack of layers with a loss and an optimizer, trained with `train` (sync) or
 * `fit` (async), evaluated, summarised, and saved/loaded through `toJSON` / `fromJSON`.
 */
import { type LossFunction, type MLArray, type Optimizer, ShapeError, SmolMLError, ValueError, formatShape, noGrad } from '@smolml/core';
import { binaryCrossEntropyWithLogits } from '@smolml/losses';
import { SGD } from '@smolml/optim';
import { type ArrayLikeInput, asArray, asMatrix, assertAllFinite, assertSameRows } from './input.js';
import { DenseLayer } from './layers/dense.js';
import { type FromJSONOptions, type NetworkJSON, type ToJSONOptions, networkFromJSON, networkToJSON } from './serialize.js';
import { summarize } from './summary.js';
import { type History, type TrainOptions, type Trainable, isClassTarget, trainingLoop, yieldToEventLoop } from './training.js';
import { countHits } from './data.js';

/** Result of `evaluate`. */
export interface Evaluation {
  loss: number;
  /** Present when the targets are class labels (see `evaluate`). */
  accuracy?: number;
}

/**
 * A feed-forward network.
 * @example
 * const net = new NeuralNetwork(
 *   [new DenseLayer(2, 16, 'relu'), new DenseLayer(16, 1, 'tanh')],
 *   mseLoss,
 *   new AdaGrad({ lr: 0.1 }),
 * );
 * const history = net.train(X, y, { epochs: 50 });
 * net.predict(X).toArray();
 */
export class NeuralNetwork implements Trainable {
  readonly layers: readonly DenseLayer[];
  readonly lossFunction: LossFunction;
  readonly optimizer: Optimizer;
  private training = false;

  constructor(layers: readonly DenseLayer[], lossFunction: LossFunction, optimizer: Optimizer = new SGD()) {
    if (!Array.isArray(layers) || layers.length === 0) throw new ValueError('NeuralNetwork: layers must be a non-empty array of layers');
    layers.forEach((layer, i) => {
      if (!(layer instanceof DenseLayer)) throw new ValueError(`NeuralNetwork: layer ${i} is not a DenseLayer`);
      const next = layers[i + 1];
      if (next !== undefined && next.inputSize !== layer.outputSize) {
        throw new ShapeError(
          `NeuralNetwork: layer ${i} outputs ${layer.outputSize} features but layer ${i + 1} expects ${next.inputSize} inputs; ` +
            `make layer ${i + 1}'s inputSize ${layer.outputSize}`,
        );
      }
    });
    if (new Set(layers).size !== layers.length) throw new ValueError('NeuralNetwork: the same layer object appears twice in layers');
    if (typeof lossFunction !== 'function') throw new ValueError('NeuralNetwork: lossFunction must be a function (yPred, yTrue) => MLArray');
    if (optimizer === null || typeof optimizer !== 'object' || typeof optimizer.step !== 'function' || typeof optimizer.zeroGrad !== 'function') {
      throw new ValueError('NeuralNetwork: optimizer must have step(params) and zeroGrad(params), e.g. new Adam()');
    }
    this.layers = [...layers];
    this.lossFunction = lossFunction;
    this.optimizer = optimizer;
  }

  /** Decision threshold of a single output column for accuracy: 0 for logits, else 0.5. */
  get threshold(): number {
    return this.lossFunction === binaryCrossEntropyWithLogits ? 0 : 0.5;
  }

  /** @internal Converts X and checks it against the first layer's input size. */
  checkInput(op: string, X: ArrayLikeInput): MLArray {
    const x = asMatrix(op, 'X', X);
    const first = this.layers[0]!;
    if (x.shape[1] !== first.inputSize) {
      throw new ShapeError(`${op}: layer 0 (${first}) expects input of shape (batch, ${first.inputSize}), received ${formatShape(x.shape)}`);
    }
    return x;
  }

  /** Runs X `(batch, inputSize)` through every layer, recording the graph for backward. */
  forward(X: ArrayLikeInput): MLArray {
    let x = this.checkInput('NeuralNetwork.forward', X);
    this.layers.forEach((layer, i) => {
      if (x.ndim !== 2 || x.shape[1] !== layer.inputSize) {
        throw new ShapeError(
          `NeuralNetwork.forward: layer ${i} (${layer}) expects input of shape (batch, ${layer.inputSize}), received ${formatShape(x.shape)}`,
        );
      }
      x = layer.forward(x);
    });
    return x;
  }

  /** forward() without recording a graph: for inference. */
  predict(X: ArrayLikeInput): MLArray {
    return noGrad(() => this.forward(X));
  }

  /** Every trainable array, layer by layer: `[W0, b0, W1, b1, ...]`. */
  parameters(): MLArray[] {
    return this.layers.flatMap((l) => l.parameters());
  }

  /** Total number of trainable numbers. */
  get parameterCount(): number {
    return this.layers.reduce((s, l) => s + l.parameterCount, 0);
  }

  /**
   * Trains on (X, y); returns the per-epoch History. Each step: forward, loss (recorded before
   * the update), backward, `layer.update(optimizer)` for every layer, zero gradients.
   * @example
   * const { loss } = net.train(X, y, { epochs: 20, batchSize: 32, shuffle: true, seed: 1 });
   */
  train(X: ArrayLikeInput, y: ArrayLikeInput, options: TrainOptions = {}): History {
    return this.exclusive(() => {
      const loop = trainingLoop(this, X, y, options);
      for (;;) {
        const r = loop.next();
        if (r.done === true) return r.value;
      }
    });
  }

  /**
   * train(), asynchronously: yields to the event loop after every batch so a page stays
   * responsive. Same numbers as train() for the same options.
   */
  async fit(X: ArrayLikeInput, y: ArrayLikeInput, options: TrainOptions = {}): Promise<History> {
    return this.exclusive(async () => {
      const loop = trainingLoop(this, X, y, options);
      for (;;) {
        const r = loop.next();
        if (r.done === true) return r.value;
        await yieldToEventLoop();
      }
    });
  }

  private exclusive<T>(run: () => T): T {
    if (this.training) throw new SmolMLError('NeuralNetwork: this network is already training (await the running fit() first)');
    this.training = true;
    let result: T;
    try {
      result = run();
    } catch (e) {
      this.training = false;
      throw e;
    }
    if (result instanceof Promise) {
      return result.finally(() => {
        this.training = false;
      }) as T;
    }
    this.training = false;
    return result;
  }

  /**
   * Loss on (X, y) without recording a graph, and accuracy when y holds class labels:
   * integer labels `(n,)` or one-hot rows are compared with the argmax of each output row;
   * a single 0/1 target column with the output thresholded at 0.5 (at 0 for
   * `binaryCrossEntropyWithLogits`, whose outputs are logits).
   */
  evaluate(X: ArrayLikeInput, y: ArrayLikeInput): Evaluation {
    const x = this.checkInput('NeuralNetwork.evaluate', X);
    const t = asArray('NeuralNetwork.evaluate', 'y', y);
    assertSameRows('NeuralNetwork.evaluate', x, t);
    assertAllFinite('NeuralNetwork.evaluate', 'X', x);
    assertAllFinite('NeuralNetwork.evaluate', 'y', t);
    const pred = this.predict(x);
    const loss = noGrad(() => this.lossFunction(pred, t)).item();
    if (!isClassTarget(t)) return { loss };
    return { loss, accuracy: countHits(pred, t, this.threshold) / t.shape[0]! };
  }

  /** A table of the layers (index, type, activation, output shape, parameters) with totals and memory. */
  summary(): string {
    return summarize(this);
  }

  toString(): string {
    return this.summary();
  }

  /**
   * A plain, JSON-safe object holding the architecture, the weights, the loss's name and the
   * optimizer's configuration and state (see serialize.ts for the format). Pass
   * `{ optimizer: false }` to leave the optimizer out (e.g. one with a custom lr function).
   * @example
   * const text = JSON.stringify(net); // calls toJSON()
   * const copy = NeuralNetwork.fromJSON(text);
   */
  toJSON(options?: ToJSONOptions | string): NetworkJSON {
    // JSON.stringify calls toJSON(key) with a string key: treat that as no options.
    return networkToJSON(this, typeof options === 'object' && options !== null ? options : {});
  }

  /**
   * Rebuilds a network saved by toJSON (the object, or its JSON text). Everything is validated
   * first: malformed input throws and never yields a half-loaded model. A model saved with a
   * custom loss, optimizer or activation needs it passed in `options`.
   */
  static fromJSON(json: NetworkJSON | string | object, options: FromJSONOptions = {}): NeuralNetwork {
    const { layers, lossFunction, optimizer } = networkFromJSON(json, options);
    return new NeuralNetwork(layers, lossFunction, optimizer);
  }
}
