/**
 * relu's loops select with a table load instead of a branch (ops/elementwise.ts). They must give
 * the same bits as the definitions written as branches: relu(x) = x < 0 ? 0 : x and
 * relu'(x) g = x <= 0 ? 0 : g, for every double: -0 stays -0, NaN (any payload, any sign) passes
 * through, negatives and -Infinity give +0, and the gradient keeps g's own bits where it passes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { elementwiseRules } from '../../src/ops/elementwise.js';

const { forward, backward } = elementwiseRules.relu.loops;

/** A NaN with the given sign and payload bits (Float64Array stores keep them as they are). */
function nanWith(negative: boolean, payload: number): number {
  const d = new DataView(new ArrayBuffer(8));
  d.setUint32(0, (negative ? 0xfff00000 : 0x7ff00000) | 0x80000 | (payload & 0x7ffff));
  d.setUint32(4, payload >>> 0);
  return d.getFloat64(0);
}

const special = fc.constantFrom(0, -0, NaN, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, nanWith(true, 12345), nanWith(false, 7));
const anyDouble = fc.oneof(fc.double(), special);
const bits = (d: Float64Array) => Array.from(new Uint32Array(d.buffer, d.byteOffset, 2 * d.length));

describe('relu loops', () => {
  it('forward gives the bits of x < 0 ? 0 : x, in place too', () => {
    fc.assert(
      fc.property(fc.array(anyDouble, { maxLength: 40 }), (xs) => {
        const x = Float64Array.from(xs);
        const want = x.map((v) => (v < 0 ? 0 : v));
        const y = new Float64Array(x.length).fill(7);
        forward(x, y, {});
        expect(bits(y)).toEqual(bits(want));
        forward(x, x, {}); // conv2d's fused relu runs in place
        expect(bits(x)).toEqual(bits(want));
      }),
      { seed: 19, numRuns: 500 },
    );
  });

  it('backward gives the bits of x <= 0 ? 0 : g', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(anyDouble, anyDouble), { maxLength: 40 }), (pairs) => {
        const x = Float64Array.from(pairs, ([v]) => v);
        const g = Float64Array.from(pairs, ([, w]) => w);
        const want = g.map((w, i) => (x[i]! <= 0 ? 0 : w));
        const gx = new Float64Array(g.length).fill(7);
        backward(g, x, x, gx, {});
        expect(bits(gx)).toEqual(bits(want));
      }),
      { seed: 20, numRuns: 500 },
    );
  });

  it('keeps -0 and a signed NaN payload, and maps negatives to +0', () => {
    const x = Float64Array.of(-0, nanWith(true, 99), -3, -Infinity, 2);
    const y = new Float64Array(5);
    forward(x, y, {});
    expect(Object.is(y[0], -0)).toBe(true);
    expect(bits(y.subarray(1, 2))).toEqual(bits(x.subarray(1, 2)));
    expect(Object.is(y[2], 0) && Object.is(y[3], 0)).toBe(true);
    expect(y[4]).toBe(2);
  });
});
