/**
 * The options of `train` and `fit`, checked all at once before anything else happens: an unknown
 * key (`{ epoch: 5 }`) gets a "did you mean", `null` means "the default" (for the whole object
 * and for each value), callbacks must be functions, and an already-aborted signal stops here.
 */
import { ValueError } from '@smolml/core';
import { checkInteger, checkNumber, checkOptions, describeValue, interval, isPlainObject } from '@smolml/core/internal';
import type { ArrayLikeInput } from './input.js';

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

/** Functions called during training (each optional). */
export interface TrainCallbacks {
  /** After every epoch (0-based `epoch`, the index into History arrays). */
  onEpochEnd?: ((epoch: number, logs: EpochLogs) => void) | null | undefined;
  /** After every update (`step` counts updates from 0 across epochs). */
  onBatchEnd?: ((step: number, logs: BatchLogs) => void) | null | undefined;
}

/** Options of `train` and `fit`; `null` for any of them means its default. */
export interface TrainOptions {
  /** Passes over the data (default 100). */
  epochs?: number | null;
  /** Samples per update (default: all of them, full batch). A smaller last batch takes the rest. */
  batchSize?: number | null;
  /** Reshuffle the samples before every epoch (default false). */
  shuffle?: boolean | null;
  /** Seed of the shuffle (default: a random seed). */
  seed?: number | null;
  /** Evaluated after every epoch into `valLoss` (and `valAccuracy` for class targets). */
  validationData?: readonly [ArrayLikeInput, ArrayLikeInput] | null;
  /** Print a line every `printEvery` epochs (and the first and last) (default false). */
  verbose?: boolean | null;
  /** Default 10. */
  printEvery?: number | null;
  /** Where verbose lines go (default console.log). */
  log?: ((line: string) => void) | null;
  callbacks?: TrainCallbacks | null;
  /**
   * Stops training between batches once aborted: the current batch finishes (its update is
   * applied whole), then `train` throws and `fit` rejects with the signal's reason (a
   * DOMException named `AbortError` when aborted without one).
   */
  signal?: AbortSignal | null;
}

/** The options with their defaults filled in. */
export interface ResolvedOptions {
  epochs: number;
  /** undefined: full batch. */
  batchSize: number | undefined;
  /** undefined: no shuffling. */
  shuffleSeed: number | undefined;
  validationData: readonly [ArrayLikeInput, ArrayLikeInput] | undefined;
  verbose: boolean;
  printEvery: number;
  log: (line: string) => void;
  onEpochEnd: ((epoch: number, logs: EpochLogs) => void) | undefined;
  onBatchEnd: ((step: number, logs: BatchLogs) => void) | undefined;
  signal: AbortSignal | undefined;
}

const KEYS = ['epochs', 'batchSize', 'shuffle', 'seed', 'validationData', 'verbose', 'printEvery', 'log', 'callbacks', 'signal'];
const CALLBACK_KEYS = ['onEpochEnd', 'onBatchEnd'];
const anyNumber = interval('(-inf, inf)');

function flag(op: string, name: string, v: unknown): boolean {
  if (v == null) return false;
  if (typeof v !== 'boolean') throw new ValueError(`${op}: ${name} must be true or false, got ${describeValue(v)}`);
  return v;
}

function callback<F>(op: string, name: string, v: unknown): F | undefined {
  if (v == null) return undefined;
  if (typeof v !== 'function') throw new ValueError(`${op}: ${name} must be a function, got ${describeValue(v)}`);
  return v as F;
}

/** Throws the signal's reason if it is aborted (an AbortError DOMException if it has none). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal === undefined || !signal.aborted) return;
  throw signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** Checks every option (see TrainOptions) and fills in the defaults. */
export function resolveOptions(op: string, options: TrainOptions | null | undefined): ResolvedOptions {
  const o = checkOptions<TrainOptions>(op, options, KEYS);
  let signal: AbortSignal | undefined;
  if (o.signal != null) {
    if (typeof o.signal !== 'object' || typeof (o.signal as { aborted?: unknown }).aborted !== 'boolean') {
      throw new ValueError(`${op}: signal must be an AbortSignal (new AbortController().signal), got ${describeValue(o.signal)}`);
    }
    signal = o.signal;
  }
  throwIfAborted(signal);
  if (o.callbacks != null && !isPlainObject(o.callbacks)) {
    throw new ValueError(`${op}: callbacks must be an object { onEpochEnd?, onBatchEnd? }, got ${describeValue(o.callbacks)}`);
  }
  const cb = checkOptions<TrainCallbacks>(`${op}: callbacks`, o.callbacks, CALLBACK_KEYS);
  const shuffle = flag(op, 'shuffle', o.shuffle);
  const seed = o.seed == null ? undefined : checkNumber(op, 'seed', o.seed, anyNumber);
  if (o.validationData != null && (!Array.isArray(o.validationData) || o.validationData.length !== 2)) {
    throw new ValueError(`${op}: validationData must be a pair [X, y], got ${describeValue(o.validationData)}`);
  }
  return {
    epochs: o.epochs == null ? 100 : checkInteger(op, 'epochs', o.epochs, 0),
    batchSize: o.batchSize == null ? undefined : checkInteger(op, 'batchSize', o.batchSize),
    shuffleSeed: shuffle ? (seed ?? Math.floor(Math.random() * 2 ** 32)) : undefined,
    validationData: o.validationData ?? undefined,
    verbose: flag(op, 'verbose', o.verbose),
    printEvery: o.printEvery == null ? 10 : checkInteger(op, 'printEvery', o.printEvery),
    log: callback<(line: string) => void>(op, 'log', o.log) ?? defaultLog,
    onEpochEnd: callback(op, 'callbacks.onEpochEnd', cb.onEpochEnd),
    onBatchEnd: callback(op, 'callbacks.onBatchEnd', cb.onBatchEnd),
    signal,
  };
}

function defaultLog(line: string): void {
  // verbose: true is the user asking for progress lines; this is the library's only output.
  // eslint-disable-next-line no-console
  console.log(line);
}
