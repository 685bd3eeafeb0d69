/**
 * sumKeep's one-pass per-channel path (kernels/reduce.ts sumBlocks) gives the same bits as
 * summing one axis at a time (reduceKeep with sumAxis), on random shapes and axis sets.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sumAxis } from '../../src/kernels/reduce.js';
import { reduceKeep, sumKeep } from '../../src/ops/util.js';

describe('sumKeep', () => {
  it('equals reduceKeep(sumAxis) bit for bit (per-channel sums of (N, C, H, W) included)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        fc.integer(),
        (shape, pick, seed) => {
          const axes = shape.map((_, i) => i).filter((i) => pick[i]);
          const size = shape.reduce((a, d) => a * d, 1);
          // magnitudes spread over many scales so a different addition order changes the bits
          const x = Float64Array.from({ length: size }, (_, i) => Math.sin(seed + i) * 10 ** ((i * 7) % 9));
          const got = sumKeep(x, shape, axes);
          const want = reduceKeep(x, shape, axes, sumAxis);
          expect(got.shape).toEqual(want.shape);
          expect([...got.data]).toEqual([...want.data]);
        },
      ),
      { numRuns: 400, seed: 5102 },
    );
    // the case the fast path is for, a conv bias gradient: channel c sums 2 images x 20 numbers
    const x = Float64Array.from({ length: 2 * 3 * 4 * 5 }, (_, i) => i);
    const perChannel = (c: number) => [0, 1].reduce((s, n) => s + 20 * (n * 60 + c * 20) + 190, 0);
    expect([...sumKeep(x, [2, 3, 4, 5], [0, 2, 3]).data]).toEqual([0, 1, 2].map(perChannel));
  });
});
