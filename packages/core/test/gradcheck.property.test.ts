/**
 * Property tests: every primitive (and the composed reductions) passes a finite-difference
 * gradient check on random shapes, including numpy broadcasting between operands.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MLArray, createRng, gradcheck, type Shape } from '../src/index.js';

const dims = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 3 });
const nonScalarDims = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 });

/** Random data from a seed, kept away from kinks (|x| >= 0.15) and with distinct values. */
function randomArray(shape: Shape, seed: number, kind: 'any' | 'positive' = 'any'): MLArray {
  const rng = createRng(seed);
  const n = shape.reduce((p, d) => p * d, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const mag = 0.15 + 1.5 * rng.uniform() + i * 1e-3; // distinct, so max/min have no ties
    data[i] = kind === 'positive' || rng.uniform() < 0.5 ? mag : -mag;
  }
  return new MLArray(data, [...shape]);
}

/** A shape that broadcasts against `shape`: drop some leading axes, set some axes to 1. */
const broadcastPartner = (shape: number[]) =>
  fc.tuple(fc.integer({ min: 0, max: shape.length }), fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length })).map(
    ([drop, ones]) => shape.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)),
  );

function check(fn: (...xs: MLArray[]) => MLArray, inputs: MLArray[]): void {
  const r = gradcheck(fn, inputs, { atol: 1e-6, rtol: 1e-5 });
  if (!r.ok) expect.fail(`gradcheck failed: ${JSON.stringify(r.failure)} shapes ${inputs.map((x) => `[${x.shape}]`).join(' ')}`);
}

const runs = { numRuns: 25 };

describe('gradcheck on every primitive (fast-check)', () => {
  const binaries: [string, (a: MLArray, b: MLArray) => MLArray][] = [
    ['add', (a, b) => a.add(b)],
    ['sub', (a, b) => a.sub(b)],
    ['mul', (a, b) => a.mul(b)],
    ['div', (a, b) => a.div(b)],
  ];
  for (const [name, op] of binaries) {
    it(`${name} with broadcasting (both directions)`, () => {
      fc.assert(
        fc.property(dims.chain((s) => fc.tuple(fc.constant(s), broadcastPartner(s))), fc.integer(), fc.boolean(), ([sa, sb], seed, swap) => {
          const a = randomArray(sa, seed);
          const b = randomArray(sb, seed + 1);
          check(op, swap ? [b, a] : [a, b]);
        }),
        runs,
      );
    });
  }

  const unaries: [string, (x: MLArray) => MLArray, 'any' | 'positive'][] = [
    ['neg', (x) => x.neg(), 'any'],
    ['exp', (x) => x.exp(), 'any'],
    ['log', (x) => x.log(), 'positive'],
    ['sqrt', (x) => x.sqrt(), 'positive'],
    ['abs', (x) => x.abs(), 'any'],
    ['relu', (x) => x.relu(), 'any'],
    ['sigmoid', (x) => x.sigmoid(), 'any'],
    ['tanh', (x) => x.tanh(), 'any'],
    ['softplus', (x) => x.softplus(), 'any'],
    ['leakyRelu', (x) => x.leakyRelu(0.2), 'any'],
    ['elu', (x) => x.elu(0.7), 'any'],
    ['pow 3', (x) => x.pow(3), 'any'],
    ['pow 2', (x) => x.pow(2), 'any'],
    ['pow -0.5', (x) => x.pow(-0.5), 'positive'],
    ['clip', (x) => x.clip(-0.9, 0.8), 'any'],
  ];
  for (const [name, op, kind] of unaries) {
    it(name, () => {
      fc.assert(fc.property(dims, fc.integer(), (s, seed) => check(op, [randomArray(s, seed, kind)])), runs);
    });
  }

  const axisOps: [string, (x: MLArray, axis: number, keep: boolean) => MLArray][] = [
    ['sum', (x, a, k) => x.sum(a, k)],
    ['mean', (x, a, k) => x.mean(a, k)],
    ['max', (x, a, k) => x.max(a, k)],
    ['min', (x, a, k) => x.min(a, k)],
    ['variance', (x, a, k) => x.variance(a, k)],
    ['std', (x, a, k) => x.std(a, k)],
    ['logsumexp', (x, a, k) => x.logsumexp(a, k)],
    ['softmax', (x, a) => x.softmax(a)],
    ['logSoftmax', (x, a) => x.logSoftmax(a)],
  ];
  for (const [name, op] of axisOps) {
    it(`${name} along a random (possibly negative) axis`, () => {
      fc.assert(
        fc.property(
          nonScalarDims.chain((s) => fc.tuple(fc.constant(s), fc.integer({ min: -s.length, max: s.length - 1 }), fc.boolean())),
          fc.integer(),
          ([s, axis, keep], seed) => {
            if ((name === 'variance' || name === 'std') && s[axis < 0 ? axis + s.length : axis] === 1) return; // single sample: std' undefined
            check((x) => op(x, axis, keep), [randomArray(s, seed)]);
          },
        ),
        runs,
      );
    });
  }

  it('sum / max over all axes and over several axes', () => {
    fc.assert(
      fc.property(nonScalarDims, fc.integer(), (s, seed) => {
        const x = randomArray(s, seed);
        check((v) => v.sum(), [x]);
        check((v) => v.max(null, true), [x]);
        if (s.length >= 2) check((v) => v.sum([0, s.length - 1]), [x]);
      }),
      runs,
    );
  });

  it('matmul: 2-d, 1-d operands, batched and broadcast batch axes on either side', () => {
    const size = fc.integer({ min: 1, max: 5 });
    fc.assert(
      fc.property(size, size, size, fc.integer({ min: 0, max: 6 }), fc.integer(), (m, k, n, mode, seed) => {
        const b2 = randomArray([k, n], seed + 1);
        if (mode === 0) check((a, b) => a.matmul(b), [randomArray([m, k], seed), b2]);
        if (mode === 1) check((a, b) => a.matmul(b), [randomArray([k], seed), b2]);
        if (mode === 2) check((a, b) => a.matmul(b), [randomArray([m, k], seed), randomArray([k], seed + 2)]);
        if (mode === 3) check((a, b) => a.matmul(b), [randomArray([2, m, k], seed), b2]);
        if (mode === 4) check((a, b) => a.matmul(b), [randomArray([2, 1, m, k], seed), randomArray([3, k, n], seed + 3)]);
        if (mode === 5) check((a, b) => a.matmul(b), [randomArray([m, k], seed), randomArray([2, k, n], seed + 3)]);
        if (mode === 6) check((a, b) => a.matmul(b), [randomArray([k], seed), randomArray([2, k, n], seed + 3)]);
      }),
      { numRuns: 70 },
    );
  });

  it('transpose, reshape and take', () => {
    fc.assert(
      fc.property(nonScalarDims, fc.integer(), (s, seed) => {
        const x = randomArray(s, seed);
        const perm = s.map((_, i) => i).reverse();
        check((v) => v.transpose(perm).mul(v.transpose(perm)), [x]);
        check((v) => v.reshape([-1]).mul(2), [x]);
        const rows = [s[0]! - 1, 0, s[0]! - 1]; // repeated index: gradients must add up
        check((v) => v.take(rows, 0), [x]);
        check((v) => v.take([0, -1], -1), [x]);
      }),
      runs,
    );
  });
});
