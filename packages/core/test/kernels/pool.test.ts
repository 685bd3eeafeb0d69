/**
 * The unrolled 2 x 2 max-pooling argmax (what a replayed step keeps between forward and backward)
 * picks exactly the window maxima the general scan picks: the first maximum, NaN winning, and
 * among +0 and -0 the first, on arrays full of ties.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPool2x2, maxPool2x2Argmax, maxPoolArgmax } from '../../src/kernels/pool.js';
import { window2d } from '../../src/kernels/window.js';

const int = (min: number, max: number) => fc.integer({ min, max });
/** Few distinct values, so windows hold ties, signed zeros and NaNs. */
const value = fc.constantFrom(-1, -0, 0, 0.5, 1, NaN);

describe('maxPool2x2Argmax', () => {
  it('gives the indices maxPoolArgmax gives, on planes of ties, ±0 and NaN', () => {
    const planesOf = fc.record({ planes: int(1, 3), oh: int(1, 4), ow: int(1, 4), oddRow: fc.boolean(), oddCol: fc.boolean() }).chain((s) => {
      // an odd leftover row or column is never read by a 2 x 2 stride-2 window
      const [h, w] = [2 * s.oh + Number(s.oddRow), 2 * s.ow + Number(s.oddCol)];
      const n = s.planes * h * w;
      return fc.array(value, { minLength: n, maxLength: n }).map((xs) => ({ planes: s.planes, h, w, x: Float64Array.from(xs) }));
    });
    fc.assert(
      fc.property(planesOf, ({ planes, h, w, x }) => {
        const g = window2d(h, w, [2, 2], [2, 2], [0, 0]);
        expect(isPool2x2(g)).toBe(true);
        const fast = new Int32Array(planes * g.oh * g.ow);
        const general = new Int32Array(fast.length);
        maxPool2x2Argmax(x, planes, g, fast);
        maxPoolArgmax(x, planes, g, general);
        expect([...fast]).toEqual([...general]);
      }),
      { numRuns: 80, seed: 1301 },
    );
  });
});
