/**
 * Every case of the PyTorch float64 reference fixtures (fixtures/ops.json):
 * forward output, and the gradient of sum(output * upstream) with respect to each input.
 */
import { describe, expect, it } from 'vitest';
import { type FixtureTensor, expectClose, loadFixture } from '@smolml/test-utils';
import { MLArray } from '../src/index.js';
import { fromFixture } from './helpers.js';

interface OpCase {
  name: string;
  op: string;
  params: Record<string, unknown>;
  inputs: FixtureTensor[];
  output: FixtureTensor;
  upstream: FixtureTensor;
  grads: FixtureTensor[];
}

const cases = loadFixture<OpCase[]>(import.meta.url, './fixtures/ops.json');

type Axis = number | null;
const runners: Record<string, (xs: MLArray[], p: Record<string, unknown>) => MLArray> = {
  add: ([a, b]) => a!.add(b!),
  sub: ([a, b]) => a!.sub(b!),
  mul: ([a, b]) => a!.mul(b!),
  div: ([a, b]) => a!.div(b!),
  add_scalar: ([x], p) => x!.add(p.scalar as number),
  sub_scalar: ([x], p) => x!.sub(p.scalar as number),
  mul_scalar: ([x], p) => x!.mul(p.scalar as number),
  div_scalar: ([x], p) => x!.div(p.scalar as number),
  rsub_scalar: ([x], p) => MLArray.scalar(p.scalar as number).sub(x!),
  rdiv_scalar: ([x], p) => MLArray.scalar(p.scalar as number).div(x!),
  pow: ([x], p) => x!.pow(p.exponent as number),
  neg: ([x]) => x!.neg(),
  exp: ([x]) => x!.exp(),
  log: ([x]) => x!.log(),
  abs: ([x]) => x!.abs(),
  sqrt: ([x]) => x!.sqrt(),
  relu: ([x]) => x!.relu(),
  sigmoid: ([x]) => x!.sigmoid(),
  tanh: ([x]) => x!.tanh(),
  leaky_relu: ([x], p) => x!.leakyRelu(p.alpha as number),
  elu: ([x], p) => x!.elu(p.alpha as number),
  softmax: ([x], p) => x!.softmax(p.axis as number),
  log_softmax: ([x], p) => x!.logSoftmax(p.axis as number),
  logsumexp: ([x], p) => x!.logsumexp(p.axis as number, p.keepdims as boolean),
  matmul: ([a, b]) => a!.matmul(b!),
  transpose: ([x], p) => x!.transpose((p.axes as number[] | null) ?? undefined),
  reshape: ([x], p) => x!.reshape(p.shape as number[]),
  sum: ([x], p) => x!.sum(p.axis as Axis, p.keepdims as boolean),
  mean: ([x], p) => x!.mean(p.axis as Axis, p.keepdims as boolean),
  max: ([x], p) => x!.max(p.axis as Axis, p.keepdims as boolean),
  min: ([x], p) => x!.min(p.axis as Axis, p.keepdims as boolean),
  var: ([x], p) => x!.variance(p.axis as Axis, p.keepdims as boolean),
  std: ([x], p) => x!.std(p.axis as Axis, p.keepdims as boolean),
};

describe('ops fixtures (PyTorch float64)', () => {
  it('has all 109 cases and a runner for every op in the file (unknown ops fail)', () => {
    const unknown = [...new Set(cases.map((c) => c.op))].filter((op) => !(op in runners));
    expect(unknown).toEqual([]);
    expect(cases).toHaveLength(109);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const run = runners[c.op];
    if (!run) throw new Error(`no runner for op ${c.op}`);
    const inputs = c.inputs.map((t) => fromFixture(t, true));
    const out = run(inputs, c.params);
    expect([...out.shape]).toEqual(c.output.shape);
    expectClose(out.data, c.output.data, 1e-9, 1e-12, `${c.name} output`);
    out.backward(fromFixture(c.upstream));
    c.grads.forEach((g, i) => {
      const grad = inputs[i]!.grad;
      expect(grad, `${c.name} grad ${i}`).not.toBeNull();
      expect([...grad!.shape]).toEqual(g.shape);
      expectClose(grad!.data, g.data, 1e-9, 1e-12, `${c.name} grad[${i}]`);
    });
  });
});

interface ScalarSoftmaxCase {
  name: string;
  op: 'softmax' | 'logSoftmax' | 'logsumexp';
  axis: number;
  x: FixtureTensor;
  out: FixtureTensor;
  upstream: FixtureTensor;
  grad_x: FixtureTensor;
}

const scalarCases = loadFixture<ScalarSoftmaxCase[]>(import.meta.url, './fixtures/scalar_softmax.json');

describe('softmax, logSoftmax and logsumexp of a 0-d array (PyTorch float64, layers.json scalar_softmax)', () => {
  it('has all 6 cases: each op along axis 0 and -1', () => {
    expect(scalarCases).toHaveLength(6);
    expect(scalarCases.map((c) => `${c.op} ${c.axis}`).sort()).toEqual(
      ['logSoftmax -1', 'logSoftmax 0', 'logsumexp -1', 'logsumexp 0', 'softmax -1', 'softmax 0'],
    );
  });

  it.each(scalarCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const x = fromFixture(c.x, true);
    const out = x[c.op](c.axis);
    expect(out.shape).toEqual([]);
    expectClose(out.data, c.out.data, 1e-9, 1e-12, `${c.name} output`);
    out.backward(fromFixture(c.upstream));
    expect(x.grad!.shape).toEqual([]);
    expectClose(x.grad!.data, c.grad_x.data, 1e-9, 1e-12, `${c.name} grad`);
  });

  it('logsumexp with keepdims stays 0-d; any other axis is refused with a well-formed message', () => {
    const x = MLArray.scalar(0.25, { requiresGrad: true });
    expect(x.logsumexp(0, true).shape).toEqual([]);
    expect(x.logsumexp(-1, true).item()).toBe(0.25);
    expect(() => x.softmax(1)).toThrow('softmax: axis 1 is out of range: a 0-d array has no axes');
    expect(() => x.logSoftmax(-2)).toThrow('logSoftmax: axis -2 is out of range: a 0-d array has no axes');
  });
});
