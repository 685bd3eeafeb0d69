/**
 * The training loop, written once as a generator that yields after every batch: `train` runs it
 * to the end synchronously, `fit` awaits the event loop between batches. Each step is the seed's:
 * forward, loss (recorded before the update), backward, update layer by layer, zero gradients.
 */
import { type LossFunction, type MLArray, type Optimizer, ShapeError, ValueError, allFinite, createRng, formatShape, noGrad } from '@smolml/core';
import { countHits } from './data.js';
import { type ArrayLikeInput, asArray, assertAllFinite, assertSameRows } from './input.js';
import type { DenseLayer } from './layers/dense.js';

/** Logs passed to `onEpochEnd`; the same numbers are stored in the History. */
export interface EpochLogs {
  /** Mean training loss of the epoch (each batch's loss before its update, weighted by batch size). */
  loss: number;
  /** Training accuracy over the epoch's batches (classification targets only). */
  accuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
}

/** Logs passed to `onBatchEnd`. */
export interface BatchLogs {
  /** This batch's loss, before its update. */
  loss: number;
  epoch: number;
  /** Index of the batch within its epoch. */
  batch: number;
  /** Number of samples in the batch. */
  size: number;
}

export interface TrainCallbacks {
  /** After every epoch (0-based `epoch`, the index into History arrays). */
  onEpochEnd?(epoch: number, logs: EpochLogs): void;
  /** After every update (`step` counts updates from 0 across epochs). */
  onBatchEnd?(step: number, logs: BatchLogs): void;
}

export interface TrainOptions {
  /** Passes over the data (default 100). */
  epochs?: number;
  /** Samples per update (default: all of them, full batch). A smaller last batch takes the rest. */
  batchSize?: number;
  /** Reshuffle the samples before every epoch (default false). */
  shuffle?: boolean;
  /** Seed of the shuffle (default: a random seed). */
  seed?: number;
  /** Evaluated after every epoch into `valLoss` (and `valAccuracy` for class targets). */
  validationData?: readonly [ArrayLikeInput, ArrayLikeInput];
  /** Print a line every `printEvery` epochs (and the first and last) (default false). */
  verbose?: boolean;
  /** Default 10. */
  printEvery?: number;
  /** Where verbose lines go (default console.log). */
  log?: (line: string) => void;
  callbacks?: TrainCallbacks;
}

/** Per-epoch metrics of a training run; `loss[e]` is the mean training loss of epoch e. */
export interface History {
  loss: number[];
  /** Present when the targets are class labels (labels, one-hot rows or one 0/1 column). */
  accuracy?: number[];
  /** Present with `validationData`. */
  valLoss?: number[];
  valAccuracy?: number[];
}

/** Training stopped because the loss or a gradient was NaN or infinite. */
export class TrainingError extends ValueError {
  override name = 'TrainingError';
  constructor(message: string, readonly epoch: number, readonly batch: number, readonly step: number) {
    super(message);
  }
}

/** What the loop needs from a network. */
export interface Trainable {
  readonly layers: readonly DenseLayer[];
  readonly lossFunction: LossFunction;
  readonly optimizer: Optimizer;
  forward(x: MLArray): MLArray;
  parameters(): MLArray[];
  /** Checks that X fits the first layer (throws ShapeError) and converts it. */
  checkInput(op: string, X: ArrayLikeInput): MLArray;
  /** Decision threshold of a single output column (0 for logits, else 0.5). */
  readonly threshold: number;
}

/** True when `y` holds class labels: integer labels `(n,)`, one-hot rows, or a 0/1 column. */
export function isClassTarget(y: MLArray): boolean {
  const d = y.data;
  if (y.ndim === 1) return d.every((v) => Number.isInteger(v) && v >= 0);
  if (y.ndim !== 2 || y.size === 0) return false;
  const c = y.shape[1]!;
  if (!d.every((v) => v === 0 || v === 1)) return false;
  if (c === 1) return true;
  for (let i = 0; i < d.length; i += c) {
    let s = 0;
    for (let j = 0; j < c; j++) s += d[i + j]!;
    if (s !== 1) return false;
  }
  return true;
}

function positiveInt(name: string, v: unknown, allowZero = false): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < (allowZero ? 0 : 1)) {
    throw new ValueError(`train: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${String(v)}`);
  }
  return v;
}

function checkData(net: Trainable, X: ArrayLikeInput, Y: ArrayLikeInput, names: [string, string]): [MLArray, MLArray] {
  const x = net.checkInput('train', X);
  const y = asArray('train', names[1], Y);
  assertSameRows('train', x, y, names[0], names[1]);
  if (x.shape[0] === 0) throw new ValueError(`train: ${names[0]} has no samples`);
  assertAllFinite('train', names[0], x);
  assertAllFinite('train', names[1], y);
  return [x, y];
}

/**
 * The training loop. Everything is validated before the first update, so a bad option or bad
 * data throws with the model untouched. Yields once after every update.
 */
export function* trainingLoop(net: Trainable, X: ArrayLikeInput, Y: ArrayLikeInput, options: TrainOptions = {}): Generator<void, History> {
  const epochs = positiveInt('epochs', options.epochs ?? 100, true);
  const printEvery = positiveInt('printEvery', options.printEvery ?? 10);
  const [x, y] = checkData(net, X, Y, ['X', 'y']);
  const n = x.shape[0]!;
  const batchSize = Math.min(positiveInt('batchSize', options.batchSize ?? n), n);
  let val: [MLArray, MLArray] | null = null;
  if (options.validationData !== undefined) {
    if (!Array.isArray(options.validationData) || options.validationData.length !== 2) {
      throw new ValueError('train: validationData must be a pair [X, y]');
    }
    val = checkData(net, options.validationData[0], options.validationData[1], ['validation X', 'validation y']);
    if (formatShape(val[1].shape.slice(1)) !== formatShape(y.shape.slice(1))) {
      throw new ShapeError(`train: validation y has shape ${formatShape(val[1].shape)} but y has ${formatShape(y.shape)}; their rows must match`);
    }
  }
  const classes = isClassTarget(y);
  const valClasses = val !== null && isClassTarget(val[1]);
  const rng = options.shuffle === true ? createRng(options.seed ?? Math.floor(Math.random() * 2 ** 32)) : null;
  const print = options.log ?? defaultLog;
  const { onEpochEnd, onBatchEnd } = options.callbacks ?? {};
  const params = net.parameters();
  const batches = Math.ceil(n / batchSize);
  const history: History = { loss: [] };
  if (classes) history.accuracy = [];
  if (val !== null) history.valLoss = [];
  if (valClasses) history.valAccuracy = [];
  let step = 0;

  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = rng !== null ? rng.permutation(n) : null;
    let lossSum = 0;
    let hits = 0;
    for (let b = 0; b < batches; b++) {
      const start = b * batchSize;
      const end = Math.min(start + batchSize, n);
      let xb = x;
      let yb = y;
      if (order !== null || batches > 1) {
        const idx = order !== null ? order.subarray(start, end) : Int32Array.from({ length: end - start }, (_, i) => start + i);
        xb = x.take(idx);
        yb = y.take(idx);
      }
      const pred = net.forward(xb);
      const loss = net.lossFunction(pred, yb);
      if (loss.size !== 1) {
        throw new ShapeError(`train: the loss function must return one number, got shape ${formatShape(loss.shape)}`);
      }
      const value = loss.data[0]!;
      // Checked before backward/update, so the model keeps its last finite weights.
      if (!Number.isFinite(value)) {
        throw new TrainingError(
          `train: the loss is ${value} at epoch ${epoch}, batch ${b} (step ${step}; all 0-based); training stopped before this ` +
            'update, so the weights are those of the last finite step. Lower the learning rate, scale the inputs or clip gradients.',
          epoch, b, step,
        );
      }
      loss.backward();
      for (const p of params) {
        if (p.grad !== null && !allFinite(p.grad.data)) {
          net.optimizer.zeroGrad(params);
          throw new TrainingError(
            `train: a gradient is NaN or infinite at epoch ${epoch}, batch ${b} (step ${step}; all 0-based) although the loss is ` +
              `${value}; training stopped before this update. Lower the learning rate or clip gradients.`,
            epoch, b, step,
          );
        }
      }
      for (const layer of net.layers) layer.update(net.optimizer);
      net.optimizer.zeroGrad(params);
      lossSum += value * (end - start);
      if (classes) hits += countHits(pred, yb, net.threshold);
      onBatchEnd?.(step, { loss: value, epoch, batch: b, size: end - start });
      step++;
      yield;
    }
    const logs: EpochLogs = { loss: lossSum / n };
    history.loss.push(logs.loss);
    if (classes) history.accuracy!.push((logs.accuracy = hits / n));
    if (val !== null) {
      const [vx, vy] = val;
      const vp = noGrad(() => net.forward(vx));
      history.valLoss!.push((logs.valLoss = noGrad(() => net.lossFunction(vp, vy)).item()));
      if (valClasses) history.valAccuracy!.push((logs.valAccuracy = countHits(vp, vy, net.threshold) / vy.shape[0]!));
    }
    if (options.verbose === true && (epoch === 0 || (epoch + 1) % printEvery === 0 || epoch === epochs - 1)) {
      print(formatEpoch(epoch, epochs, logs));
    }
    onEpochEnd?.(epoch, logs);
  }
  return history;
}

/** `Epoch 10/100 - loss: 0.012345 - accuracy: 0.9800 - valLoss: ...` */
export function formatEpoch(epoch: number, epochs: number, logs: EpochLogs): string {
  const parts = [`Epoch ${epoch + 1}/${epochs}`, `loss: ${logs.loss.toFixed(6)}`];
  if (logs.accuracy !== undefined) parts.push(`accuracy: ${logs.accuracy.toFixed(4)}`);
  if (logs.valLoss !== undefined) parts.push(`valLoss: ${logs.valLoss.toFixed(6)}`);
  if (logs.valAccuracy !== undefined) parts.push(`valAccuracy: ${logs.valAccuracy.toFixed(4)}`);
  return parts.join(' - ');
}

function defaultLog(line: string): void {
  // verbose: true is the user asking for progress lines; this is the library's only output.
  // eslint-disable-next-line no-console
  console.log(line);
}

/**
 * Lets the event loop run (rendering, input, timers) between batches of `fit`. Browser-safe:
 * setImmediate where it exists, else a MessageChannel message, else a 0 ms timeout.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const g = globalThis as { setImmediate?: (cb: () => void) => unknown };
    if (typeof g.setImmediate === 'function') g.setImmediate(resolve);
    else if (typeof MessageChannel === 'function') {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        ch.port1.close();
        resolve();
      };
      ch.port2.postMessage(null);
    } else setTimeout(resolve, 0);
  });
}
