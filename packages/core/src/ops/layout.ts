/**
 * Shape primitives. transpose: the gradient is transposed back with the inverse permutation.
 * reshape: same numbers, other shape — the gradient is the upstream data as is.
 * take: gather rows along an axis; its gradient scatters (adds) them back.
 */
import { gatherKernel, scatterAddKernel, transposeKernel } from '../kernels/layout.js';
import { axisSplit } from '../shape.js';
import type { PrimitiveParams, Rule, RuleTable } from './types.js';

// None of these backward rules reads any numbers but the upstream gradient's: only shapes.
const transpose: Rule<PrimitiveParams['transpose']> = {
  reads: [],
  forward([x], { perm }) {
    const out = new Float64Array(x!.data.length);
    transposeKernel(x!.data, x!.shape, perm, out);
    return { data: out, shape: perm.map((p) => x!.shape[p]!) };
  },
  backward(g, { out, params: { perm } }) {
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => (inverse[p] = i));
    const gx = new Float64Array(g.length);
    transposeKernel(g, out.shape, inverse, gx);
    return [gx];
  },
};

const reshape: Rule<PrimitiveParams['reshape']> = {
  reads: [],
  forward: ([x], { shape }) => ({ data: x!.data.slice(), shape }),
  backward: (g) => [g],
};

const take: Rule<PrimitiveParams['take']> = {
  reads: [],
  forward([x], { indices, axis }) {
    const [outer, n, inner] = axisSplit(x!.shape, axis);
    const out = new Float64Array(outer * indices.length * inner);
    gatherKernel(x!.data, outer, n, inner, indices, out);
    const shape = [...x!.shape];
    shape[axis] = indices.length;
    return { data: out, shape };
  },
  backward(g, { inputs: [x], params: { indices, axis } }) {
    const [outer, n, inner] = axisSplit(x!.shape, axis);
    const gx = new Float64Array(x!.data.length);
    scatterAddKernel(g, outer, n, inner, indices, gx);
    return [gx];
  },
};

export const layoutRules = { transpose, reshape, take } satisfies Partial<RuleTable>;
