/**
 * How the optimizers use the current backend: their state, spares and pending updates come from
 * its `allocate` when it has one, and SGD and Adam (AdamW) hand their update to its
 * `updateKernels` — using what a kernel computes when it returns a number, refusing the step when
 * that number says the update is not finite, and running their own loop when it declines.
 * (@smolml/wasm's tests check that its kernels give these loops' numbers bit for bit.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Backend, MLArray, type UpdateKernels, ValueError, jsBackend, setBackend } from '@smolml/core';
import { Adam, AdamW, SGD, SGDMomentum, type SerializableOptimizer } from '../src/index.js';

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

describe('optimizer state on the backend', () => {
  it("comes from the backend's allocate: Adam's m and v, their spares and the pending update; SGD's pending update", () => {
    const sizes: number[] = [];
    setBackend({ name: 'counting', gemm: jsBackend.gemm, allocate: (n) => (sizes.push(n), new Float64Array(n)) });
    const p = param(6, 0.5);
    const adam = new Adam();
    adam.step([p]);
    expect(sizes).toEqual([6, 6, 6, 6, 6]);
    sizes.length = 0;
    new SGD().step([p]);
    expect(sizes).toEqual([6]);
    sizes.length = 0;
    new SGDMomentum().step([p]); // every optimizer: its velocity, its spare and the pending update
    expect(sizes).toEqual([6, 6, 6]);
    sizes.length = 0;
    new Adam().loadState([p], adam.toJSON([p])); // restored state too
    expect(sizes).toEqual([6, 6]);
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
