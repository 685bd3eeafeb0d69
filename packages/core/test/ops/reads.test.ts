/**
 * Each gradient rule that declares `reads` (the numbers its backward uses, see Rule.reads) really
 * reads nothing else: hiding every other input and the output behind NaNs must leave all its
 * gradients bit-for-bit unchanged. A declaration that left out something backward reads would
 * turn off the in-place modification check for it, so this guards the version check.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/index.js';
import { RULES } from '../../src/ops/table.js';
import type { Primitive, PrimitiveParams, Rule, Tensor } from '../../src/ops/types.js';

function tensor(shape: number[], seed: number, positive = false): Tensor {
  const rng = createRng(seed);
  const n = shape.reduce((p, d) => p * d, 1);
  const data = Float64Array.from({ length: n }, () => (positive ? 0.2 + rng.uniform() : rng.normal()));
  return { data, shape };
}

const m23 = tensor([2, 3], 1);
const pos23 = tensor([2, 3], 2, true);
type Case = { inputs: Tensor[]; params: unknown };
const unary = (params: unknown = {}, x: Tensor = m23): Case => ({ inputs: [x], params });
const axes = { axes: [1], keepdims: false };

const cases: Partial<Record<Primitive, Case>> = {
  add: { inputs: [m23, tensor([3], 3)], params: {} },
  sub: { inputs: [m23, tensor([3], 4)], params: {} },
  mul: { inputs: [m23, tensor([3], 5)], params: {} },
  div: { inputs: [m23, tensor([3], 6, true)], params: {} },
  neg: unary(),
  exp: unary(),
  log: unary({}, pos23),
  sqrt: unary({}, pos23),
  abs: unary(),
  relu: unary(),
  sigmoid: unary(),
  tanh: unary(),
  softplus: unary(),
  pow: unary({ exponent: 3 }),
  leakyRelu: unary({ alpha: 0.1 }),
  elu: unary({ alpha: 1.5 }),
  clip: unary({ min: -0.5, max: 0.5 }),
  sum: unary(axes),
  max: unary(axes),
  min: unary(axes),
  softmax: unary({ axis: 1 }),
  logSoftmax: unary({ axis: 1 }),
  logsumexp: unary({ axis: 1, keepdims: false }),
  matmul: { inputs: [m23, tensor([3, 4], 7)], params: {} },
  transpose: unary({ perm: [1, 0] }),
  reshape: unary({ shape: [3, 2] }),
  take: unary({ indices: Int32Array.of(2, 0, 2), axis: 1 }),
  // with bias and the fused relu, which reads the output
  conv2d: { inputs: [tensor([2, 2, 4, 4], 10), tensor([3, 2, 3, 3], 11), tensor([3], 12)], params: { stride: [1, 1], padding: [1, 1], relu: true } },
  batchNorm: { inputs: [tensor([4, 3], 10), tensor([3], 11), tensor([3], 12)], params: { mean: Float64Array.of(0.1, -0.2, 0.3), invStd: Float64Array.of(1.5, 0.5, 2), batchStats: true } },
};

const hidden = (t: Tensor): Tensor => ({ data: new Float64Array(t.data.length).fill(NaN), shape: t.shape });

describe('Rule.reads declarations', () => {
  const declaring = (Object.keys(RULES) as Primitive[]).filter((p) => RULES[p].reads !== undefined);

  it('every rule that declares reads has a case here', () => {
    expect(declaring.filter((p) => cases[p] === undefined)).toEqual([]);
  });

  it.each(declaring)('%s: backward reads only what it declares', (prim) => {
    const rule = RULES[prim] as Rule<PrimitiveParams[Primitive]>;
    const { inputs, params } = cases[prim]!;
    const p = params as PrimitiveParams[Primitive];
    const out = rule.forward(inputs, p);
    const g = tensor([...out.shape], 9).data;
    const needs = inputs.map(() => true);
    const reads = rule.reads!;
    const expected = rule.backward(g, { inputs, out, params: p, needs });
    const got = rule.backward(g, {
      inputs: inputs.map((x, i) => (reads.includes(i) ? x : hidden(x))),
      out: reads.includes('out') ? out : hidden(out),
      params: p,
      needs,
    });
    expect(got.map((a) => (a === null ? null : Array.from(a)))).toEqual(expected.map((a) => (a === null ? null : Array.from(a))));
    expect(expected.every((a) => a !== null && a.every(Number.isFinite))).toBe(true); // the case exercises real numbers
  });
});
