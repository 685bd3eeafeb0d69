/**
 * Training state of the page: the network, its optimizer, the split data, the epoch, the loss
 * history and the gradients of the last step. Work is done in small synchronous pieces (one
 * minibatch at a time) so the page can slice it between frames and stay responsive; the
 * learning rate, regularisation and batch size are read live at every batch.
 */
import { MLArray, type Optimizer, createRng } from '@smolml/core';
import { type Network, evaluateLoss } from './network.js';
import { BackpropStepper } from './stepper.js';
import { type Gradients, type OptimizerName, type Regularization, DIVERGENCE_LOSS, DivergenceError, makeOptimizer, trainStep } from './train.js';

export interface LiveSettings {
  lr: number;
  reg: Regularization;
  regRate: number;
  batchSize: number;
}

export interface SplitData {
  xTrain: MLArray;
  yTrain: MLArray;
  xTest: MLArray;
  yTest: MLArray;
}

/** The page pauses by itself after this many epochs, so a forgotten tab stops using the CPU. */
export const MAX_EPOCHS = 100_000;

export class Trainer {
  readonly optimizer: Optimizer;
  epoch = 0;
  readonly history: { train: number[]; test: number[] } = { train: [], test: [] };
  /** Gradients of the last step (null before the first). */
  lastGradients: Gradients | null = null;
  /** Set once training diverged; the page then offers a reset. */
  diverged: string | null = null;
  /** Order of the training points in this epoch, and how far through it we are. */
  private order: number[] = [];
  private cursor = 0;

  constructor(
    readonly net: Network,
    optimizerName: OptimizerName,
    readonly data: SplitData,
    private readonly live: () => LiveSettings,
    /** Seed of the per-epoch shuffles. */
    private readonly seed: number,
  ) {
    this.optimizer = makeOptimizer(optimizerName, () => this.live().lr);
    this.startEpoch();
  }

  /** Data loss on the training and the test points with the current weights. */
  losses(): { train: number; test: number } {
    return { train: evaluateLoss(this.net, this.data.xTrain, this.data.yTrain), test: evaluateLoss(this.net, this.data.xTest, this.data.yTest) };
  }

  private startEpoch(): void {
    const n = this.data.xTrain.shape[0]!;
    const rng = createRng(this.seed * 100_003 + this.epoch);
    this.order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      [this.order[i], this.order[j]] = [this.order[j]!, this.order[i]!];
    }
    this.cursor = 0;
  }

  /** The next minibatch of this epoch (does not advance). */
  private peekBatch(): { x: MLArray; y: MLArray; size: number } {
    const size = Math.max(1, Math.min(this.live().batchSize, this.order.length - this.cursor));
    const idx = this.order.slice(this.cursor, this.cursor + size);
    return { x: this.data.xTrain.take(idx), y: this.data.yTrain.take(idx), size };
  }

  /** Advances past a batch of `size`; at the end of the epoch, records the losses. Returns whether the epoch ended. */
  private advance(size: number): boolean {
    this.cursor += size;
    if (this.cursor < this.order.length) return false;
    this.epoch++;
    const { train, test } = this.losses();
    this.history.train.push(train);
    this.history.test.push(test);
    if (!Number.isFinite(train) || train > DIVERGENCE_LOSS) {
      this.fail(`the training loss reached ${train.toPrecision(3)} at epoch ${this.epoch}`);
    }
    this.startEpoch();
    return true;
  }

  private fail(reason: string): never {
    this.diverged = reason;
    throw new DivergenceError(reason);
  }

  /** One minibatch: forward, backward, update. Returns true when it completed an epoch. */
  runBatch(): boolean {
    if (this.diverged !== null) throw new DivergenceError(this.diverged);
    const { x, y, size } = this.peekBatch();
    const { reg, regRate } = this.live();
    try {
      this.lastGradients = trainStep(this.net, this.optimizer, x, y, { reg, regRate }).gradients;
    } catch (e) {
      if (e instanceof DivergenceError) this.fail(`${e.message} at epoch ${this.epoch + 1}`);
      throw e;
    }
    return this.advance(size);
  }

  /** Runs batches until the current epoch is complete ("step"). */
  runEpoch(): void {
    while (!this.runBatch()) {
      // each call trains one batch
    }
  }

  /** A layer-by-layer walk through the next batch's step; call finishStepper() once it is done. */
  stepper(): BackpropStepper {
    if (this.diverged !== null) throw new DivergenceError(this.diverged);
    const { x, y } = this.peekBatch();
    const { reg, regRate } = this.live();
    return new BackpropStepper(this.net, this.optimizer, x, y, { reg, regRate });
  }

  /** Books a completed stepper's batch as trained. Returns true when it completed an epoch. */
  finishStepper(stepper: BackpropStepper): boolean {
    if (!stepper.done) throw new Error('Trainer.finishStepper: the step is not complete');
    this.lastGradients = stepper.gradients;
    return this.advance(stepper.x.shape[0]!);
  }
}

/** Rows `idx` of a dataset as arrays: features (n, k) and targets (n, 1). */
export function toArrays(features: MLArray, targets: readonly number[], idx: readonly number[]): { x: MLArray; y: MLArray } {
  return { x: features.take(idx), y: MLArray.from(Float64Array.from(idx, (i) => targets[i]!), { shape: [idx.length, 1] }) };
}
