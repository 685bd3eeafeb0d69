/**
 * NeuralNetwork: a stack of layers with a loss and an optimizer, trained with `train` (sync) or
 * `fit` (async), evaluated, summarised, and saved/loaded through `toJSON` / `fromJSON`.
 */
import { type LossFunction, MLArray, type Optimizer, type Shape, SmolMLError, ValueError, noGrad } from '@smolml/core';
import { checkOptions, describeValue } from '@smolml/core/internal';
import { type LossName, getLoss } from '@smolml/losses';
import { SGD } from '@smolml/optim';
import { countHits } from './data.js';
import { type ArrayLikeInput, asArray, asSamples, assertAllFinite, assertSameRows, inContext } from './input.js';
import { type ForwardOptions, INFERENCE, type Layer, TRAINING, describeLayer } from './layer.js';
import { type FromJSONOptions, type NetworkJSON, type ToJSONOptions, networkFromJSON, networkToJSON } from './serialize.js';
import { layerShapes } from './shapes.js';
import { checkSampleShape, checkStack } from './stack.js';
import { summarize } from './summary.js';
import type { TrainOptions } from './train-options.js';
import { type History, type Trainable, checkTargets, isClassTarget, takesLogits, trainingLoop, yieldToEventLoop } from './training.js';

/** Result of `evaluate`. */
export interface Evaluation {
  loss: number;
  /** Present when the targets are class labels (see `evaluate`). */
  accuracy?: number;
}

/** Options of the NeuralNetwork constructor. */
export interface NetworkOptions {
  /**
   * The shape of one sample, without the batch axis (`[1, 28, 28]` for MNIST images, `[4]` for
   * 4 features). Every layer's input is checked against it at construction, and `summary()`
   * shows each layer's output shape. Default: implied by a first DenseLayer (`[inputSize]`),
   * else unknown until data arrives.
   */
  inputShape?: Shape | null;
}

/** Checked forward options: `{ training?: boolean }` (null: inference). */
function forwardOptions(op: string, options: ForwardOptions | null | undefined): ForwardOptions {
  const o = checkOptions<ForwardOptions>(op, options, ['training']);
  if (o.training != null && typeof o.training !== 'boolean') throw new ValueError(`${op}: options.training must be true or false, got ${describeValue(o.training)}`);
  return o.training === true ? TRAINING : INFERENCE;
}

/**
 * A feed-forward network: any layers (see `Layer`) run in order. The loss may be given as a
 * function or by name (`'mse'`, `'categoricalCrossEntropyFromLogits'`, ...: the names of
 * @smolml/losses' registry).
 * @example
 * const net = new NeuralNetwork(
 *   [new DenseLayer(2, 16, 'relu'), new DenseLayer(16, 1, 'tanh')],
 *   'mse',
 *   new AdaGrad({ lr: 0.1 }),
 * );
 * const history = net.train(X, y, { epochs: 50 });
 * net.predict(X).toArray();
 * @example
 * const cnn = new NeuralNetwork(
 *   [new Conv2D(1, 8, 3, { padding: 1, activation: 'relu' }), new MaxPool2D(2), new Flatten(), new DenseLayer(8 * 14 * 14, 10)],
 *   'categoricalCrossEntropyFromLogits', new Adam(), { inputShape: [1, 28, 28] },
 * );
 * console.log(cnn.summary()); // each layer's output shape and parameter count
 */
export class NeuralNetwork<L extends Layer = Layer> implements Trainable {
  readonly layers: readonly L[];
  readonly lossFunction: LossFunction;
  readonly optimizer: Optimizer;
  /** The shape of one sample (no batch axis), as given in the options or implied by a first DenseLayer; null if unknown. */
  readonly inputShape: Shape | null;
  private training = false;

  constructor(layers: readonly L[], lossFunction: LossFunction | LossName, optimizer: Optimizer = new SGD(), options?: NetworkOptions | null) {
    const op = 'NeuralNetwork';
    const o = checkOptions<NetworkOptions>(op, options, ['inputShape']);
    this.inputShape = checkStack(op, layers, o.inputShape);
    if (typeof lossFunction === 'string') lossFunction = getLoss(lossFunction, op);
    if (typeof lossFunction !== 'function') {
      throw new ValueError(`${op}: lossFunction must be a function (yPred, yTrue) => MLArray or a loss name such as 'mse', got ${describeValue(lossFunction)}`);
    }
    if (optimizer === null || typeof optimizer !== 'object' || typeof optimizer.step !== 'function' || typeof optimizer.zeroGrad !== 'function') {
      throw new ValueError(`${op}: optimizer must have step(params) and zeroGrad(params), e.g. new Adam(); got ${describeValue(optimizer)}`);
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
   * Runs X `(batch, ...)` through every layer, recording the graph for backward. Inference mode
   * by default (Dropout is the identity, BatchNorm uses its running statistics); pass
   * `{ training: true }` in a training loop written by hand. Each layer checks its input; a
   * wrong shape throws a ShapeError naming the layer's index.
   */
  forward(X: ArrayLikeInput, options?: ForwardOptions | null): MLArray {
    const op = 'NeuralNetwork.forward';
    const opts = options === INFERENCE || options === TRAINING ? options : forwardOptions(op, options);
    let x = asArray(op, 'X', X);
    this.layers.forEach((layer, i) => {
      const out: unknown = inContext(`${op}: layer ${i} (${describeLayer(layer)}): `, () => layer.forward(x, opts));
      if (!(out instanceof MLArray)) throw new ValueError(`${op}: layer ${i} (${describeLayer(layer)}): forward() must return an MLArray, got ${describeValue(out)}`);
      x = out;
    });
    return x;
  }

  /** forward() in inference mode without recording a graph: for predictions. */
  predict(X: ArrayLikeInput): MLArray {
    return noGrad(() => this.forward(X, INFERENCE));
  }

  /** Every trainable array, layer by layer: `[W0, b0, W1, b1, ...]`. */
  parameters(): MLArray[] {
    return this.layers.flatMap((l) => l.parameters());
  }

  /** Every array of non-trainable state, layer by layer (BatchNorm's running statistics). */
  buffers(): MLArray[] {
    return this.layers.flatMap((l) => l.buffers?.() ?? []);
  }

  /** Total number of trainable numbers. */
  get parameterCount(): number {
    return this.parameters().reduce((s, p) => s + p.size, 0);
  }

  /**
   * The output shape of every layer for an input of `inputShape` (batch axis included), without
   * running the network (custom layers without `outputShape` are probed with zeros). Throws the
   * ShapeError the first misfitting layer would, naming it.
   * @example
   * net.outputShapes([64, 1, 28, 28]); // [[64, 8, 28, 28], [64, 8, 14, 14], [64, 1568], [64, 10]]
   */
  outputShapes(inputShape: Shape, options?: ForwardOptions | null): Shape[] {
    const op = 'NeuralNetwork.outputShapes';
    const opts = forwardOptions(op, options);
    if (!Array.isArray(inputShape) || inputShape.length === 0 || !inputShape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new ValueError(`${op}: inputShape must be an array of sizes with the batch axis first, e.g. [64, 1, 28, 28]; got ${describeValue(inputShape)}`);
    }
    return layerShapes(op, this.layers, inputShape, { training: opts.training === true, probe: true });
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

  /**
   * A table of the layers (index, layer, output shape, parameters) with totals and memory. The
   * output shapes need the shape of one sample: `input` here (that shape, or a sample batch as an
   * MLArray, whose first axis is the batch), else the network's own (declared in the
   * constructor's options, or implied by a first DenseLayer); without one the shapes show as `?`.
   * A layer that does not fit throws the ShapeError naming it.
   * @example
   * console.log(net.summary([1, 28, 28])); // or net.summary(xTrain)
   */
  summary(input?: Shape | MLArray | null): string {
    const op = 'NeuralNetwork.summary';
    const sample = input == null ? this.inputShape : input instanceof MLArray ? checkSampleShape(op, input.shape.slice(1)) : checkSampleShape(op, input);
    const shapes = sample === null ? null : layerShapes(op, this.layers, [1, ...sample], { training: false, probe: true });
    return summarize(this, sample, shapes);
  }

  /** The summary; never throws (shapes show as `?` if a layer cannot infer them). */
  toString(): string {
    try {
      return this.summary();
    } catch {
      return summarize(this, null, null);
    }
  }

  /**
   * A plain, JSON-safe object holding the architecture, the weights, the loss's name and the
   * optimizer's configuration and state (see serialize.ts for the format). Pass
   * `{ optimizer: false }` to leave the optimizer out (e.g. one with a custom lr function).
   * @example
   * const text = JSON.stringify(net); // calls toJSON()
   * const copy = NeuralNetwork.fromJSON(text);
   */
  toJSON(options?: ToJSONOptions | string): NetworkJSON<ReturnType<L['toJSON']>> {
    // JSON.stringify calls toJSON(key) with a string key: treat that as no options.
    return networkToJSON(this, typeof options === 'object' && options !== null ? options : {}) as NetworkJSON<ReturnType<L['toJSON']>>;
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
    const { layers, lossFunction, optimizer, inputShape } = networkFromJSON(json, options);
    return new NeuralNetwork(layers, lossFunction, optimizer, { inputShape });
  }
}
