/**
 * Whether every number is finite, in one branch-free pass: x * 0 is 0 for finite x and NaN for
 * NaN and ±Infinity, and a single NaN poisons the sum. Cheap enough to run on every gradient
 * of every training step (optimizers and training loops do).
 */
export function allFinite(d: ArrayLike<number>): boolean {
  let probe = 0;
  for (let i = 0; i < d.length; i++) probe += d[i]! * 0;
  return probe === 0;
}
