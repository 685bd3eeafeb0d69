/**
 * The im2col/col2im kernels and the memory behaviour of convolution: col2im is exactly the
 * adjoint of im2col, the graph never holds a patch matrix, and the one reused patch buffer
 * stays the size of one image's patches (bounded, whatever the batch or input size).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MLArray } from '../../src/index.js';
import { SCRATCH_LIMIT, col2im, im2col, retainedPatchBuffer } from '../../src/kernels/conv.js';
import { window2d } from '../../src/kernels/window.js';
import { distinctArray } from '../image-reference.js';

const int = (min: number, max: number) => fc.integer({ min, max });

describe('im2col / col2im', () => {
  it('im2col reads x[c, i*sh - ph + ki, j*sw - pw + kj] (0 in the padding) into row (c, ki, kj), column (i, j)', () => {
    // 1 channel 3x3 image 1..9, 2x2 kernel, stride 1, padding 1: 4x4 output positions
    const x = Float64Array.from({ length: 9 }, (_, i) => i + 1);
    const g = window2d(3, 3, [2, 2], [1, 1], [1, 1]);
    const cols = new Float64Array(4 * 16).fill(NaN);
    im2col(x, 0, 1, g, cols);
    // tap (0, 0) sees the input shifted down-right by one
    expect([...cols.subarray(0, 16)]).toEqual([0, 0, 0, 0, 0, 1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9]);
    // tap (1, 1) sees it shifted up-left by one
    expect([...cols.subarray(48, 64)]).toEqual([1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9, 0, 0, 0, 0, 0]);
  });

  it('im2col equals its definition entry by entry, the stride-1 "same" block-copy path included', () => {
    fc.assert(
      fc.property(
        fc.record({ c: int(1, 3), kh: int(1, 5), pw: int(0, 3), ph: int(0, 3), same: fc.boolean(), kw0: int(1, 5), sh: int(1, 2), h: int(1, 7), w: int(1, 7), seed: fc.integer() }),
        ({ c, kh, pw, ph, same, kw0, sh, h, w, seed }) => {
          // same: stride 1 and kw = 2 pw + 1, so the output has w columns (the fast path)
          const kw = same ? 2 * pw + 1 : kw0;
          const [sr, sc] = same ? [1, 1] : [sh, 1 + (seed & 1)];
          if (h + 2 * ph < kh || w + 2 * pw < kw) return;
          const g = window2d(h, w, [kh, kw], [sr, sc], [ph, pw]);
          const x = distinctArray([2, c, h, w], seed).data;
          const cols = new Float64Array(c * kh * kw * g.oh * g.ow).fill(NaN);
          im2col(x, c * h * w, c, g, cols);
          let d = 0;
          for (let ch = 0; ch < c; ch++) for (let ki = 0; ki < kh; ki++) for (let kj = 0; kj < kw; kj++) for (let i = 0; i < g.oh; i++) for (let j = 0; j < g.ow; j++, d++) {
            const [r, q] = [i * sr - ph + ki, j * sc - pw + kj];
            const want = r >= 0 && r < h && q >= 0 && q < w ? x[((1 * c + ch) * h + r) * w + q]! : 0;
            if (cols[d] !== want) expect.fail(`cols[${d}] (c ${ch}, tap ${ki},${kj}, at ${i},${j}) = ${cols[d]}, want ${want}`);
          }
        },
      ),
      { numRuns: 300, seed: 1302 },
    );
  });

  it('col2im adds each entry onto the input position im2col read it from, bit for bit (the "same" path included)', () => {
    fc.assert(
      fc.property(
        fc.record({ c: int(1, 3), kh: int(1, 5), pw: int(0, 3), ph: int(0, 3), same: fc.boolean(), kw0: int(1, 5), sh: int(1, 2), h: int(1, 7), w: int(1, 7), seed: fc.integer() }),
        ({ c, kh, pw, ph, same, kw0, sh, h, w, seed }) => {
          const kw = same ? 2 * pw + 1 : kw0;
          const [sr, sc] = same ? [1, 1] : [sh, 1 + (seed & 1)];
          if (h + 2 * ph < kh || w + 2 * pw < kw) return;
          const g = window2d(h, w, [kh, kw], [sr, sc], [ph, pw]);
          const cols = distinctArray([c * kh * kw, g.oh * g.ow], seed).data;
          const want = new Float64Array(2 * c * h * w);
          let d = 0;
          for (let ch = 0; ch < c; ch++) for (let ki = 0; ki < kh; ki++) for (let kj = 0; kj < kw; kj++) for (let i = 0; i < g.oh; i++) for (let j = 0; j < g.ow; j++, d++) {
            const [r, q] = [i * sr - ph + ki, j * sc - pw + kj];
            if (r >= 0 && r < h && q >= 0 && q < w) want[((c + ch) * h + r) * w + q]! += cols[d]!;
          }
          const got = new Float64Array(2 * c * h * w);
          col2im(cols.slice(), c, g, got, c * h * w);
          expect([...got]).toEqual([...want]);
        },
      ),
      { numRuns: 300, seed: 1303 },
    );
  });

  it('col2im is the adjoint of im2col: <im2col(x), c> = <x, col2im(c)>', () => {
    fc.assert(
      fc.property(
        fc.record({ c: int(1, 3), kh: int(1, 4), kw: int(1, 4), sh: int(1, 3), sw: int(1, 3), ph: int(0, 3), pw: int(0, 3), eh: int(0, 5), ew: int(0, 5), seed: fc.integer() }),
        ({ c, kh, kw, sh, sw, ph, pw, eh, ew, seed }) => {
          const h = Math.max(1, kh - 2 * ph) + eh;
          const w = Math.max(1, kw - 2 * pw) + ew;
          const g = window2d(h, w, [kh, kw], [sh, sw], [ph, pw]);
          const rows = c * kh * kw;
          const x = distinctArray([2, c, h, w], seed).data; // patches of the second image: offset c*h*w
          const cmat = distinctArray([rows, g.oh * g.ow], seed + 1).data;
          const cols = new Float64Array(rows * g.oh * g.ow);
          im2col(x, c * h * w, c, g, cols);
          const back = new Float64Array(x.length);
          col2im(cmat, c, g, back, c * h * w);
          let lhs = 0;
          for (let i = 0; i < cols.length; i++) lhs += cols[i]! * cmat[i]!;
          let rhs = 0;
          for (let i = 0; i < x.length; i++) rhs += x[i]! * back[i]!;
          expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-11 * (1 + Math.abs(lhs)));
          expect(back.subarray(0, c * h * w).every((v) => v === 0)).toBe(true); // the first image is untouched
        },
      ),
      { numRuns: 100, seed: 1301 },
    );
  });
});

/** Every typed array reachable from `root` through object properties (the graph: nodes, inputs, params). */
function reachableBuffers(root: object): Set<Float64Array> {
  const seen = new Set<unknown>();
  const found = new Set<Float64Array>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (v instanceof Float64Array) {
      found.add(v);
      continue;
    }
    if (ArrayBuffer.isView(v)) continue;
    for (const key of Object.keys(v)) stack.push((v as Record<string, unknown>)[key]);
  }
  return found;
}

describe('convolution memory', () => {
  it('the graph holds only the arrays of the computation, never a patch matrix; backward releases it', () => {
    const x = distinctArray([4, 3, 10, 10], 1);
    const w = new MLArray(distinctArray([5, 3, 3, 3], 2).data, [5, 3, 3, 3], true);
    const y = x.conv2d(w, { padding: 1 });
    const z = y.relu().maxPool2d(2);
    const loss = z.sum();
    const held = reachableBuffers(loss);
    expect(held).toEqual(new Set([x.data, w.data, y.data, (z.node!.inputs[0] as MLArray).data, z.data, loss.data]));
    loss.backward();
    expect(loss.node).toBeNull();
    expect(y.node).toBeNull();
    expect(reachableBuffers(loss)).toEqual(new Set([loss.data]));
    expect(w.grad!.shape).toEqual([5, 3, 3, 3]);
  });

  it('the reused patch buffer holds one image, not the batch, and huge patch matrices are not kept', () => {
    const k = 4 * 3 * 3;
    const p = 64 * 64;
    const x = MLArray.zeros([16, 4, 64, 64]);
    const w = MLArray.zeros([2, 4, 3, 3], { requiresGrad: true });
    x.conv2d(w, { padding: 1 }).sum().backward();
    const kept = retainedPatchBuffer();
    expect(kept).toBeGreaterThanOrEqual(k * p);
    expect(kept).toBeLessThan(16 * k * p);
    expect(kept).toBeLessThanOrEqual(SCRATCH_LIMIT);
    // one image whose patches (4 x 799·799 numbers) exceed the limit: computed, then dropped
    const big = MLArray.zeros([1, 1, 800, 800]).conv2d(MLArray.ones([1, 1, 2, 2], { requiresGrad: true }));
    expect(big.shape).toEqual([1, 1, 799, 799]);
    big.sum().backward();
    expect(retainedPatchBuffer()).toBe(kept);
  });
});
