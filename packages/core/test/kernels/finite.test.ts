/**
 * allFinite sums x * 0 in four interleaved sums: it must still say false for a NaN or ±Infinity
 * at any position (each of the four lanes and the leftover tail), on any length, and true for
 * arrays of finite numbers, -0 and the extremes included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allFinite } from '../../src/kernels/finite.js';

const finite = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(-0, 0, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE));

describe('allFinite', () => {
  it('agrees with Number.isFinite on every element, whatever the length and position of the bad number', () => {
    fc.assert(
      fc.property(fc.array(finite, { maxLength: 23 }), fc.nat(), fc.constantFrom(NaN, Infinity, -Infinity, null), (xs, at, bad) => {
        const d = Float64Array.from(xs);
        if (bad !== null && d.length > 0) d[at % d.length] = bad;
        expect(allFinite(d)).toBe(d.every((v) => Number.isFinite(v)));
      }),
      { seed: 14, numRuns: 400 },
    );
  });

  it('finds one bad number in each position of a long array, and accepts plain arrays', () => {
    const d = new Float64Array(1031).fill(-1.5);
    expect(allFinite(d)).toBe(true);
    for (let i = 0; i < d.length; i++) {
      d[i] = i % 2 ? NaN : -Infinity;
      expect(allFinite(d)).toBe(false);
      d[i] = -1.5;
    }
    expect(allFinite([])).toBe(true);
    expect(allFinite([1, 2, Infinity])).toBe(false);
  });
});
