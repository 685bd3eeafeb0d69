/**
 * The training loop, written once as a generator that yields after every batch: `train` runs it
 * to the end synchronously, `fit` awaits the event loop between batches. Each step is SmolML's original one:
 * forward, loss (recorded before the update), backward, update, zero gradients.
 *
 * Everything that can be checked is checked before the first update (options, data, every
 * target against the loss and the network's output), so bad input never leaves a half-trained
 * model. During training each step has one shape check (the layers') and one finiteness check
 * (the optimizer's, on the gradients and the updated parameters); a failing step is rolled back.
 */
import { type LossFunction, type MLArray, type Optimizer, ShapeError, ValueError, allFinite, createRng, formatShape, getBackend, noGrad } from '@smolml/core';
import type { Loss } from '@smolml/losses';
import { isSerializableOptimizer } from '@smolml/optim';
import { countHits } from './data.js';
import { type Replay, Replayer } from './replay.js';
import { type ArrayLikeInput, asArray, asSamples, assertAllFinite, assertSameRows, inContext } from './input.js';
import { type ForwardOptions, type Layer, TRAINING } from './layer.js';
import { checkTrainingBatches } from './shapes.js';
import { type EpochLogs, type TrainOptions, resolveOptions, throwIfAborted } from './train-options.js';

/** Per-epoch metrics of a training run; `loss[e]` is the mean training loss of epoch e. */
export interface History {
  loss: number[];
  /** Present when the targets are class labels (labels, one-hot rows or one 0/1 column). */
  accuracy?: number[];
  /** Present with `validationData`. */
  valLoss?: number[];
  valAccuracy?: number[];
}

/**
 * Training stopped because the loss turned NaN or infinite, or the update failed (a non-finite
 * gradient, or parameters the update would make non-finite). The model is left exactly as it
 * was before the failing batch, so its weights are finite and it can be saved; `cause` holds
 * the optimizer's error when there is one.
 * @example
 * try {
 *   net.train(X, y, { epochs: 10 });
 * } catch (e) {
 *   if (e instanceof TrainingError) console.log(e.epoch, e.batch); // where it stopped; the model is as it was before that batch
 * }
 */
export class TrainingError extends ValueError {
  override name = 'TrainingError';
  constructor(message: string, readonly epoch: number, readonly batch: number, readonly step: number, options?: ErrorOptions) {
    super(message, options);
  }
}

/** What the loop needs from a network. */
export interface Trainable {
  readonly lossFunction: LossFunction;
  readonly optimizer: Optimizer;
  /** The layers, when the network has them: batches they cannot train on are refused before the first update. */
  readonly layers?: readonly Layer[];
  /** Forward pass recording the graph (the loop passes `{ training: true }`). */
  forward(x: MLArray, opts?: ForwardOptions): MLArray;
  /** Forward pass without a graph (inference). */
  predict(x: MLArray): MLArray;
  /** The trainable arrays, in a fixed order. */
  parameters(): MLArray[];
  /** Non-trainable state updated by forward passes (BatchNorm's running statistics), put back when a step fails. */
  buffers?(): MLArray[];
  /** Clears every parameter's gradient. */
  zeroGrad(): void;
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

/** Whether the loss says its predictions are logits (a built-in loss's `fromLogits`). */
export function takesLogits(loss: LossFunction): boolean {
  return (loss as Partial<Loss>).fromLogits === true;
}

/** The loss's own target check (a built-in loss's `checkTargets`) on a whole data set; nothing for other losses. */
export function checkTargets(op: string, loss: LossFunction, y: MLArray, predShape: readonly number[], what: string): void {
  const check = (loss as Partial<Loss>).checkTargets;
  if (typeof check === 'function') inContext(`${op}: `, () => check.call(loss, y, predShape, what));
}

/**
 * Converts and checks (X, y): rows match, at least one sample, all finite, X fits the network
 * (one sample through it, no graph) and y fits the loss for the network's output shape.
 */
export function checkData(op: string, net: Trainable, X: ArrayLikeInput, Y: ArrayLikeInput, names: readonly [string, string]): [MLArray, MLArray] {
  const x = asSamples(op, names[0], X);
  const y = asArray(op, names[1], Y);
  assertSameRows(op, x, y, names[0], names[1]);
  if (x.shape[0] === 0) throw new ValueError(`${op}: ${names[0]} has no samples`);
  assertAllFinite(op, names[0], x);
  assertAllFinite(op, names[1], y);
  const out = inContext(`${op}: ${names[0]} ${formatShape(x.shape)} does not fit the network (checked on its first sample): `, () => net.predict(x.take([0])));
  checkTargets(op, net.lossFunction, y, [x.shape[0]!, ...out.shape.slice(1)], names[1]);
  return [x, y];
}

/**
 * One update, all or nothing. A @smolml/optim optimizer checks the gradients and the updated
 * parameters itself and restores everything when it throws; any other optimizer gets its
 * parameters copied to `backup` first and restored if it throws or leaves a non-finite number
 * (its own state, unknown here, is not restored). The optimizer runs as `optimizer.step(params)`,
 * or, for a replayed step, on the gradients of `replay`'s compiled step (see replay.ts). Nothing is
 * allocated unless the step fails: this runs once per batch.
 */
function applyUpdate(
  op: string, net: Trainable, params: MLArray[], backup: Float64Array[] | null, epoch: number, batch: number, step: number,
  undo: () => void, replayer: Replayer | null, replay: Replay | null,
): void {
  if (backup !== null) for (let i = 0; i < params.length; i++) backup[i]!.set(params[i]!.data);
  try {
    if (replay === null) net.optimizer.step(params);
    else replayer!.update(replay);
  } catch (e) {
    putBack(net, params, backup, undo);
    if (e instanceof ValueError) throw updateFailed(op, `the update failed (${e.message})`, epoch, batch, step, e);
    throw e;
  }
  if (backup === null) return;
  const bad = params.findIndex((p) => !allFinite(p.data));
  if (bad >= 0) {
    putBack(net, params, backup, undo);
    throw updateFailed(op, `the optimizer made parameter ${bad} (shape ${formatShape(params[bad]!.shape)}) non-finite`, epoch, batch, step);
  }
}

/** After a failed update: the parameters from `backup` (when kept), no gradients, and `undo` (the forward pass's state). */
function putBack(net: Trainable, params: MLArray[], backup: Float64Array[] | null, undo: () => void): void {
  if (backup !== null) params.forEach((p, i) => p.data.set(backup[i]!));
  net.zeroGrad();
  undo();
}

/** The TrainingError of a failed update (the model has been put back as it was before the batch). */
function updateFailed(op: string, what: string, epoch: number, batch: number, step: number, cause?: unknown): TrainingError {
  return new TrainingError(
    `${op}: ${what} at epoch ${epoch}, batch ${batch} (step ${step}; all 0-based); training stopped, and the model is as it was before this batch. ` +
      'Lower the learning rate, scale the inputs or clip gradients.',
    epoch, batch, step, cause === undefined ? undefined : { cause },
  );
}

/**
 * The loss of a batch, checked before backward and the update, so the model keeps its last finite
 * weights (`undo` puts back the state the forward pass changed).
 */
function checkLoss(op: string, value: number, epoch: number, batch: number, step: number, undo: () => void): number {
  if (!Number.isFinite(value)) {
    undo();
    throw new TrainingError(
      `${op}: the loss is ${value} at epoch ${epoch}, batch ${batch} (step ${step}; all 0-based); training stopped before this ` +
        'update, so the weights are those of the last finite step. Lower the learning rate, scale the inputs or clip gradients.',
      epoch, batch, step,
    );
  }
  return value;
}

const NO_BUFFERS = { save(): void {}, restore(): void {} };

/** Copies of the buffers' numbers taken before each step, put back if the step fails (a no-op without buffers). */
function keepBuffers(buffers: readonly MLArray[]): { save(): void; restore(): void } {
  if (buffers.length === 0) return NO_BUFFERS;
  const saved = buffers.map((b) => new Float64Array(b.size));
  return {
    save: () => buffers.forEach((b, i) => saved[i]!.set(b.data)),
    restore: () => buffers.forEach((b, i) => b.data.set(saved[i]!)),
  };
}

/** A built-in optimizer's way to keep its state in a backend's memory for a run (BaseOptimizer's, @internal there). */
type LendingOptimizer = Optimizer & {
  lendState(params: readonly MLArray[], allocate: (length: number) => Float64Array, release: (array: Float64Array) => void): () => void;
};

/**
 * Lends the optimizer's state to the backend's memory for one run, when the backend has update
 * kernels to use it (e.g. @smolml/wasm: its WebAssembly loops then update in place); returns what
 * takes it back, which the loop calls however the run ends.
 */
function lendState(net: Trainable, params: readonly MLArray[]): () => void {
  const backend = getBackend();
  const opt = net.optimizer as Partial<LendingOptimizer>;
  const { allocate, release } = backend;
  if (allocate === undefined || release === undefined || backend.updateKernels === undefined || typeof opt.lendState !== 'function') return () => {};
  return (opt as LendingOptimizer).lendState(params, (n) => allocate.call(backend, n), (a) => release.call(backend, a));
}

/**
 * The training loop. Everything is validated before the first update, so a bad option or bad
 * data throws with the model untouched. Yields once after every update.
 */
export function* trainingLoop(op: string, net: Trainable, X: ArrayLikeInput, Y: ArrayLikeInput, options?: TrainOptions | null): Generator<void, History> {
  const o = resolveOptions(op, options);
  const [x, y] = checkData(op, net, X, Y, ['X', 'y']);
  const n = x.shape[0]!;
  const batchSize = Math.min(o.batchSize ?? n, n);
  if (net.layers !== undefined) checkTrainingBatches(op, net.layers, x.shape.slice(1), n, batchSize);
  let val: [MLArray, MLArray] | null = null;
  if (o.validationData !== undefined) {
    val = checkData(op, net, o.validationData[0], o.validationData[1], ['validation X', 'validation y']);
    if (formatShape(val[1].shape.slice(1)) !== formatShape(y.shape.slice(1))) {
      throw new ShapeError(`${op}: validation y has shape ${formatShape(val[1].shape)} but y has ${formatShape(y.shape)}; their rows must match`);
    }
  }
  const classes = isClassTarget(y);
  const valClasses = val !== null && isClassTarget(val[1]);
  const rng = o.shuffleSeed !== undefined ? createRng(o.shuffleSeed) : null;
  const params = net.parameters();
  const backup = isSerializableOptimizer(net.optimizer) ? null : params.map((p) => new Float64Array(p.size));
  const buffers = keepBuffers(net.buffers?.() ?? []);
  const replayer = Replayer.create(net, params);
  const batches = Math.ceil(n / batchSize);
  const history: History = { loss: [] };
  if (classes) history.accuracy = [];
  if (val !== null) history.valLoss = [];
  if (valClasses) history.valAccuracy = [];
  let step = 0;

  // However the run ends (done, an error, an abort, the generator closed early), the compiled
  // steps' buffers and the optimizer's lent state go back to the backend at once (if the
  // generator is dropped unfinished and unclosed, they go back when garbage-collected).
  const takeBack = lendState(net, params);
  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      const order = rng !== null ? rng.permutation(n) : null;
      let lossSum = 0;
      let hits = 0;
      for (let b = 0; b < batches; b++) {
        throwIfAborted(o.signal);
        const start = b * batchSize;
        const end = Math.min(start + batchSize, n);
        const replay = replayer?.ready(end - start) ?? null;
        let pred: MLArray;
        let yb: MLArray;
        let value: number;
        buffers.save();
        if (replay !== null) {
          // The eager branch below, replayed into the compiled step's buffers (replay.ts): same numbers, same checks.
          ({ pred, yb } = replay.load(x, y, order, start, end));
          value = checkLoss(op, replay.forward(), epoch, b, step, buffers.restore);
          replay.backward();
          applyUpdate(op, net, params, backup, epoch, b, step, buffers.restore, replayer, replay);
        } else {
          let xb = x;
          yb = y;
          if (order !== null || batches > 1) {
            const idx = order !== null ? order.subarray(start, end) : Int32Array.from({ length: end - start }, (_, i) => start + i);
            xb = x.take(idx);
            yb = y.take(idx);
          }
          const batchY = yb;
          const run = () => {
            const p = net.forward(xb, TRAINING);
            return { pred: p, loss: net.lossFunction(p, batchY) };
          };
          let loss: MLArray;
          ({ pred, loss } = replayer !== null ? replayer.record(end - start, xb, yb, run) : run());
          if (loss.size !== 1) {
            throw new ShapeError(`${op}: the loss function must return one number, got shape ${formatShape(loss.shape)}`);
          }
          value = checkLoss(op, loss.data[0]!, epoch, b, step, buffers.restore);
          loss.backward();
          applyUpdate(op, net, params, backup, epoch, b, step, buffers.restore, null, null);
          net.zeroGrad();
        }
        lossSum += value * (end - start);
        if (classes) hits += countHits(pred, yb, net.threshold);
        o.onBatchEnd?.(step, { loss: value, epoch, batch: b, size: end - start });
        step++;
        yield;
      }
      const logs: EpochLogs = { loss: lossSum / n };
      history.loss.push(logs.loss);
      if (classes) history.accuracy!.push((logs.accuracy = hits / n));
      if (val !== null) {
        const [vx, vy] = val;
        const vp = net.predict(vx);
        history.valLoss!.push((logs.valLoss = noGrad(() => net.lossFunction(vp, vy)).item()));
        if (valClasses) history.valAccuracy!.push((logs.valAccuracy = countHits(vp, vy, net.threshold) / vy.shape[0]!));
      }
      if (o.verbose && (epoch === 0 || (epoch + 1) % o.printEvery === 0 || epoch === o.epochs - 1)) {
        o.log(formatEpoch(epoch, o.epochs, logs));
      }
      o.onEpochEnd?.(epoch, logs);
    }
  } finally {
    replayer?.dispose();
    takeBack();
  }
  return history;
}

/**
 * `Epoch 10/100 - loss: 0.012345 - accuracy: 0.9800 - valLoss: ...`
 * @example
 * formatEpoch(9, 100, { loss: 0.0123456 }); // 'Epoch 10/100 - loss: 0.012346'
 */
export function formatEpoch(epoch: number, epochs: number, logs: EpochLogs): string {
  const parts = [`Epoch ${epoch + 1}/${epochs}`, `loss: ${logs.loss.toFixed(6)}`];
  if (logs.accuracy !== undefined) parts.push(`accuracy: ${logs.accuracy.toFixed(4)}`);
  if (logs.valLoss !== undefined) parts.push(`valLoss: ${logs.valLoss.toFixed(6)}`);
  if (logs.valAccuracy !== undefined) parts.push(`valAccuracy: ${logs.valAccuracy.toFixed(4)}`);
  return parts.join(' - ');
}

/**
 * Lets the event loop run (rendering, input, timers) between batches of `fit`. Browser-safe:
 * setImmediate where it exists, else a MessageChannel message, else a 0 ms timeout.
 * @example
 * for (const chunk of chunks) {
 *   work(chunk);
 *   await yieldToEventLoop(); // the page repaints between chunks
 * }
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
