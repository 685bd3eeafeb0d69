/**
 * NeuralNetwork: a stack of layers with a loss and an optimizer, trained with `train` (sync) or
 * `fit` (async), evaluated, summarised, and saved/loaded through `toJSON` / `fromJSON`.
 */
import { type LossFunction, type MLArray, type Optimizer, ShapeError, SmolMLError, ValueError, noGrad } from '@smolml/core';
import { describeValue } from '@smolml/core/internal';
import { type LossName, getLoss } from '@smolml/losses';
import { SGD } from '@smolml/optim';
import { countHits } from './data.js';
import { type ArrayLikeInput, asArray, asSamples, assertAllFinite, assertSameRows, inContext } from './input.js';
import { DenseLayer } from './layers/dense.js';
import { type FromJSONOptions, type NetworkJSON, type ToJSONOptions, networkFromJSON, networkToJSON } from './serialize.js';
import { summarize } from './summary.js';
import type { TrainOptions } from './train-options.js';
import { type History, type Trainable, checkTargets, isClassTarget, takesLogits, trainingLoop, yieldToEventLoop } from './training.js';

/** Result of `evaluate`. */
export interface Evaluation {
  loss: number;
  /** Present when the targets are class labels (see `evaluate`). */
  accuracy?: number;
}

/**
 * A feed-forward network. The loss may be given as a function or by name (`'mse'`,
 * `'categoricalCrossEntropyFromLogits'`, ...: the names of @smolml/losses' registry).
 * @example
 * const net = new NeuralNetwork(
 *   [new DenseLayer(2, 16, 'relu'), new DenseLayer(16, 1, 'tanh')],
 *   'mse',
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

  constructor(layers: readonly DenseLayer[], lossFunction: LossFunction | LossName, optimizer: Optimizer = new SGD()) {
    if (!Array.isArray(layers) || layers.length === 0) {
      throw new ValueError(`NeuralNetwork: layers must be a non-empty array of layers, got ${describeValue(layers)}`);
    }
    layers.forEach((layer: unknown, i) => {
      if (!(layer instanceof DenseLayer)) throw new ValueError(`NeuralNetwork: layer ${i} is not a DenseLayer, got ${describeValue(layer)}`);
      const next: unknown = layers[i + 1];
      if (next instanceof DenseLayer && next.inputSize !== layer.outputSize) {
        throw new ShapeError(
          `NeuralNetwork: layer ${i} outputs ${layer.outputSize} features but layer ${i + 1} expects ${next.inputSize} inputs; ` +
            `make layer ${i + 1}'s inputSize ${layer.outputSize}`,
        );
      }
    });
    if (new Set(layers).size !== layers.length) throw new ValueError('NeuralNetwork: the same layer object appears twice in layers');
    if (typeof lossFunction === 'string') lossFunction = getLoss(lossFunction, 'NeuralNetwork');
    if (typeof lossFunction !== 'function') {
      throw new ValueError(`NeuralNetwork: lossFunction must be a function (yPred, yTrue) => MLArray or a loss name such as 'mse', got ${describeValue(lossFunction)}`);
    }
    if (optimizer === null || typeof optimizer !== 'object' || typeof optimizer.step !== 'function' || typeof optimizer.zeroGrad !== 'function') {
      throw new ValueError(`NeuralNetwork: optimizer must have step(params) and zeroGrad(params), e.g. new Adam(); got ${describeValue(optimizer)}`);
    }
    this.layers = [...layers];
    this.lossFunction = lossFunction;
    this.optimizer = optimizer;
  }

  /** Decision threshold of a single output column for accuracy: 0 when the loss takes logits, else 0.5. */
  get threshold(): number {
    return takesLogits(this.lossFunction) ? 0 : 0.5;
  }

  /**
   * Runs X `(batch, ...)` through every layer, recording the graph for backward. Each layer
   * checks its input; a wrong shape throws a ShapeError naming the layer's index.
   */
  forward(X: ArrayLikeInput): MLArray {
    let x = asArray('NeuralNetwork.forward', 'X', X);
    this.layers.forEach((layer, i) => {
      x = inContext(`NeuralNetwork.forward: layer ${i} (${layer}): `, () => layer.forward(x));
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
   * Clears every parameter's gradient (through the optimizer's `zeroGrad`), for loops written
   * by hand: forward, loss, backward, `optimizer.step(net.parameters())`, `net.zeroGrad()`.
   */
  zeroGrad(): void {
    this.optimizer.zeroGrad(this.parameters());
  }

  /** SmolML's original name for zeroGrad(). */
  restart(): void {
    this.zeroGrad();
  }

  /**
   * Trains on (X, y); returns the per-epoch History. Each step: forward, loss (recorded before
   * the update), backward, one `optimizer.step(net.parameters())` (the same numbers as
   * `layer.update(optimizer)` for every layer, as optimizer state is per parameter), zero
   * gradients. Options, data and every target are checked before the first update.
   * @example
   * const { loss } = net.train(X, y, { epochs: 20, batchSize: 32, shuffle: true, seed: 1 });
   */
  train(X: ArrayLikeInput, y: ArrayLikeInput, options?: TrainOptions | null): History {
    return this.exclusive(() => {
      const loop = trainingLoop('train', this, X, y, options);
      for (;;) {
        const r = loop.next();
        if (r.done === true) return r.value;
      }
    });
  }

  /**
   * train(), asynchronously: yields to the event loop after every batch so a page stays
   * responsive. Same numbers as train() for the same options. With `signal`, aborting stops
   * after the current batch and rejects with the signal's reason.
   * @example
   * const controller = new AbortController();
   * const done = net.fit(X, y, { epochs: 1000, signal: controller.signal });
   * controller.abort(); // done rejects with an AbortError after the current batch
   */
  async fit(X: ArrayLikeInput, y: ArrayLikeInput, options?: TrainOptions | null): Promise<History> {
    return this.exclusive(async () => {
      const loop = trainingLoop('fit', this, X, y, options);
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
   * a single 0/1 target column with the output thresholded at 0.5 (at 0 for a loss on
   * logits, such as `binaryCrossEntropyFromLogits`). Targets are checked against the loss
   * first (labels in range, probabilities in [0, 1]), naming the bad row.
   */
  evaluate(X: ArrayLikeInput, y: ArrayLikeInput): Evaluation {
    const op = 'NeuralNetwork.evaluate';
    const x = asSamples(op, 'X', X);
    const t = asArray(op, 'y', y);
    assertSameRows(op, x, t);
    assertAllFinite(op, 'X', x);
    assertAllFinite(op, 'y', t);
    const pred = this.predict(x);
    checkTargets(op, this.lossFunction, t, pred.shape, 'y');
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
   * first, declared sizes against the data present before anything is allocated: malformed
   * input throws a ValueError and never yields a half-loaded model. A model saved with a custom
   * loss, optimizer or activation needs it passed in `options`.
   * @example
   * const copy = NeuralNetwork.fromJSON(await readFile('model.json', 'utf8'));
   */
  static fromJSON(json: NetworkJSON | string | object, options?: FromJSONOptions | null): NeuralNetwork {
    const { layers, lossFunction, optimizer } = networkFromJSON(json, options);
    return new NeuralNetwork(layers, lossFunction, optimizer);
  }
}
