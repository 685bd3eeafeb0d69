/**
 * GEMM for operands that fit in cache: 4 x 4 register tiles reading A and B where they are
 * stored (any transpose), with no packing. C (m x n) += op(A) @ op(B).
 *
 * Why a third path: packing (gemm-packed.ts) copies every operand once per cache block. That
 * pays off when the operands outgrow the caches, but for the products a convolution makes
 * per image (Cout x Cin·kh·kw @ Cin·kh·kw x Hout·Wout, e.g. 16 x 72 @ 72 x 196) or a small
 * dense layer, the copy costs as much as the arithmetic it saves. Read in place, four rows of
 * op(A) and four columns of op(B) are eight strided streams that stay in L1/L2, and each loaded
 * number is still used four times.
 *
 * The sum over k runs in blocks of KC, each block's sum started at 0 and then added to C, in
 * the order gemm-packed.ts (and @smolml/wasm's kernels) use: a product gives the same bits
 * whichever path runs it.
 */
import { KC } from './gemm-packed.js';

/**
 * C += op(A) @ op(B) for m, n >= 4 (smaller products go to gemmSmall). Rows and columns past
 * the last full tile are plain dot products.
 */
export function gemmTiles(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
): void {
  // A(i, p) = a[i*ar + p*ac], B(p, j) = b[p*br + j*bc]
  const ar = transA ? 1 : k;
  const ac = transA ? m : 1;
  const br = transB ? 1 : n;
  const bc = transB ? k : 1;
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let pc = 0; pc < k; pc += KC) {
    const end = Math.min(k, pc + KC);
    for (let i0 = 0; i0 < m4; i0 += 4) {
      for (let j0 = 0; j0 < n4; j0 += 4) {
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        let ia = i0 * ar + pc * ac;
        let ib = j0 * bc + pc * br;
        for (let p = pc; p < end; p++, ia += ac, ib += br) {
          const a0 = a[ia]!, a1 = a[ia + ar]!, a2 = a[ia + 2 * ar]!, a3 = a[ia + 3 * ar]!;
          const b0 = b[ib]!, b1 = b[ib + bc]!, b2 = b[ib + 2 * bc]!, b3 = b[ib + 3 * bc]!;
          c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
          c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
          c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
          c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        }
        let ci = i0 * n + j0;
        c[ci]! += c00; c[ci + 1]! += c01; c[ci + 2]! += c02; c[ci + 3]! += c03;
        ci += n;
        c[ci]! += c10; c[ci + 1]! += c11; c[ci + 2]! += c12; c[ci + 3]! += c13;
        ci += n;
        c[ci]! += c20; c[ci + 1]! += c21; c[ci + 2]! += c22; c[ci + 3]! += c23;
        ci += n;
        c[ci]! += c30; c[ci + 1]! += c31; c[ci + 2]! += c32; c[ci + 3]! += c33;
      }
    }
    // The ragged edges: the last n % 4 columns of every row, and the last m % 4 rows.
    for (let i = 0; i < m; i++) {
      for (let j = i < m4 ? n4 : 0; j < n; j++) {
        let s = 0;
        for (let p = pc, ia = i * ar + pc * ac, ib = j * bc + pc * br; p < end; p++, ia += ac, ib += br) s += a[ia]! * b[ib]!;
        c[i * n + j]! += s;
      }
    }
  }
}
