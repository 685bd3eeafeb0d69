import { expect } from 'vitest';

/**
 * numpy.allclose-style check with a readable failure message: every |actual - expected| must be
 * at most atol + rtol * |expected|. NaN matches NaN and an infinity matches itself (so a
 * reference holding NaN or ±Infinity can be compared too); lengths must agree.
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-9, atol = 1e-12, label = ''): void {
  expect(actual.length, `${label} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    // a non-finite reference must be met exactly: |a - Infinity| <= rtol * Infinity holds for any a
    const ok = Number.isFinite(e) ? Math.abs(a - e) <= atol + rtol * Math.abs(e) : a === e || (Number.isNaN(a) && Number.isNaN(e));
    if (!ok) expect.fail(`${label}[${i}]: got ${a}, expected ${e} (rtol ${rtol}, atol ${atol})`);
  }
}
