/**
 * Input checks shared by the losses. Shapes must match exactly: broadcasting a (B,) target
 * against (B, 1) predictions would silently build a (B, B) loss, a classic bug.
 */
import { MLArray, ShapeError, ValueError, formatShape } from '@smolml/core';

export function checkArrays(loss: string, yPred: unknown, yTrue: unknown): void {
  for (const [what, x] of [['yPred', yPred], ['yTrue', yTrue]] as const) {
    if (!(x instanceof MLArray)) {
      throw new ValueError(`${loss}: ${what} must be an MLArray, got ${x === null ? 'null' : typeof x}; wrap data with MLArray.from(...)`);
    }
  }
}

/** Same shape, non-empty. */
export function checkSameShape(loss: string, yPred: MLArray, yTrue: MLArray): void {
  checkArrays(loss, yPred, yTrue);
  const a = yPred.shape;
  const b = yTrue.shape;
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new ShapeError(`${loss}: yPred shape ${formatShape(a)} does not match yTrue shape ${formatShape(b)}; reshape one of them`);
  }
  if (yPred.size === 0) throw new ShapeError(`${loss}: cannot average over empty arrays of shape ${formatShape(a)}`);
}

/** (B, C) with B, C >= 1: the losses that need a class axis. */
export function check2d(loss: string, what: string, x: MLArray): void {
  if (x.ndim !== 2 || x.shape[0] === 0 || x.shape[1] === 0) {
    throw new ShapeError(`${loss}: ${what} must be 2-d (batch, classes) and non-empty, got shape ${formatShape(x.shape)}`);
  }
}

/** Targets that are probabilities: every element in [0, 1] (NaN rejected too). */
export function checkProbabilities(loss: string, what: string, x: MLArray): void {
  const d = x.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (!(v >= 0 && v <= 1)) {
      throw new ValueError(`${loss}: ${what} must hold probabilities in [0, 1], got ${v} at flat index ${i}`);
    }
  }
}
