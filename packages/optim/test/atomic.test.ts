/**
 * A step is atomic: when an update would leave a parameter non-finite (Adam with lr 1e308, a
 * diverging momentum run), every parameter and all optimizer state stay as they were, bit for bit,
 * and a ValueError says so. State that overflows while the parameters stay finite (Adam's v, RMSProp's
 * squareAvg) is kept, and saving it works.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MLArray, ValueError, createRng } from '@smolml/core';
import { AdaGrad, Adam, AdamW, RMSProp, SGD, SGDMomentum, optimizerFromJSON, type OptimizerJSON, type SerializableOptimizer } from '../src/index.js';
import { problemParams, setGrads } from './helpers.js';

/** The exact bit patterns of the parameters (so -0 and 0, or two NaNs, are told apart). */
const bits = (xs: readonly MLArray[]): string[][] => xs.map((x) => Array.from(new BigUint64Array(x.data.slice().buffer), String));
const param = (values: number[]) => MLArray.from(values, { requiresGrad: true });

describe('a step that would make a parameter non-finite changes nothing', () => {
  it('Adam with lr 1e308: the failing step throws and leaves params + state bit-identical', () => {
    const params = problemParams();
    const opt = new Adam({ lr: 1e308 });
    setGrads(params[0], params[1], 1);
    opt.step(params); // every weight with a non-zero gradient moves by ~1e308: still finite
    expect(params[0].data.some((x) => Math.abs(x) > 1e307)).toBe(true);
    const saved = JSON.stringify(opt.toJSON(params));
    const before = bits(params);
    const versions = params.map((p) => p.version);
    setGrads(params[0], params[1], 2);
    expect(() => opt.step(params)).toThrow(ValueError);
    expect(() => opt.step(params)).toThrow(
      /^Adam\.step: updating parameter 0 \(shape \(3, 2\)\) would set element \d to -?Infinity \(from -?[\d.]+e\+30[78], lr 1e\+308\); nothing was changed \(parameters and optimizer state are as before this step\)/,
    );
    expect(bits(params)).toEqual(before);
    expect(JSON.stringify(opt.toJSON(params))).toBe(saved);
    expect(params.map((p) => p.version)).toEqual(versions);
  });

  it('a failure on a later parameter leaves the earlier ones unchanged too, and creates no state', () => {
    // W's update is fine; b's overflows (1e308 + ~1e308): W is restored too, and neither keeps state
    const W = param([0.5, -0.25]);
    const b = param([1e308, 0]);
    W.grad = MLArray.from([1, -1]);
    b.grad = MLArray.from([-1, 1]);
    const opt = new Adam({ lr: 1e308 });
    const before = bits([W, b]);
    expect(() => opt.step([W, b])).toThrow(/updating parameter 1 \(shape \(2,\)\) would set element 0 to Infinity \(from 1e\+308, lr 1e\+308\)/);
    expect(bits([W, b])).toEqual(before);
    expect(opt.toJSON([W, b]).state).toEqual([null, null]);
    // and the optimizer continues exactly like a fresh one
    b.data[0] = 1;
    const W2 = param([0.5, -0.25]);
    const b2 = param([1, 0]);
    W2.grad = W.grad.clone();
    b2.grad = b.grad.clone();
    opt.step([W, b]);
    new Adam({ lr: 1e308 }).step([W2, b2]);
    expect(bits([W, b])).toEqual(bits([W2, b2]));
  });

  const diverging: [string, () => SerializableOptimizer][] = [
    ['SGD', () => new SGD({ lr: 1e308 })],
    ['SGDMomentum', () => new SGDMomentum({ lr: 1e308, momentum: 0.9 })],
    ['AdaGrad', () => new AdaGrad({ lr: 1e308 })],
    ['RMSProp', () => new RMSProp({ lr: 1e308 })],
    ['Adam', () => new Adam({ lr: 1e308 })],
    ['AdamW', () => new AdamW({ lr: 1e308, weightDecay: 0 })],
  ];

  it.each(diverging)('%s: stepping until it fails leaves the last good parameters and state (property)', (type, make) => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const rng = createRng(seed);
        const params = [MLArray.randn([2, 3], rng, { requiresGrad: true }), MLArray.randn([3], rng, { requiresGrad: true })];
        const opt = make();
        for (let t = 0; t < 20; t++) {
          // gradients of one sign per element: every optimizer keeps pushing the same way
          params.forEach((p, i) => (p.grad = MLArray.full(p.shape, i === 0 ? 1e3 : -1e3)));
          const before = bits(params);
          const state = JSON.stringify(opt.toJSON(params));
          try {
            opt.step(params);
          } catch (e) {
            expect(e).toBeInstanceOf(ValueError);
            expect((e as Error).message).toMatch(new RegExp(`^${type}\\.step: updating parameter \\d .*nothing was changed`));
            expect(bits(params)).toEqual(before);
            expect(JSON.stringify(opt.toJSON(params))).toBe(state);
            return;
          }
          for (const p of params) expect(p.data.every(Number.isFinite)).toBe(true);
        }
        expect.fail(`${type} with lr 1e308 never overflowed in 20 steps`);
      }),
      { numRuns: 10, seed: 7 },
    );
  });

  it('a successful step calls markModified() on every updated parameter, and only on those', () => {
    const [W, b] = problemParams();
    const versions = [W.version, b.version];
    setGrads(W, b, 1);
    b.grad = null;
    new SGD({ lr: 0.1 }).step([W, b]);
    expect([W.version, b.version]).toEqual([versions[0]! + 1, versions[1]]);
  });

  it.each([
    ['SGDMomentum', () => new SGDMomentum({ lr: 10, momentum: 0.9 })],
    ['Adam', () => new Adam({ lr: 10 })],
    ['RMSProp', () => new RMSProp({ lr: 10 })],
  ] as const)('%s: after a refused step, training continues exactly as if it had never been tried', (_n, make) => {
    const a = problemParams();
    const b = problemParams();
    const optA = make();
    const optB = make();
    for (let t = 1; t <= 5; t++) {
      if (t === 3) {
        // a gradient so large that the update overflows: refused, nothing changes
        a[0].grad = MLArray.full([3, 2], -1.7e308);
        a[1].grad = MLArray.full([1, 2], 1.7e308);
        expect(() => optA.step(a)).toThrow(/nothing was changed/);
      }
      setGrads(a[0], a[1], t);
      setGrads(b[0], b[1], t);
      optA.step(a);
      optB.step(b);
      expect(bits(a)).toEqual(bits(b));
      expect(JSON.stringify(optA.toJSON(a))).toBe(JSON.stringify(optB.toJSON(b)));
    }
  });
});

describe('state that overflows while the parameters stay finite', () => {
  const overflowing: [string, string, () => SerializableOptimizer][] = [
    ['Adam', 'v', () => new Adam({ lr: 0.01 })],
    ['AdamW', 'v', () => new AdamW({ lr: 0.01 })],
    ['RMSProp', 'squareAvg', () => new RMSProp({ lr: 0.01 })],
    ['AdaGrad', 'sum', () => new AdaGrad({ lr: 0.01 })],
  ];

  it.each(overflowing)("%s: a gradient of 1e200 makes '%s' Infinity; the step is kept and toJSON round-trips", (_n, buffer, make) => {
    const w = param([0.5, -2]);
    const opt = make();
    w.grad = MLArray.from([1e200, 0.5]);
    opt.step([w]);
    expect(w.data.every(Number.isFinite)).toBe(true);
    const json = opt.toJSON([w]);
    expect(json.state[0]!.buffers[buffer]![0]).toBe('Infinity');
    expect(typeof json.state[0]!.buffers[buffer]![1]).toBe('number');
    const text = JSON.stringify(json);
    expect(text).not.toContain('null');
    // restore into a copy and continue: the same numbers as the original optimizer
    const w2 = new MLArray(w.data.slice(), w.shape, true);
    const opt2 = optimizerFromJSON(JSON.parse(text) as OptimizerJSON, [w2]);
    expect(JSON.stringify(opt2.toJSON([w2]))).toBe(text);
    for (const g of [[0.1, -0.3], [2, 1]]) {
      w.grad = MLArray.from(g);
      w2.grad = MLArray.from(g);
      opt.step([w]);
      opt2.step([w2]);
    }
    expect(bits([w2])).toEqual(bits([w]));
  });

  it('loadState accepts "Infinity", "-Infinity" and "NaN" and nothing else spelled as a string', () => {
    const w = param([1, 2, 3]);
    const opt = new RMSProp();
    const json = (values: unknown[]): OptimizerJSON => ({ type: 'RMSProp', config: { lr: 0.01, alpha: 0.99, eps: 1e-8 }, state: [{ step: 1, shape: [3], buffers: { squareAvg: values as number[] } }] });
    opt.loadState([w], json(['Infinity', '-Infinity', 'NaN']));
    const s = opt.toJSON([w]).state[0]!.buffers.squareAvg!;
    expect(s).toEqual(['Infinity', '-Infinity', 'NaN']);
    for (const bad of ['infinity', 'Inf', '1', 'constructor']) {
      expect(() => opt.loadState([w], json([bad, 0, 0]))).toThrow(/buffer 'squareAvg' of entry 0 holds .* at index 0; expected a number, "Infinity", "-Infinity" or "NaN"/);
    }
  });
});

/**
 * Each update checks its gradient and its result in its own pass (BaseOptimizer.update), yet a
 * step must report what checking every gradient first would: the first non-finite gradient of
 * any parameter, then the first parameter whose update is not finite. The reference here steps
 * each parameter alone, on a copy, with a fresh optimizer (each parameter's update depends only
 * on its own numbers and state).
 */
describe('which error a refused step reports', () => {
  const makers: [string, (lr: number) => SerializableOptimizer][] = [
    ['SGD', (lr) => new SGD({ lr })],
    ['SGD weight decay', (lr) => new SGD({ lr, weightDecay: 0.5 })],
    ['SGDMomentum', (lr) => new SGDMomentum({ lr, momentum: 0.9 })],
    ['SGDMomentum nesterov', (lr) => new SGDMomentum({ lr, momentum: 0.9, nesterov: true })],
    ['AdaGrad', (lr) => new AdaGrad({ lr })],
    ['RMSProp', (lr) => new RMSProp({ lr })],
    ['Adam', (lr) => new Adam({ lr })],
    ['AdamW', (lr) => new AdamW({ lr, weightDecay: 0.5 })],
  ];
  const value = fc.constantFrom(0.5, -2, 3, 1e308, -1e308);
  const gradient = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(1, -1, 0.25, -3) }, { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity) });
  const problem = fc.array(fc.integer({ min: 1, max: 4 }).chain((n) => fc.tuple(fc.array(value, { minLength: n, maxLength: n }), fc.array(gradient, { minLength: n, maxLength: n }))), { minLength: 1, maxLength: 4 });

  it.each(makers)('%s: the same error as checking every gradient first, and nothing changed', (_name, make) => {
    fc.assert(
      fc.property(problem, fc.constantFrom(0.01, 1e308), (entries, lr) => {
        const params = entries.map(([values]) => param(values));
        entries.forEach(([, g], i) => (params[i]!.grad = MLArray.from(g)));
        const opt = make(lr);
        const type = opt.type;
        // the reference: the first non-finite gradient, else the first update that fails alone
        let expected: string | null = null;
        const alone: MLArray[] = [];
        for (let i = 0; i < params.length && expected === null; i++) {
          const g = params[i]!.grad!.data;
          const k = g.findIndex((x) => !Number.isFinite(x));
          if (k >= 0) expected = `${type}.step: gradient of parameter ${i} (shape (${g.length},)) holds ${g[k]} at element ${k}; nothing was updated`;
        }
        for (let i = 0; i < params.length && expected === null; i++) {
          const copy = param(Array.from(params[i]!.data));
          copy.grad = params[i]!.grad!.clone();
          try {
            make(lr).step([copy]);
            alone.push(copy);
          } catch (e) {
            expected = (e as Error).message.replace('updating parameter 0', `updating parameter ${i}`);
          }
        }
        const before = bits(params);
        if (expected === null) {
          opt.step(params);
          expect(bits(params)).toEqual(bits(alone));
        } else {
          expect(() => opt.step(params)).toThrow(expected);
          expect(bits(params)).toEqual(before);
          expect(opt.toJSON(params).state.every((s) => s === null)).toBe(true);
        }
      }),
      { numRuns: 300, seed: 14 },
    );
  });

  it('checks parameter by parameter: its gradient, then its learning rate', () => {
    const lr = (step: number) => (step === 0 ? 0.1 : Number.NaN); // NaN from each parameter's second update on
    const w = param([1, 2]);
    const opt = new SGD({ lr });
    w.grad = MLArray.from([0.5, 1]);
    opt.step([w]); // w's next update gets lr NaN
    const fine = param([3]);
    fine.grad = MLArray.from([1]);
    const nan = param([4]);
    nan.grad = MLArray.from([Number.NaN]);
    const before = bits([w, fine, nan]);
    expect(() => opt.step([w, nan])).toThrow('SGD.step: the schedule gave lr = NaN for parameter 0 at step 1');
    expect(() => opt.step([nan, w])).toThrow('SGD.step: gradient of parameter 0 (shape (1,)) holds NaN at element 0; nothing was updated');
    expect(() => opt.step([fine, w, nan])).toThrow('SGD.step: the schedule gave lr = NaN for parameter 1 at step 1');
    w.grad = MLArray.from([0.5, Number.NaN]);
    expect(() => opt.step([fine, w])).toThrow('SGD.step: gradient of parameter 1 (shape (2,)) holds NaN at element 1; nothing was updated');
    expect(bits([w, fine, nan])).toEqual(before);
  });
});
