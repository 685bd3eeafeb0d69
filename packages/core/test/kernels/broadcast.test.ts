/**
 * The broadcasting loops, fast paths included (a per-channel operand such as a (1, C, 1, 1)
 * bias against (N, C, H, W) takes blockRight/blockLeft and broadcastTo's fill path): on random
 * shapes (fast-check, seeded) they give exactly what a naive multi-index loop gives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BinaryCode, binaryKernel, blockSplit, broadcastTo } from '../../src/kernels/broadcast.js';
import type { Shape } from '../../src/shape-types.js';

const sizeOf = (s: Shape) => s.reduce((a, d) => a * d, 1);

/** Flat index into an operand of `shape` (right-aligned, size-1 axes stretched) of output element `flat`. */
function sourceIndex(flat: number, shape: Shape, outShape: Shape): number {
  let idx = 0;
  let stride = 1;
  for (let i = outShape.length - 1, j = shape.length - 1; i >= 0; i--, j--) {
    const coord = flat % outShape[i]!;
    flat = Math.floor(flat / outShape[i]!);
    if (j < 0) continue;
    if (shape[j]! !== 1) idx += coord * stride;
    stride *= shape[j]!;
  }
  return idx;
}

const apply = (code: BinaryCode, x: number, y: number) =>
  code === 'add' ? x + y : code === 'sub' ? x - y : code === 'mul' ? x * y : x / y;

/** An output shape and an operand shape broadcastable to it: some leading axes dropped, some axes set to 1. */
const shapes = fc
  .record({
    out: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
    ones: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    drop: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ out, ones, drop }) => {
    const small = out.slice(Math.min(drop, out.length - 1)).map((d, i) => (ones[i] ? 1 : d));
    return { out, small };
  });

const values = (n: number, seed: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(seed + 1.3 * i) * 3 + 0.1);

describe('binaryKernel and broadcastTo', () => {
  it('blockSplit finds per-channel operands: (1, C, 1, 1) and (C, 1, 1) against (N, C, H, W)', () => {
    expect(blockSplit([1, 3, 1, 1], [2, 3, 4, 5])).toEqual([2, 20]);
    expect(blockSplit([3, 1, 1], [2, 3, 4, 5])).toEqual([2, 20]);
    expect(blockSplit([3, 4, 1], [2, 3, 4, 5])).toEqual([2, 5]);
    expect(blockSplit([1, 3, 1, 5], [2, 3, 4, 5])).toBeNull(); // a stretched axis inside the run
    expect(blockSplit([2, 3, 4, 5], [2, 3, 4, 5])).toBeNull(); // inner 1: the plain loops do it
  });

  it('equal a naive loop on random broadcasts, the operand on either side', () => {
    fc.assert(
      fc.property(shapes, fc.constantFrom<BinaryCode>('add', 'sub', 'mul', 'div'), fc.boolean(), fc.integer(), ({ out, small }, code, smallLeft, seed) => {
        const big = values(sizeOf(out), seed);
        const little = values(sizeOf(small), seed + 7);
        const [a, aShape, b, bShape] = smallLeft ? [little, small, big, out] : [big, out, little, small];
        const got = new Float64Array(sizeOf(out));
        binaryKernel(code, a, aShape, b, bShape, got, out);
        const want = got.map((_, i) => apply(code, a[sourceIndex(i, aShape, out)]!, b[sourceIndex(i, bShape, out)]!));
        expect([...got]).toEqual([...want]);
        const spread = new Float64Array(sizeOf(out));
        broadcastTo(little, small, spread, out);
        expect([...spread]).toEqual([...spread.map((_, i) => little[sourceIndex(i, small, out)]!)]);
      }),
      { numRuns: 300, seed: 5101 },
    );
  });
});
