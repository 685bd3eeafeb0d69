/**
 * How the optimizers use a backend: during a training run (lendState, which @smolml/nn calls) their
 * state, spares and pending updates live in arrays of its `allocate`, and go back to ordinary
 * arrays with the same numbers when the run ends; SGD and Adam (AdamW) hand their update to its
 * `updateKernels` — using what a kernel computes when it returns a number, refusing the step when
 * that number says the update is not finite, and running their own loop when it declines.
 * (@smolml/wasm's tests check that its kernels give these loops' numbers bit for bit.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Backend, MLArray, ShapeError, type UpdateKernels, ValueError, jsBackend, setBackend } from '@smolml/core';
import { AdaGrad, Adam, AdamW, RMSProp, SGD, SGDMomentum, type SerializableOptimizer } from '../src/index.js';

afterEach(() => setBackend(jsBackend));

/** A parameter of `n` numbers with a gradient. */
function param(n: number, grad: number): MLArray {
  const p = new MLArray(Float64Array.from({ length: n }, (_, i) => i / n), [n], true);
  p.grad = new MLArray(new Float64Array(n).fill(grad), [n]);
  return p;
}

/** One step of `make()` on the TypeScript backend: the updated numbers. */
function reference(make: () => SerializableOptimizer, n: number, grad: number): Float64Array {
  setBackend(jsBackend);
  const p = param(n, grad);
  make().step([p]);
  return p.data;
}

describe("optimizer state lent to a backend's memory (lendState, for a training run)", () => {
  /** An allocate and a release that record what they hand out and get back. */
  function memory() {
    const made: Float64Array[] = [];
    const released: Float64Array[] = [];
    return { made, released, allocate: (n: number) => (made.push(new Float64Array(n)), made.at(-1)!), release: (a: Float64Array) => void released.push(a) };
  }

  it("is ordinary outside a loan, even on a backend with allocate", () => {
    let calls = 0;
    setBackend({ name: 'counting', gemm: jsBackend.gemm, allocate: (n) => (calls++, new Float64Array(n)), release: () => {} });
    const p = param(6, 0.5);
    new Adam().step([p]);
    new SGD().step([p]);
    expect(calls).toBe(0);
  });

  it('moves existing state in and new state there, and back out with the same numbers, releasing each array once', () => {
    const [p, q] = [param(6, 0.5), param(3, -0.25)];
    const adam = new Adam({ lr: 0.1 });
    adam.step([p]); // p has state before the loan, q gets it during
    const before = JSON.stringify(adam.toJSON([p]));
    const mem = memory();
    const takeBack = adam.lendState([p, q], mem.allocate, mem.release);
    expect(mem.made.map((a) => a.length)).toEqual([6, 6]); // p's m and v, moved in
    expect(JSON.stringify(adam.toJSON([p]))).toBe(before); // the same numbers, now in the lent arrays
    mem.made[0]!.fill(42); // the state really lives there now
    expect(adam.toJSON([p]).state[0]!.buffers.m).toEqual([42, 42, 42, 42, 42, 42]);
    adam.step([p, q]);
    // p: its spares and pending update; q: m, v, spares and pending update
    expect(mem.made.map((a) => a.length)).toEqual([6, 6, 6, 6, 6, 3, 3, 3, 3, 3]);
    const during = JSON.stringify(adam.toJSON([p, q]));
    takeBack();
    expect(JSON.stringify(adam.toJSON([p, q]))).toBe(during);
    expect(new Set(mem.released)).toEqual(new Set(mem.made));
    expect(mem.released).toHaveLength(mem.made.length);
    mem.made.forEach((a) => a.fill(-1)); // the backend reuses its memory: the state must not see it
    expect(JSON.stringify(adam.toJSON([p, q]))).toBe(during);
    takeBack(); // a second call does nothing
    expect(mem.released).toHaveLength(mem.made.length);
    adam.step([p, q]); // and the optimizer goes on with ordinary arrays
    expect(mem.made).toHaveLength(10);
  });

  it('shares an open loan with a second run, and ends it with the last', () => {
    const p = param(4, 1);
    const sgd = new SGD();
    const mem = memory();
    const first = sgd.lendState([p], mem.allocate, mem.release);
    const second = sgd.lendState([p], () => expect.fail('a second allocate'), () => expect.fail('a second release'));
    sgd.step([p]);
    expect(mem.made).toHaveLength(1); // the pending update
    first();
    expect(mem.released).toHaveLength(0);
    second();
    expect(mem.released).toEqual(mem.made);
  });

  it('takes state restored with loadState during a loan', () => {
    const p = param(5, 0.5);
    const adam = new Adam();
    adam.step([p]);
    const saved = adam.toJSON([p]);
    const again = new Adam();
    const mem = memory();
    const takeBack = again.lendState([p], mem.allocate, mem.release);
    again.loadState([p], saved);
    expect(mem.made.map((a) => a.length)).toEqual([5, 5]);
    expect(again.toJSON([p])).toEqual(saved);
    takeBack();
    expect(mem.released).toEqual(mem.made);
    expect(again.toJSON([p])).toEqual(saved);
  });
});

describe('update kernels of the backend', () => {
  const cases: [string, () => SerializableOptimizer, keyof UpdateKernels][] = [
    ['SGD', () => new SGD({ lr: 0.1, weightDecay: 0.01 }), 'sgd'],
    ['Adam', () => new Adam({ lr: 0.1 }), 'adam'],
    ['AdamW', () => new AdamW({ lr: 0.1 }), 'adam'],
  ];

  for (const [name, make, kernel] of cases) {
    it(`${name}: what the kernel writes is committed, and the state it writes is kept`, () => {
      const calls: unknown[][] = [];
      // a kernel that writes a recognisable update (next[i] = 100 + i, new state 7) and reports it finite
      const write = (...args: unknown[]) => {
        calls.push(args);
        const outs = (kernel === 'sgd' ? args.slice(2, 3) : args.slice(4, 7)) as Float64Array[];
        outs[0]!.forEach((_, i) => (outs[0]![i] = 100 + i));
        for (const o of outs.slice(1)) o.fill(7);
        return 0;
      };
      setBackend({ name: 'kernels', gemm: jsBackend.gemm, updateKernels: { [kernel]: write } });
      const p = param(5, 0.5);
      const opt = make();
      opt.step([p]);
      expect(calls).toHaveLength(1);
      expect([...p.data]).toEqual([100, 101, 102, 103, 104]);
      if (kernel === 'adam') {
        expect(calls[0]!.at(-1)).toEqual({ beta1: 0.9, beta2: 0.999, bc1: 1 - 0.9, bc2: 1 - 0.999, lr: 0.1, eps: 1e-8, shrink: name === 'AdamW' ? 1 - 0.1 * 0.01 : 1 });
        const state = opt.toJSON([p]).state[0]!.buffers;
        expect(state.m).toEqual([7, 7, 7, 7, 7]);
        expect(state.v).toEqual([7, 7, 7, 7, 7]);
      } else {
        expect(calls[0]!.slice(3)).toEqual([0.1, 0.01]);
      }
    });

    it(`${name}: a kernel that declines leaves the optimizer's own loop to compute the same numbers`, () => {
      let calls = 0;
      const expected = reference(make, 9, 0.25);
      setBackend({ name: 'declining', gemm: jsBackend.gemm, updateKernels: { [kernel]: () => (calls++, undefined) } });
      const p = param(9, 0.25);
      make().step([p]);
      expect(calls).toBe(1);
      expect([...p.data]).toEqual([...expected]);
    });

    it(`${name}: a kernel that reports a non-finite update gets the step refused, changing nothing`, () => {
      const backend: Backend = { name: 'non-finite', gemm: jsBackend.gemm, updateKernels: { [kernel]: (...args: unknown[]) => ((args[kernel === 'sgd' ? 2 : 4] as Float64Array).fill(Infinity), NaN) } };
      setBackend(backend);
      const p = param(4, 0.5);
      const before = p.data.slice();
      const opt = make();
      expect(() => opt.step([p])).toThrow(ValueError);
      expect(() => opt.step([p])).toThrow(/would set element 0 to Infinity .*nothing was changed/);
      expect([...p.data]).toEqual([...before]);
      expect(opt.toJSON([p]).state).toEqual([null]); // no state was registered
    });
  }
});

describe("stepWithGradients (@smolml/nn's replayed steps): gradients given, and the parameters read from the copies given", () => {
  const ALL: [string, () => SerializableOptimizer][] = [
    ['SGD', () => new SGD({ lr: 0.1, weightDecay: 0.01 })],
    ['SGDMomentum', () => new SGDMomentum({ lr: 0.1, momentum: 0.9 })],
    ['Adam', () => new Adam({ lr: 0.1 })],
    ['AdamW', () => new AdamW({ lr: 0.1 })],
    ['AdaGrad', () => new AdaGrad({ lr: 0.1 })],
    ['RMSProp', () => new RMSProp({ lr: 0.1 })],
  ];
  type Replaying = SerializableOptimizer & { stepWithGradients(params: readonly MLArray[], grads: readonly (Float64Array | null)[], thetas?: readonly Float64Array[]): void };
  const values = (n: number, s: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(i * s + 1) * 2);

  for (const [name, make] of ALL) {
    it(`${name}: the update reads each parameter from its copy and writes the result into the parameter (the same bits as step() from those numbers)`, () => {
      const [n, m] = [7, 70]; // one under 64 numbers (copied by a loop) and one over
      const from = [values(n, 0.3), values(m, 0.7)];
      const grads = [values(n, 1.1), values(m, 1.9)];
      // the reference: step() on parameters holding `from`, twice (state carried over)
      const ref = from.map((v) => new MLArray(v.slice(), [v.length], true));
      const refOpt = make();
      for (let t = 0; t < 2; t++) {
        ref.forEach((p, i) => (p.grad = new MLArray(grads[i]!.map((g) => g * (t + 1)), [p.size])));
        refOpt.step(ref);
      }
      // stepWithGradients on parameters holding other numbers, with copies holding `from`
      const params = from.map((v) => new MLArray(new Float64Array(v.length).fill(123), [v.length], true));
      const opt = make() as Replaying;
      for (let t = 0; t < 2; t++) {
        const copies = t === 0 ? from.map((v) => v.slice()) : params.map((p) => p.data.slice());
        const versions = params.map((p) => p.version);
        opt.stepWithGradients(params, grads.map((g) => g.map((x) => x * (t + 1))), copies);
        params.forEach((p, i) => expect(p.version, `version of parameter ${i}`).toBe(versions[i]! + 1));
      }
      params.forEach((p, i) => expect([...p.data], `parameter ${i}`).toEqual([...ref[i]!.data]));
      expect(opt.toJSON(params)).toEqual(refOpt.toJSON(ref));
    });
  }

  it('copies of the wrong number or size are a ShapeError, and nothing changes', () => {
    const p = param(5, 0.5);
    const before = p.data.slice();
    const opt = new SGD() as unknown as Replaying;
    const g = new Float64Array(5).fill(0.5);
    expect(() => opt.stepWithGradients([p], [g], [])).toThrow(ShapeError);
    expect(() => opt.stepWithGradients([p], [g], [new Float64Array(4)])).toThrow(/got 1 gradients and 1 copies of parameters for 1 parameters, or one whose size is not its parameter's/);
    expect([...p.data]).toEqual([...before]);
    expect(opt.toJSON([p]).state).toEqual([null]);
  });
});
