/**
 * The backend's UpdateKernels (src/update-kernels.ts, assembly/update.ts) against @smolml/optim's
 * own loops: SGD (with and without weight decay), Adam and AdamW stepping on the TypeScript
 * backend and on this one (one thread and two) give the same parameters and state, bit for bit,
 * on numbers with -0, subnormals and a wide range of magnitudes, and lengths that leave a tail
 * after the two-number vectors. The kernels must really run (they write the optimizers' state,
 * which an optimizer keeps in the backend's memory while its state is lent there, as
 * @smolml/nn's training loop does for a run, including state restored from JSON), a non-finite
 * step is refused as before, and arrays the kernels cannot take are declined.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type Backend, MLArray, type UpdateKernels, ValueError, jsBackend } from '@smolml/core';
import { Adam, AdamW, SGD, type SerializableOptimizer } from '@smolml/optim';
import { createWasmBackend } from '../src/index.js';
import { createWasmBackendWith } from '../src/backend.js';
import { expectSameBits, onBackend } from './helpers.js';

const one = await createWasmBackend();
const two = await createWasmBackend({ threads: 2 });
// every update cut across the threads (loop-team.ts), in parts of 8 numbers and up
const cut = await createWasmBackendWith({ threads: 2 }, { loopMinNumbers: 1 });
afterAll(() => [two, cut].forEach((b) => b.dispose()));
const shared = typeof SharedArrayBuffer === 'function'; // always in Node; platform.test.ts covers engines without
const kernels = one.updateKernels as Required<UpdateKernels>;

/** `backend` with its update kernels counted: how many calls took the arrays (returned a number) and how many declined. */
function counted(backend: Backend): { backend: Backend; took: number; declined: number } {
  const inner = backend.updateKernels as Required<UpdateKernels>;
  const c = { backend, took: 0, declined: 0 };
  const count = (r: number | undefined) => {
    if (r === undefined) c.declined++;
    else c.took++;
    return r;
  };
  c.backend = { ...backend, updateKernels: { sgd: (...a) => count(inner.sgd(...a)), adam: (...a) => count(inner.adam(...a)) } };
  return c;
}

/**
 * Lends `opt`'s state for `params` to `backend`'s memory, as @smolml/nn's training loop does for a
 * run (the kernels write only there); returns what takes it back.
 */
function lend(opt: SerializableOptimizer, params: MLArray[], backend: Backend): () => void {
  if (backend === jsBackend) return () => {};
  return (opt as SGD).lendState(params, (n) => backend.allocate!(n), (a) => backend.release!(a));
}

/** The parameter after each of `grads`' steps, and the optimizer's state at the end, stepping on `backend` (state lent to it). */
function steps(backend: Backend, make: () => SerializableOptimizer, theta: Float64Array, grads: readonly Float64Array[]) {
  return onBackend(backend, () => {
    const p = new MLArray(theta.slice(), [theta.length], true);
    const opt = make();
    const takeBack = lend(opt, [p], backend);
    const after = grads.map((g) => {
      p.grad = new MLArray(g.slice(), [g.length]);
      opt.step([p]);
      return p.data.slice();
    });
    takeBack();
    return { after, state: opt.toJSON([p]) };
  });
}

// Finite numbers from subnormals to 1e6 with both signs and -0, and lengths of at least 512:
// allocate() hands out ordinary arrays under 4 KiB, which the kernels decline.
const finite = fc.oneof(
  { arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }), weight: 20 },
  { arbitrary: fc.double({ min: -2, max: 2, noNaN: true }), weight: 20 },
  { arbitrary: fc.constantFrom(-0, 5e-324, -2.5e-310), weight: 1 },
);
const arrays = (length: number) => fc.array(finite, { minLength: length, maxLength: length }).map((xs) => Float64Array.from(xs));
const case_ = fc.integer({ min: 512, max: 1101 }).chain((n) => fc.tuple(arrays(n), fc.array(arrays(n), { minLength: 1, maxLength: 3 })));

const OPTIMIZERS: [string, () => SerializableOptimizer][] = [
  ['SGD', () => new SGD({ lr: 0.1 })],
  ['SGD with weight decay', () => new SGD({ lr: 0.01, weightDecay: 0.3 })],
  ['Adam', () => new Adam({ lr: 0.01 })],
  ['AdamW', () => new AdamW({ lr: 0.002, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1 })],
];

describe.runIf(shared)('UpdateKernels of a backend on shared memory', () => {
  for (const [name, make] of OPTIMIZERS) {
    it(`${name}: the same parameters and state as the TypeScript loop, bit for bit, on one thread and two (whole, and cut across them)`, () => {
      fc.assert(
        fc.property(case_, ([theta, grads]) => {
          const expected = steps(jsBackend, make, theta, grads);
          for (const backend of [one, two, cut]) {
            const c = counted(backend);
            const got = steps(c.backend, make, theta, grads);
            expect(c.took).toBe(grads.length); // every step ran in WebAssembly
            expect(c.declined).toBe(0);
            got.after.forEach((a, t) => expectSameBits(a, expected.after[t]!, `${name} step ${t}`));
            expect(got.state).toEqual(expected.state);
          }
        }),
        { numRuns: 12 },
      );
    });
  }

  it('the same bits on ordinary numbers at every length from 512 to 559 (with and without a tail after the vectors)', () => {
    for (let n = 512; n < 560; n++) {
      const theta = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1) * 2);
      const grads = [1, 2].map((s) => Float64Array.from({ length: n }, (_, i) => Math.cos(i * s + 0.5)));
      for (const [name, make] of OPTIMIZERS) {
        const expected = steps(jsBackend, make, theta, grads);
        for (const backend of [one, cut]) {
          const c = counted(backend);
          const got = steps(c.backend, make, theta, grads);
          expect(c.took).toBe(2);
          got.after.forEach((a, t) => expectSameBits(a, expected.after[t]!, `${name}, ${n} numbers, step ${t}, ${backend === cut ? 'cut' : 'whole'}`));
        }
      }
    }
  });

  it("without a loan the state is in ordinary arrays, which the kernels decline: the optimizer's own loop runs", () => {
    const n = 600;
    const theta = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
    const g = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
    const expected = steps(jsBackend, () => new Adam(), theta, [g]);
    const c = counted(one);
    const got = onBackend(c.backend, () => {
      const p = new MLArray(theta.slice(), [n], true);
      p.grad = new MLArray(g.slice(), [n]);
      new Adam().step([p]);
      return p.data;
    });
    expect(c.declined).toBe(1);
    expect(c.took).toBe(0);
    expectSameBits(got, expected.after[0]!, 'Adam without a loan');
  });

  it('state restored with loadState during a run is stepped in WebAssembly too, and continues the same numbers', () => {
    const n = 700;
    const theta = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 3);
    const grads = [1, 2, 3, 4].map((s) => Float64Array.from({ length: n }, (_, i) => Math.cos(i * s) / s));
    const expected = steps(jsBackend, () => new Adam({ lr: 0.05 }), theta, grads);
    const c = counted(one);
    const resumed = onBackend(c.backend, () => {
      const p = new MLArray(theta.slice(), [n], true);
      const first = new Adam({ lr: 0.05 });
      const takeBack = lend(first, [p], c.backend);
      for (const g of grads.slice(0, 2)) {
        p.grad = new MLArray(g.slice(), [n]);
        first.step([p]);
      }
      takeBack();
      const again = new Adam({ lr: 0.05 });
      const json = JSON.parse(JSON.stringify(first.toJSON([p])));
      const takeBackAgain = lend(again, [p], c.backend); // restored during the run, as a callback could
      again.loadState([p], json);
      for (const g of grads.slice(2)) {
        p.grad = new MLArray(g.slice(), [n]);
        again.step([p]);
      }
      takeBackAgain();
      return p.data;
    });
    expect(c.declined).toBe(0);
    expect(c.took).toBe(4);
    expectSameBits(resumed, expected.after[3]!, 'Adam resumed from JSON');
  });

  it('a step with a non-finite gradient or update is refused as on the TypeScript backend, changing nothing', () => {
    const n = 600;
    const theta = Float64Array.from({ length: n }, (_, i) => i / n);
    const bad = [NaN, Infinity, -Infinity].map((v) => Float64Array.from({ length: n }, (_, i) => (i === 333 ? v : 1)));
    const huge = Float64Array.from({ length: n }, (_, i) => (i === 451 ? 1e300 : 1));
    const cases: [() => SerializableOptimizer, Float64Array][] = [
      ...bad.map((g): [() => SerializableOptimizer, Float64Array] => [() => new Adam(), g]),
      ...bad.map((g): [() => SerializableOptimizer, Float64Array] => [() => new SGD(), g]),
      [() => new SGD({ lr: 1e10 }), huge], // the update overflows: 1 - 1e310
    ];
    for (const [make, g] of cases) {
      const attempt = (backend: Backend) =>
        onBackend(backend, () => {
          const p = new MLArray(theta.slice(), [n], true);
          const opt = make();
          const takeBack = lend(opt, [p], backend);
          p.grad = new MLArray(Float64Array.from({ length: n }, () => 0.5), [n]);
          opt.step([p]); // one good step, so that there is state to keep
          const before = { data: p.data.slice(), state: JSON.stringify(opt.toJSON([p])) };
          p.grad = new MLArray(g.slice(), [n]);
          let message = '';
          try {
            opt.step([p]);
          } catch (e) {
            expect(e).toBeInstanceOf(ValueError);
            message = (e as Error).message;
          }
          expectSameBits(p.data, before.data, 'parameter after a refused step');
          expect(JSON.stringify(opt.toJSON([p]))).toBe(before.state);
          takeBack();
          return message;
        });
      const expected = attempt(jsBackend);
      expect(expected).not.toBe('');
      // cut: the bad numbers (elements 333 and 451 of 600) are in the worker's part, elements 304 on
      for (const backend of [one, cut]) {
        const c = counted(backend);
        expect(attempt(c.backend)).toBe(expected);
        expect(c.took).toBe(2); // both steps were computed in WebAssembly; the second was refused on its check
      }
    }
  });

  // cut: the calling thread computes elements 0 to 263, the worker 264 to 512
  for (const [label, backend] of [['whole', one], ['cut across two threads', cut]] as const) it(`the finiteness check is 0, or NaN as soon as one gradient or result is not finite (${label})`, () => {
    const n = 513; // a tail after the vectors
    const kernels = backend.updateKernels as Required<UpdateKernels>;
    for (const at of [0, 200, 512]) {
      for (const v of [NaN, Infinity, -Infinity]) {
        const theta = backend.allocate(n).fill(1);
        const g = backend.allocate(n).fill(0.25);
        const next = backend.allocate(n);
        expect(kernels.sgd(theta, g, next, 0.1, 0)).toBe(0);
        g[at] = v;
        expect(kernels.sgd(theta, g, next, 0.1, 0)).toBeNaN();
        g[at] = 0.25;
        theta[at] = v; // a non-finite parameter makes a non-finite update
        expect(kernels.sgd(theta, g, next, 0.1, 0.5)).toBeNaN();
        const [m, vv, m2, v2] = [0, 0, 0, 0].map(() => backend.allocate(n));
        theta[at] = 1;
        g[at] = v;
        const c = { beta1: 0.9, beta2: 0.999, bc1: 0.1, bc2: 0.001, lr: 0.001, eps: 1e-8, shrink: 1 };
        expect(kernels.adam(theta, g, m!, vv!, next, m2!, v2!, c)).toBeNaN();
        g[at] = 0.25;
        expect(kernels.adam(theta, g, m!, vv!, next, m2!, v2!, c)).toBe(0);
      }
    }
  });

  it('copies inputs outside memory in, and computes in place when an output is its input', () => {
    const n = 777;
    const theta = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
    const g = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
    const placedNext = one.allocate(n);
    expect(kernels.sgd(theta, g, placedNext, 0.3, 0.01)).toBe(0); // theta and g are ordinary arrays
    const expected = steps(jsBackend, () => new SGD({ lr: 0.3, weightDecay: 0.01 }), theta, [g]).after[0]!;
    expectSameBits(placedNext, expected, 'SGD from ordinary inputs');
    const inPlace = one.allocate(n);
    inPlace.set(theta);
    const gPlaced = one.allocate(n);
    gPlaced.set(g);
    expect(kernels.sgd(inPlace, gPlaced, inPlace, 0.3, 0.01)).toBe(0);
    expectSameBits(inPlace, expected, 'SGD in place');
  });

  it('declines outputs outside memory, short arrays, empty ones and outputs that partly overlap another array, writing nothing', () => {
    const n = 600;
    const theta = one.allocate(n).fill(1);
    const g = one.allocate(n).fill(2);
    const next = one.allocate(n + 1).fill(7);
    const c = { beta1: 0.9, beta2: 0.999, bc1: 0.1, bc2: 0.001, lr: 0.001, eps: 1e-8, shrink: 1 };
    const [m, v, m2, v2] = [0, 0, 0, 0].map(() => one.allocate(n).fill(3));
    expect(kernels.sgd(theta, g, new Float64Array(n), 0.1, 0)).toBeUndefined(); // the output is an ordinary array
    expect(kernels.adam(theta, g, m!, v!, next, m2!, new Float64Array(n), c)).toBeUndefined();
    expect(kernels.adam(theta, g, m!, v!, next, m2!, v2!.subarray(0, n - 1), c)).toBeUndefined(); // vNext shorter than theta
    expect(kernels.sgd(theta, g.subarray(1), next, 0.1, 0)).toBeUndefined(); // g shorter than theta
    expect(kernels.sgd(theta.subarray(0, 0), g, next, 0.1, 0)).toBeUndefined(); // nothing to compute
    expect(kernels.sgd(theta.subarray(0, n - 1), g, theta.subarray(1), 0.1, 0)).toBeUndefined(); // shifted by one over theta
    expect(kernels.adam(theta, g, m!, v!, next, m2!, m2!.subarray(1), c)).toBeUndefined(); // vNext overlaps mNext
    expect([...next].every((x) => x === 7)).toBe(true);
    expect([...theta].every((x) => x === 1)).toBe(true);
    expect([...m2!, ...v2!].every((x) => x === 3)).toBe(true);
  });
});
