/**
 * Runs training until stopped. Each round is one `fit` call of a single epoch: `fit` yields to the
 * event loop after every batch (so the page keeps drawing and handling clicks), and between
 * rounds we can check for Stop and report the epoch.
 */
import { MLArray } from '@smolml/core';
import type { NeuralNetwork } from '@smolml/nn';
import type { Dataset } from './datasets.js';

export interface EpochReport {
  /** Epochs trained so far (1 after the first). */
  epoch: number;
  /** Mean training loss of the epoch (each batch's loss before its update). */
  loss: number;
  /** Accuracy on the whole data set with the weights at the end of the epoch. */
  accuracy: number;
}

/** Training ends by itself after this many epochs, so a forgotten tab stops using the CPU. */
export const MAX_EPOCHS = 5000;

export class Trainer {
  private readonly x: MLArray;
  private readonly y: MLArray;
  private epoch = 0;
  private stopRequested = false;
  private active = false;

  constructor(
    readonly net: NeuralNetwork,
    data: Dataset,
    readonly batchSize: number,
    /** Seed of the per-epoch shuffles. */
    readonly seed: number,
  ) {
    this.x = MLArray.from(data.x);
    this.y = MLArray.from(data.y.map((label) => [label])); // one 0/1 column: the network's single logit
  }

  get running(): boolean {
    return this.active;
  }

  /** Trains until `stop()` or MAX_EPOCHS, calling `onEpoch` after every epoch. Resumes where it stopped. */
  async run(onEpoch: (report: EpochReport) => void): Promise<void> {
    if (this.active) throw new Error('Trainer.run: already running');
    this.active = true;
    this.stopRequested = false;
    try {
      while (!this.stopRequested && this.epoch < MAX_EPOCHS) {
        const history = await this.net.fit(this.x, this.y, {
          epochs: 1,
          batchSize: this.batchSize,
          shuffle: true,
          seed: this.seed + this.epoch, // a different order every epoch, the same run for the same seed
        });
        this.epoch++;
        const { accuracy = NaN } = this.net.evaluate(this.x, this.y);
        onEpoch({ epoch: this.epoch, loss: history.loss[0]!, accuracy });
      }
    } finally {
      this.active = false;
    }
  }

  /** Asks the loop to end after the current epoch; `run()`'s promise resolves then. */
  stop(): void {
    this.stopRequested = true;
  }
}
