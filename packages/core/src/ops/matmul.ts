/**
 * Matrix product. The primitive takes A of shape (..., m, k) — any leading batch axes, which
 * in row-major order are just more rows — and B of shape (k, n). 1-d operands and the numpy
 * conventions are handled by MLArray.matmul before reaching here.
 *   C = A B   =>   dA = G B^T,   dB = A^T G
 * Both products read the stored matrices in transposed order; nothing is materialised.
 */
import { ShapeError, formatShape } from '../errors.js';
import { getBackend } from '../kernels/backend.js';
import type { NoParams, Rule, RuleTable } from './types.js';

const matmul: Rule<NoParams> = {
  forward([a, b]) {
    const as = a!.shape;
    const bs = b!.shape;
    const k = as[as.length - 1]!;
    if (as.length < 2 || bs.length !== 2 || bs[0] !== k) {
      throw new ShapeError(`matmul: cannot multiply ${formatShape(as)} by ${formatShape(bs)}`);
    }
    const n = bs[1]!;
    const rows = k === 0 ? as.slice(0, -1).reduce((p, d) => p * d, 1) : a!.data.length / k;
    const out = new Float64Array(rows * n);
    getBackend().gemm(false, false, rows, n, k, a!.data, b!.data, out, false);
    return { data: out, shape: [...as.slice(0, -1), n] };
  },
  backward(g, { inputs: [a, b], needs }) {
    const k = b!.shape[0]!;
    const n = b!.shape[1]!;
    const rows = g.length / (n || 1);
    let ga: Float64Array | null = null;
    let gb: Float64Array | null = null;
    if (needs[0]) {
      ga = new Float64Array(a!.data.length);
      getBackend().gemm(false, true, rows, k, n, g, b!.data, ga, false); // G (rows x n) @ B^T (n x k)
    }
    if (needs[1]) {
      gb = new Float64Array(b!.data.length);
      getBackend().gemm(true, false, k, n, rows, a!.data, g, gb, false); // A^T (k x rows) @ G (rows x n)
    }
    return [ga, gb];
  },
};

export const matmulRules = { matmul } satisfies Partial<RuleTable>;
