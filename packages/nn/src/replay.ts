/**
 * Replayed training steps: how `train` and `fit` make a step of a small network cost little more
 * than its arithmetic (docs/performance.md, "Small networks").
 *
 * The first batch of each size runs eagerly, as always, while core traces the primitives its
 * forward pass and loss apply; the trace is compiled (core's `compileStep`) into a step that
 * replays the same kernels, in the same order, into buffers it allocates once. Later batches of
 * that size copy their rows into those buffers and run the compiled step: the same numbers bit
 * for bit, without building arrays, graph nodes or checking shapes again. The update is the
 * optimizer's own atomic step, fed the compiled step's gradient buffers instead of `.grad`.
 *
 * A trace stands for later batches only when the step is a fixed function of the batch: so
 * only networks of built-in parts replay (`Replayer.create`): a `NeuralNetwork` (not a subclass)
 * of built-in layers that compute only from their input and parameters (`replayable`), with
 * built-in activations, a built-in loss whose params do not come from the targets (not the
 * sparse ones, which gather by label), and an optimizer of @smolml/optim. Any other network, and
 * any batch the replay cannot take (a parameter that already has a `.grad`, a part swapped
 * since), runs eagerly.
 */
import { MLArray } from '@smolml/core';
import { type CompiledStep, compileStep, trace } from '@smolml/core/internal';
import { lossName } from '@smolml/losses';
import { type SerializableOptimizer, isSerializableOptimizer } from '@smolml/optim';
import { type ActivationFunction, activationName } from './activations.js';
import type { Layer } from './layer.js';
import { Activation } from './layers/activation.js';
import { AvgPool2D } from './layers/avg-pool2d.js';
import { Conv2D } from './layers/conv2d.js';
import { DenseLayer } from './layers/dense.js';
import { Dropout } from './layers/dropout.js';
import { Flatten } from './layers/flatten.js';
import { LayerNorm } from './layers/layer-norm.js';
import { MaxPool2D } from './layers/max-pool2d.js';
import type { Trainable } from './training.js';

/** What a replayed batch hands back to the loop: the predictions and targets it used, as arrays over the step's buffers. */
export interface ReplayedBatch {
  readonly pred: MLArray;
  readonly yb: MLArray;
}

/** The optimizer entry point a replayed step updates through (BaseOptimizer's, @internal there). */
type ReplayOptimizer = SerializableOptimizer & {
  stepWithGradients(params: readonly MLArray[], grads: readonly (Float64Array | null)[], thetas?: readonly Float64Array[]): void;
};

/** A step compiled for one batch size, with arrays over its buffers for the loop's bookkeeping. */
export class Replay {
  readonly pred: MLArray;
  readonly yb: MLArray;
  constructor(
    private readonly step: CompiledStep,
    predShape: readonly number[],
    targetShape: readonly number[],
  ) {
    this.pred = new MLArray(step.outputs[0]!, [...predShape]);
    this.yb = new MLArray(step.inputs[1]!, [...targetShape]);
  }

  /** Copies the batch's rows (`order[start..end)`, or start..end in order) into the step's inputs. */
  load(x: MLArray, y: MLArray, order: Int32Array | null, start: number, end: number): ReplayedBatch {
    copyRows(x.data, this.step.inputs[0]!, order, start, end);
    copyRows(y.data, this.step.inputs[1]!, order, start, end);
    return this;
  }

  forward(): number {
    return this.step.forward();
  }

  /** Backpropagates the last forward(); the gradients stay in the step's buffers (`grads`) for the update. */
  backward(): void {
    this.grads = this.step.backward();
  }

  /** Each parameter's gradient from the last backward() (null where the loss does not depend on it). */
  grads: readonly (Float64Array | null)[] = [];

  /** Each parameter's numbers as of the last forward(), where the step's kernels read them (see CompiledStep.params). */
  get params(): readonly Float64Array[] {
    return this.step.params;
  }

  dispose(): void {
    this.step.dispose();
  }
}

/** Rows `order[start..end)` (or start..end) of `src` into `dst`: take()'s copies, without the array. */
function copyRows(src: Float64Array, dst: Float64Array, order: Int32Array | null, start: number, end: number): void {
  const row = dst.length / (end - start);
  if (order === null && dst.length > 64) {
    dst.set(src.subarray(start * row, end * row));
    return;
  }
  if (order === null) {
    for (let t = 0, from = start * row; t < dst.length; t++) dst[t] = src[from + t]!; // set()'s fixed cost dominates for a few numbers
    return;
  }
  for (let r = start; r < end; r++) {
    const from = order[r]! * row;
    const to = (r - start) * row;
    for (let j = 0; j < row; j++) dst[to + j] = src[from + j]!;
  }
}

/** The built-in parts a network must be made of to replay, as references to compare before each step. */
interface Parts {
  readonly layers: readonly Layer[];
  /** Each layer's activation function (undefined for a layer without one), as traced. */
  readonly activations: readonly unknown[];
  readonly loss: unknown;
  readonly optimizer: ReplayOptimizer;
}

/** Built-in layers whose training-mode forward is a fixed function of the input and parameters. */
const PURE: readonly object[] = [DenseLayer.prototype, Conv2D.prototype, Activation.prototype, Flatten.prototype, MaxPool2D.prototype, AvgPool2D.prototype, LayerNorm.prototype];

/**
 * Whether a trace of `layer` can stand for its later training-mode passes: a built-in layer
 * (not a subclass, no own `forward`) that computes only from its input and parameters, with a
 * built-in activation. Not Dropout (a fresh random mask each pass, unless p = 0), not BatchNorm
 * (it updates its running statistics outside the traced operations), not custom layers.
 */
function replayable(layer: Layer): boolean {
  if (Object.hasOwn(layer, 'forward')) return false;
  const proto: unknown = Object.getPrototypeOf(layer);
  if (proto === Dropout.prototype) return (layer as Dropout).p === 0;
  if (!PURE.includes(proto as object)) return false;
  const fn = (layer as { activation?: ActivationFunction }).activation;
  return fn === undefined || activationName(fn) !== undefined;
}

function replayableParts(net: Trainable): Parts | null {
  const layers = net.layers;
  // A subclass may override forward with work the trace cannot see: NeuralNetwork itself only
  // (trainingLoop is only ever given NeuralNetworks, so a class that extends nothing is one).
  const proto: unknown = Object.getPrototypeOf(net);
  if (layers === undefined || proto === null || Object.getPrototypeOf(proto) !== Object.prototype || Object.hasOwn(net, 'forward')) return null;
  if (!layers.every(replayable)) return null;
  const name = lossName(net.lossFunction);
  if (name === undefined || name.startsWith('sparse')) return null;
  const opt = net.optimizer;
  if (!isSerializableOptimizer(opt) || typeof (opt as Partial<ReplayOptimizer>).stepWithGradients !== 'function') return null;
  return {
    layers: [...layers],
    activations: layers.map((l) => (l as { activation?: unknown }).activation),
    loss: net.lossFunction,
    optimizer: opt as ReplayOptimizer,
  };
}

/**
 * The replayed steps of one training run (one `train` or `fit` call): at most one compiled step
 * per batch size (a full batch and a smaller last one). Disposed when the run ends, which gives
 * the steps' buffers back to the backend (e.g. @smolml/wasm's shared memory) at once.
 */
export class Replayer {
  private readonly steps = new Map<number, Replay | null>();

  private constructor(
    private readonly net: Trainable,
    private readonly parts: Parts,
    private readonly params: readonly MLArray[],
  ) {}

  /** The replayer for a run of `net`, or null when the network is not made of built-in parts. */
  static create(net: Trainable, params: readonly MLArray[]): Replayer | null {
    const parts = replayableParts(net);
    return parts === null ? null : new Replayer(net, parts, params);
  }

  /**
   * The compiled step for a batch of `size` rows, when there is one and nothing changed that it
   * depends on (a callback may have swapped a part): the same layers, activations, loss and
   * optimizer, and no parameter holding a `.grad` (backward would add to it).
   */
  ready(size: number): Replay | null {
    const r = this.steps.get(size);
    if (r === undefined || r === null) return null;
    const { layers, activations, loss } = this.parts;
    const now = this.net.layers!;
    if (this.net.lossFunction !== loss || this.net.optimizer !== this.parts.optimizer || now.length !== layers.length) return null;
    for (let i = 0; i < layers.length; i++) {
      if (now[i] !== layers[i] || (layers[i] as { activation?: unknown }).activation !== activations[i]) return null;
    }
    // The layers' parameter arrays are readonly fields: the same arrays as when traced.
    for (let i = 0; i < this.params.length; i++) if (this.params[i]!.grad !== null) return null;
    return r;
  }

  /**
   * Runs `run` (the eager forward pass and loss on `xb`, `yb`); the first time for this batch
   * size it is traced and compiled, before backward releases its graph.
   */
  record(size: number, xb: MLArray, yb: MLArray, run: () => { pred: MLArray; loss: MLArray }): { pred: MLArray; loss: MLArray } {
    if (this.steps.has(size)) return run();
    const { result, ops } = trace(run);
    const step = compileStep({ ops, loss: result.loss, inputs: [xb, yb], params: this.params, outputs: [result.pred] });
    this.steps.set(size, 'reason' in step ? null : new Replay(step, result.pred.shape, yb.shape));
    return result;
  }

  /**
   * The optimizer's atomic step on the gradients of `replay`'s last backward(), reading the
   * parameters from its copies (nothing changes them between its forward() and this update).
   */
  update(replay: Replay): void {
    this.parts.optimizer.stepWithGradients(this.params, replay.grads, replay.params);
  }

  /** Gives every compiled step's buffers back to the backend; the replayer is not used after. */
  dispose(): void {
    for (const r of this.steps.values()) r?.dispose();
    this.steps.clear();
  }
}
