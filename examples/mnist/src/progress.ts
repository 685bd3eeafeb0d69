/**
 * Per-epoch progress: a live cli-progress bar (batches, loss, samples/s, ETA) on a terminal,
 * one plain line per epoch otherwise (CI logs, files).
 */
import cliProgress from 'cli-progress';
import type { MLArray } from '@smolml/core';
import type { BatchLogs, EpochLogs, History, NeuralNetwork } from '@smolml/nn';

export interface Progress {
  startEpoch(epoch: number): void;
  batch(logs: BatchLogs): void;
  endEpoch(epoch: number, logs: EpochLogs): void;
}

const pct = (x: number | undefined): string => (x === undefined ? '-' : `${(x * 100).toFixed(1)}%`);
const rate = (samples: number, ms: number): string => Math.round((samples * 1000) / Math.max(ms, 1)).toLocaleString('en-US');

export function createProgress({ epochs, batches, out = process.stdout }: { epochs: number; batches: number; out?: NodeJS.WriteStream }): Progress {
  const width = String(epochs).length;
  let started = 0;
  let samples = 0;
  let lossSum = 0;
  let seen = 0;
  const label = (epoch: number): string => `epoch ${String(epoch + 1).padStart(width)}/${epochs}`;

  if (!out.isTTY) {
    return {
      startEpoch() {
        started = performance.now();
        samples = 0;
      },
      batch(logs) {
        samples += logs.size;
      },
      endEpoch(epoch, logs) {
        const ms = performance.now() - started;
        out.write(
          `${label(epoch)}  ${batches} batches  loss ${logs.loss.toFixed(4)}  train acc ${pct(logs.accuracy)}  ` +
            `val acc ${pct(logs.valAccuracy)}  ${rate(samples, ms)} samples/s  ${(ms / 1000).toFixed(1)} s\n`,
        );
      },
    };
  }

  const bar = new cliProgress.SingleBar(
    {
      stream: out,
      format: ' {epoch} {bar} {value}/{total} batches | loss {loss} | {speed} samples/s | {tail}',
      barsize: 24,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    startEpoch(epoch) {
      started = performance.now();
      samples = 0;
      lossSum = 0;
      seen = 0;
      bar.start(batches, 0, { epoch: label(epoch), loss: '-'.padEnd(6), speed: '-', tail: 'ETA -' });
    },
    batch(logs) {
      samples += logs.size;
      lossSum += logs.loss * logs.size;
      seen += logs.size;
      const ms = performance.now() - started;
      const eta = ((batches - logs.batch - 1) * ms) / (logs.batch + 1) / 1000;
      bar.update(logs.batch + 1, { loss: (lossSum / seen).toFixed(4), speed: rate(samples, ms), tail: `ETA ${eta.toFixed(1)} s` });
    },
    endEpoch(_epoch, logs) {
      const ms = performance.now() - started;
      bar.update(batches, { loss: logs.loss.toFixed(4), speed: rate(samples, ms), tail: `${(ms / 1000).toFixed(1)} s | val acc ${pct(logs.valAccuracy)}` });
      bar.stop();
    },
  };
}

/** What `fitWithProgress` measured: the history, the loss of every batch (before its update) and the time. */
export interface FitRun {
  history: History;
  batchLosses: number[];
  /** Training time in seconds (fit only). */
  seconds: number;
  samplesPerSecond: number;
}

/**
 * `net.fit` with shuffled minibatches and a validation set, drawing the live progress bar (unless
 * `quiet`) and recording every batch loss: the training loop the MNIST examples share.
 */
export async function fitWithProgress(
  net: NeuralNetwork,
  X: MLArray,
  y: MLArray,
  options: { epochs: number; batchSize: number; seed: number; validationData: [MLArray, MLArray]; quiet: boolean },
): Promise<FitRun> {
  const { epochs, batchSize, seed, validationData, quiet } = options;
  const progress = quiet ? null : createProgress({ epochs, batches: Math.ceil(X.shape[0]! / batchSize) });
  const batchLosses: number[] = [];
  const start = performance.now();
  progress?.startEpoch(0);
  const history = await net.fit(X, y, {
    epochs,
    batchSize,
    shuffle: true,
    seed,
    validationData,
    callbacks: {
      onBatchEnd: (_step, logs) => {
        batchLosses.push(logs.loss);
        progress?.batch(logs);
      },
      onEpochEnd: (epoch, logs) => {
        progress?.endEpoch(epoch, logs);
        if (epoch + 1 < epochs) progress?.startEpoch(epoch + 1);
      },
    },
  });
  const seconds = (performance.now() - start) / 1000;
  return { history, batchLosses, seconds, samplesPerSecond: (X.shape[0]! * epochs) / seconds };
}
