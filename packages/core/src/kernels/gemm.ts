/**
 * Pure TypeScript GEMM on row-major Float64Array matrices (see Backend.gemm):
 * C (m x n) = op(A) @ op(B) (+ C when accumulating).
 *
 * Three paths:
 *  - tiny products (a few hundred multiply-adds, e.g. XOR's 4 x 2 @ 2 x 16) and matrix-vector
 *    products run simple loops: packing would not pay for itself;
 *  - products whose operands fit in cache (a convolution's per-image products, small layers)
 *    run 4 x 4 register tiles on the operands in place (gemm-tiles.ts);
 *  - everything else runs the blocked, packed kernel of gemm-packed.ts (GotoBLAS layout:
 *    cache blocks, panels packed contiguously, a 4 x 4 register tile).
 * Both read transposed operands in place: no transpose is ever materialised.
 */
import { ShapeError, ValueError } from '../errors.js';
import { describeValue } from '../validate.js';
import { gemmPacked } from './gemm-packed.js';
import { gemmTiles } from './gemm-tiles.js';
import { zeroPrefix } from './layout.js';

/**
 * At or below this many multiply-adds both paths take about the same time (the packing
 * overhead eats the tile's gain), so the simpler loops run. With fewer than 4 rows or columns
 * (matrix-vector products) the 4 x 4 tile would be mostly zero padding.
 */
const SMALL = 8 * 8 * 8;
/**
 * Operands of at most this many numbers together (512 KiB, about an L2 cache) are read in
 * place; measured on the W5 convolution shapes and square products, the unpacked tiles are
 * 1.1-2.3x faster up to 128 x 128 x 128 and the packed kernel wins from 256 x 256 x 256.
 */
const IN_CACHE = 64 * 1024;

/**
 * Checks the arguments of a `Backend.gemm` call (core's own calls always pass; this is for a
 * backend's gemm called directly): sizes that are integers >= 0, and Float64Array operands
 * holding at least the numbers the product reads and writes. Throws a ValueError or ShapeError
 * naming them, instead of reading past an operand (NaN, or stale memory in a backend's own).
 */
export function checkGemm(op: string, m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array): void {
  const sizes = Number.isInteger(m) && Number.isInteger(n) && Number.isInteger(k) && m >= 0 && n >= 0 && k >= 0;
  const arrays = a instanceof Float64Array && b instanceof Float64Array && c instanceof Float64Array;
  if (sizes && arrays && a.length >= m * k && b.length >= k * n && c.length >= m * n) return; // every call of core's (runs per product)
  for (const [name, v] of [['m', m], ['n', n], ['k', k]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new ValueError(`${op}: ${name} must be an integer >= 0, got ${describeValue(v)}`);
  }
  for (const [name, x] of [['A', a], ['B', b], ['C', c]] as const) {
    if (!(x instanceof Float64Array)) throw new ValueError(`${op}: ${name} must be a Float64Array, got ${describeValue(x)}`);
  }
  if (a.length < m * k || b.length < k * n || c.length < m * n) {
    throw new ShapeError(
      `${op}: a (${m} x ${k}) @ (${k} x ${n}) product reads ${m * k} numbers of A and ${k * n} of B and writes ${m * n} of C, ` +
        `but A holds ${a.length}, B ${b.length} and C ${c.length}`,
    );
  }
}

export function gemmJs(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  accumulate: boolean,
): void {
  checkGemm('gemm', m, n, k, a, b, c);
  if (!accumulate) zeroPrefix(c, m * n);
  if (m === 0 || n === 0 || k === 0) return;
  if (m * n * k <= SMALL || m < 4 || n < 4) gemmSmall(transA, transB, m, n, k, a, b, c);
  else if (m * k + k * n <= IN_CACHE) gemmTiles(transA, transB, m, n, k, a, b, c);
  else gemmPacked(transA, transB, m, n, k, a, b, c);
}

/**
 * C += op(A) op(B) with plain loops, ordered so the innermost loop walks memory contiguously:
 *  - B not transposed: C[i, :] += A(i, p) * B[p, :]  (axpy over rows of B), so each C[i, j]
 *    has A(i, p) * B[p, j] added to it for p = 0, 1, ... in turn; a single column of B
 *    (matrix-vector) keeps that running sum in a local instead (the same additions in the
 *    same order, so the same bits);
 *  - B transposed:     C[i, j] += dot(A(i, :), B[j, :]) (rows of B are contiguous), the
 *    dot product summed from 0; with k = 1 that is one term, added without the inner loop.
 */
export function gemmSmall(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
): void {
  // element A(i, p) lives at i*k+p (A not transposed) or p*m+i (A transposed)
  const rs = transA ? 1 : k; // step between rows i of op(A)
  const cs = transA ? m : 1; // step between columns p of op(A)
  if (!transB && n === 1) {
    for (let i = 0; i < m; i++) {
      let s = c[i]!;
      for (let p = 0; p < k; p++) s += a[i * rs + p * cs]! * b[p]!;
      c[i] = s;
    }
    return;
  }
  if (!transB) {
    for (let i = 0; i < m; i++) {
      const ci = i * n;
      for (let p = 0; p < k; p++) {
        const av = a[i * rs + p * cs]!;
        const bp = p * n;
        for (let j = 0; j < n; j++) c[ci + j]! += av * b[bp + j]!;
      }
    }
    return;
  }
  if (k === 1) {
    // an outer product (a layer's input gradient for one output): each dot product is the one
    // term 0 + A(i, 0) * B[j, 0], written as such (0 + turns a -0 product into +0, as the sum does)
    for (let i = 0; i < m; i++) {
      const ci = i * n;
      const av = a[i * rs]!;
      for (let j = 0; j < n; j++) c[ci + j]! += 0 + av * b[j]!;
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    const ai = i * rs;
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ai + p * cs]! * b[bj + p]!;
      c[ci + j]! += s;
    }
  }
}
