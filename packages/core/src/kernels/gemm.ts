/**
 * Pure TypeScript GEMM on row-major Float64Array matrices (see Backend.gemm).
 *
 * Loops are ordered so the innermost loop walks memory contiguously:
 *  - NN and TN: C[i, :] += A(i, p) * B[p, :]  (axpy over rows of B)
 *  - NT and TT: C[i, j]  = dot(A(i, :), B[j, :]) (B rows are contiguous)
 * The NN/TN path works on blocks of 4 rows of C at once so each loaded B row is reused
 * four times from registers.
 */
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
  if (!accumulate) c.fill(0, 0, m * n);
  if (!transB) {
    // element A(i, p) lives at i*k+p (NN) or p*m+i (TN)
    const rs = transA ? 1 : k; // step between rows i of op(A)
    const cs = transA ? m : 1; // step between columns p of op(A)
    let i = 0;
    for (; i + 3 < m; i += 4) {
      const c0 = i * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
      for (let p = 0; p < k; p++) {
        const base = i * rs + p * cs;
        const a0 = a[base]!, a1 = a[base + rs]!, a2 = a[base + 2 * rs]!, a3 = a[base + 3 * rs]!;
        const bp = p * n;
        for (let j = 0; j < n; j++) {
          const bv = b[bp + j]!;
          c[c0 + j]! += a0 * bv;
          c[c1 + j]! += a1 * bv;
          c[c2 + j]! += a2 * bv;
          c[c3 + j]! += a3 * bv;
        }
      }
    }
    for (; i < m; i++) {
      const ci = i * n;
      for (let p = 0; p < k; p++) {
        const av = a[i * rs + p * cs]!;
        const bp = p * n;
        for (let j = 0; j < n; j++) c[ci + j]! += av * b[bp + j]!;
      }
    }
    return;
  }
  // transB: B is stored n x k, so row j of B is column j of op(B).
  if (!transA) {
    for (let i = 0; i < m; i++) {
      const ai = i * k;
      const ci = i * n;
      for (let j = 0; j < n; j++) {
        const bj = j * k;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ai + p]! * b[bj + p]!;
        c[ci + j]! += s;
      }
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[p * m + i]! * b[bj + p]!;
      c[ci + j]! += s;
    }
  }
}
