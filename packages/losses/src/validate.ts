/**
 * Target rules: what each loss accepts as `yTrue` for predictions of a given shape. A loss checks
 * its targets with its rule on every call, and exposes the same rule as `checkTargets`, so a
 * training loop can check a whole data set before the first update with exactly the loss's
 * own check (one place per rule). Positions are reported in the array checked: row and column of
 * a 2-d array, so a check over the whole data set names the sample, not its place in a batch.
 *
 * Shapes must match exactly: broadcasting a (B,) target against (B, 1) predictions would
 * silently build a (B, B) loss, a classic bug.
 */
import { MLArray, ShapeError, ValueError, formatShape } from '@smolml/core';
import { describeValue, sameShape } from '@smolml/core/internal';

/**
 * Checks targets `yTrue` against predictions of shape `yPredShape` for the loss `loss`; `what`
 * names the targets in the message (`'yTrue'`, `'y'`, `'validation y'`). Throws ShapeError or
 * ValueError naming the loss, `what`, and the row (and column) of the first bad entry.
 */
export type TargetRule = (loss: string, yTrue: MLArray, yPredShape: readonly number[], what: string) => void;

/** Throws ValueError unless both inputs are MLArrays. */
export function checkArrays(loss: string, yPred: unknown, yTrue: unknown): void {
  for (const [what, x] of [['yPred', yPred], ['yTrue', yTrue]] as const) {
    if (!(x instanceof MLArray)) {
      throw new ValueError(`${loss}: ${what} must be an MLArray, got ${describeValue(x)}; wrap data with MLArray.from(...)`);
    }
  }
}

/** `row 3, column 1` for 2-d arrays, `index 3` for 1-d, `index [1, 0, 2]` beyond. */
export function position(shape: readonly number[], flat: number): string {
  if (shape.length === 1) return `index ${flat}`;
  if (shape.length === 2) return `row ${Math.floor(flat / shape[1]!)}, column ${flat % shape[1]!}`;
  const at: number[] = [];
  for (let k = shape.length - 1, r = flat; k >= 0; k--) {
    at[k] = r % shape[k]!;
    r = Math.floor(r / shape[k]!);
  }
  return `index [${at.join(', ')}]`;
}

/** (B, C) with B, C >= 1: the losses that need a class axis. */
function check2d(loss: string, shape: readonly number[]): void {
  if (shape.length !== 2 || shape[0] === 0 || shape[1] === 0) {
    throw new ShapeError(`${loss}: yPred must be 2-d (batch, classes) and non-empty, got shape ${formatShape(shape)}`);
  }
}

/** Any finite or infinite numbers, in the shape of the predictions (regression). */
export const values: TargetRule = (loss, yTrue, yPredShape, what) => {
  if (!sameShape(yPredShape, yTrue.shape)) {
    throw new ShapeError(`${loss}: yPred shape ${formatShape(yPredShape)} does not match ${what} shape ${formatShape(yTrue.shape)}; reshape one of them`);
  }
  if (yTrue.size === 0) throw new ShapeError(`${loss}: cannot average over empty arrays of shape ${formatShape(yPredShape)}`);
};

/** Every entry a probability in [0, 1] (NaN rejected), in the shape of the predictions (binary cross-entropy). */
export const probabilities: TargetRule = (loss, yTrue, yPredShape, what) => {
  values(loss, yTrue, yPredShape, what);
  const d = yTrue.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (!(v >= 0 && v <= 1)) {
      throw new ValueError(`${loss}: ${what} must hold probabilities in [0, 1], got ${v} at ${position(yTrue.shape, i)}`);
    }
  }
};

/** How far a row's sum may be from 1: generous for targets computed in float32. */
const SUM_TOLERANCE = 1e-6;

/**
 * Rows `(B, C)` that are distributions over the classes: one-hot, or soft labels in [0, 1]
 * summing to 1 (categorical cross-entropy: one class per sample). A row summing to 0 (a missing
 * label) or to 2 (several labels, which needs binary cross-entropy) is refused.
 */
export const distributions: TargetRule = (loss, yTrue, yPredShape, what) => {
  values(loss, yTrue, yPredShape, what);
  check2d(loss, yPredShape);
  probabilities(loss, yTrue, yPredShape, what);
  const [rows, cols] = yPredShape as [number, number];
  const d = yTrue.data;
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += d[r * cols + j]!;
    if (!(Math.abs(s - 1) <= SUM_TOLERANCE)) {
      throw new ValueError(
        `${loss}: row ${r} of ${what} sums to ${s}, not 1; each row must be one-hot or a probability distribution ` +
          '(for several labels per sample use binaryCrossEntropyFromLogits)',
      );
    }
  }
};

/** Integer class labels `(B,)` in [0, C) for predictions `(B, C)` (sparse categorical cross-entropy). */
export const labels: TargetRule = (loss, yTrue, yPredShape, what) => {
  check2d(loss, yPredShape);
  const [batch, classes] = yPredShape as [number, number];
  if (yTrue.ndim !== 1 || yTrue.shape[0] !== batch) {
    throw new ShapeError(
      `${loss}: ${what} must hold one integer label per row, shape (${batch},), got ${formatShape(yTrue.shape)} ` +
        `for yPred ${formatShape(yPredShape)}; for one-hot targets use a categorical cross-entropy`,
    );
  }
  const d = yTrue.data;
  for (let i = 0; i < batch; i++) {
    const label = d[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new ValueError(`${loss}: ${what} holds label ${label} at index ${i}, which is not an integer class in [0, ${classes})`);
    }
  }
};
