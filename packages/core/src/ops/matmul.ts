/**
 * Matrix product with numpy's batching. A is (...a, m, k), B is (...b, k, n); the batch axes
 * broadcast against each other and the result is (...batch, m, n). 1-d operands are promoted
 * by MLArray.matmul before reaching here.
 *   C = A B   =>   dA = G B^T,   dB = A^T G
 * Both products read the stored matrices in transposed order; nothing is materialised. When a
 * batch matrix of A or B was broadcast (used for several outputs), its gradient is the sum over
 * those uses: the gemm kernel accumulates into the same slice.
 * A 2-d B (the MLP case) needs no batch loop: A's batch axes are just more rows.
 */
import { ShapeError, formatShape } from '../errors.js';
import { getBackend } from '../kernels/backend.js';
import { broadcastOffsets, broadcastStrides } from '../kernels/broadcast.js';
import { checkSize, sizeOf } from '../shape.js';
import type { Shape } from '../shape-types.js';
import type { NoParams, Rule, RuleTable } from './types.js';

/** The batch layout of a product: the broadcast batch shape and, per batch, the matrix offsets. */
interface Batches {
  m: number;
  k: number;
  n: number;
  shape: number[];
  /** offsets (in matrices) of A's and B's slices for each batch entry; null for a 2-d B */
  aIndex: Int32Array | null;
  bIndex: Int32Array | null;
}

/** `shape`, once checked not to be too large to allocate. */
function checked(shape: number[]): number[] {
  checkSize('matmul', shape);
  return shape;
}

function layout(as: Shape, bs: Shape): Batches {
  const fail = (): never => {
    throw new ShapeError(`matmul: cannot multiply ${formatShape(as)} by ${formatShape(bs)}`);
  };
  if (as.length < 2 || bs.length < 2) fail();
  const m = as[as.length - 2]!;
  const k = as[as.length - 1]!;
  const n = bs[bs.length - 1]!;
  if (bs[bs.length - 2] !== k) fail();
  const aBatch = as.slice(0, -2);
  const bBatch = bs.slice(0, -2);
  if (bBatch.length === 0) return { m, k, n, shape: checked([...aBatch, m, n]), aIndex: null, bIndex: null };
  const nd = Math.max(aBatch.length, bBatch.length);
  const batch: number[] = [];
  for (let i = 0; i < nd; i++) {
    const da = aBatch[aBatch.length - nd + i] ?? 1;
    const db = bBatch[bBatch.length - nd + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) fail();
    batch.push(da === 1 ? db : da);
  }
  // Each operand's matrix index for every batch index (stride 0 where it is broadcast).
  checked([...batch, m, n]);
  const [aIndex, bIndex] = broadcastOffsets(batch, broadcastStrides(aBatch, batch), broadcastStrides(bBatch, batch));
  return { m, k, n, shape: [...batch, m, n], aIndex, bIndex };
}

/**
 * The operands as the primitive takes them (numpy's promotion): a 1-d left operand (k) becomes a
 * row (1, k), a 1-d right one a column (k, 1); MLArray.matmul drops the added axis afterwards.
 * A 0-d operand, or inner sizes that differ, is a ShapeError naming both shapes.
 */
export function matmulOperands(as: Shape, bs: Shape): [Shape, Shape] {
  if (as.length === 0 || bs.length === 0) {
    throw new ShapeError(`matmul: cannot multiply ${formatShape(as)} by ${formatShape(bs)}: use mul() for scalars`);
  }
  const k = as[as.length - 1]!;
  if (bs[bs.length === 1 ? 0 : bs.length - 2] !== k) throw new ShapeError(`matmul: cannot multiply ${formatShape(as)} by ${formatShape(bs)}`);
  return [as.length === 1 ? [1, k] : as, bs.length === 1 ? [k, 1] : bs];
}

/** The product's shape with the axes matmulOperands added dropped again (`out` itself when none were). */
export function matmulResultShape(aNdim: number, bNdim: number, out: Shape): Shape {
  if (aNdim > 1 && bNdim > 1) return out;
  const shape = [...out];
  if (bNdim === 1) shape.pop();
  if (aNdim === 1) shape.splice(shape.length - (bNdim === 1 ? 1 : 2), 1);
  return shape;
}

const matmul: Rule<NoParams> = {
  reads: [0, 1], // dA = G B^T reads B, dB = A^T G reads A
  forward([a, b]) {
    const { m, k, n, shape, aIndex, bIndex } = layout(a!.shape, b!.shape);
    const out = new Float64Array(sizeOf(shape));
    const gemm = getBackend().gemm;
    if (aIndex === null || bIndex === null) {
      gemm(false, false, sizeOf(a!.shape.slice(0, -1)), n, k, a!.data, b!.data, out, false);
    } else {
      for (let t = 0; t < aIndex.length; t++) {
        const A = a!.data.subarray(aIndex[t]! * m * k, (aIndex[t]! + 1) * m * k);
        const B = b!.data.subarray(bIndex[t]! * k * n, (bIndex[t]! + 1) * k * n);
        gemm(false, false, m, n, k, A, B, out.subarray(t * m * n, (t + 1) * m * n), false);
      }
    }
    return { data: out, shape };
  },
  backward(g, { inputs: [a, b], needs }) {
    const { m, k, n, aIndex, bIndex } = layout(a!.shape, b!.shape);
    const gemm = getBackend().gemm;
    const ga = needs[0] ? new Float64Array(a!.data.length) : null;
    const gb = needs[1] ? new Float64Array(b!.data.length) : null;
    if (aIndex === null || bIndex === null) {
      const rows = sizeOf(a!.shape.slice(0, -1));
      if (ga) gemm(false, true, rows, k, n, g, b!.data, ga, false); // G (rows x n) @ B^T (n x k)
      if (gb) gemm(true, false, k, n, rows, a!.data, g, gb, false); // A^T (k x rows) @ G (rows x n)
      return [ga, gb];
    }
    for (let t = 0; t < aIndex.length; t++) {
      const G = g.subarray(t * m * n, (t + 1) * m * n);
      const ia = aIndex[t]! * m * k;
      const ib = bIndex[t]! * k * n;
      if (ga) gemm(false, true, m, k, n, G, b!.data.subarray(ib, ib + k * n), ga.subarray(ia, ia + m * k), true);
      if (gb) gemm(true, false, k, n, m, a!.data.subarray(ia, ia + m * k), G, gb.subarray(ib, ib + k * n), true);
    }
    return [ga, gb];
  },
};

export const matmulRules = { matmul } satisfies Partial<RuleTable>;
