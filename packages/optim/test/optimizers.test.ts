/**
 * The update rules without fixtures (RMSProp, AdamW, SGD weight decay, Nesterov) against values
 * worked out by hand on one scalar weight, plus behaviour shared by every optimizer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MLArray, ShapeError, ValueError, createRng } from '@smolml/core';
import { AdaGrad, Adam, AdamW, RMSProp, SGD, SGDMomentum, isSerializableOptimizer, optimizerFromJSON, type SerializableOptimizer } from '../src/index.js';
import { expectClose, fixture, problemParams, setGrads, snapshot } from './helpers.js';

/** Runs `opt` on one scalar weight starting at theta0 with the given gradients; returns theta after each step. */
function run(opt: SerializableOptimizer, theta0: number, grads: number[]): number[] {
  const w = MLArray.from([theta0], { requiresGrad: true });
  return grads.map((g) => {
    w.grad = MLArray.from([g]);
    opt.step([w]);
    return w.data[0]!;
  });
}

describe('update rules by hand', () => {
  it('SGD with weight decay: theta -= lr (g + wd theta)', () => {
    // theta 2, g 1: 2 - 0.1 (1 + 0.5 * 2) = 1.8; then g -1: 1.8 - 0.1 (-1 + 0.9) = 1.81
    expectClose(run(new SGD({ lr: 0.1, weightDecay: 0.5 }), 2, [1, -1]), [1.8, 1.81], 1e-14, 0);
  });

  it('SGDMomentum (heavy ball and Nesterov)', () => {
    // v1 = 0.1; theta1 = 1 - 0.1 = 0.9. v2 = 0.09 + 0.05 = 0.14; theta2 = 0.76
    expectClose(run(new SGDMomentum({ lr: 0.1, momentum: 0.9 }), 1, [1, 0.5]), [0.9, 0.76], 1e-14, 0);
    // Nesterov: theta1 = 1 - (0.9 * 0.1 + 0.1) = 0.81; theta2 = 0.81 - (0.9 * 0.14 + 0.05) = 0.634
    expectClose(run(new SGDMomentum({ lr: 0.1, momentum: 0.9, nesterov: true }), 1, [1, 0.5]), [0.81, 0.634], 1e-14, 0);
  });

  it('RMSProp: s = alpha s + (1 - alpha) g^2; theta -= lr g / (sqrt(s) + eps)', () => {
    // s1 = 0.1 * 4 = 0.4, theta1 = 1 - 0.2 / (sqrt(0.4) + 1e-8)
    // s2 = 0.9 * 0.4 + 0.1 * 1 = 0.46, theta2 = theta1 + 0.1 / (sqrt(0.46) + 1e-8)
    const t1 = 1 - 0.2 / (Math.sqrt(0.4) + 1e-8);
    expectClose(run(new RMSProp({ lr: 0.1, alpha: 0.9 }), 1, [2, -1]), [t1, t1 + 0.1 / (Math.sqrt(0.46) + 1e-8)], 1e-14, 0);
  });

  it('AdamW: theta *= 1 - lr wd, then the Adam step', () => {
    // step 1: theta = 0.99; m = 0.05, v = 0.00025, m_hat = 0.5, v_hat = 0.25: theta -= 0.1 * 0.5 / (0.5 + 1e-8)
    const t1 = 0.99 - 0.05 / (0.5 + 1e-8);
    // step 2 (g = 0.5 again): m = 0.095, v = 0.00049975; m_hat = 0.5, v_hat = 0.25 (bias correction exact)
    const t2 = t1 * 0.99 - 0.05 / (0.5 + 1e-8);
    expectClose(run(new AdamW({ lr: 0.1, weightDecay: 0.1 }), 1, [0.5, 0.5]), [t1, t2], 1e-13, 0);
  });

  it('AdamW with weightDecay 0 is Adam, bit for bit', () => {
    const grads = [0.3, -1.2, 0.7, 2];
    expect(run(new AdamW({ lr: 0.01, weightDecay: 0 }), 0.5, grads)).toEqual(run(new Adam({ lr: 0.01 }), 0.5, grads));
  });

  it('SGD with weight decay moves even the zero-gradient weights of the fixture', () => {
    const [W, b] = problemParams();
    const w21 = W.data[5]!;
    setGrads(W, b, 1);
    new SGD({ lr: 0.1, weightDecay: 0.5 }).step([W, b]);
    expect(W.data[5]).toBeCloseTo(w21 * (1 - 0.05), 15);
  });
});

const allOptimizers: [string, () => SerializableOptimizer][] = [
  ['SGD', () => new SGD({ lr: 0.1, weightDecay: 0.01 })],
  ['SGDMomentum', () => new SGDMomentum({ lr: 0.1 })],
  ['SGDMomentum nesterov', () => new SGDMomentum({ lr: 0.1, nesterov: true })],
  ['AdaGrad', () => new AdaGrad({ lr: 0.1 })],
  ['RMSProp', () => new RMSProp({ lr: 0.01 })],
  ['Adam', () => new Adam({ lr: 0.01 })],
  ['AdamW', () => new AdamW({ lr: 0.01 })],
];

describe('state per parameter array', () => {
  it.each(allOptimizers)('%s: stepping layer by layer equals one step(allParams), bit for bit', (_n, make) => {
    const [W1, b1] = problemParams();
    const [W2, b2] = problemParams();
    const together = make();
    const perLayer = make();
    for (let t = 1; t <= 5; t++) {
      setGrads(W1, b1, t);
      setGrads(W2, b2, t);
      together.step([W1, b1]);
      perLayer.step([W2]);
      perLayer.step([b2]);
    }
    expect(snapshot([W2, b2])).toEqual(snapshot([W1, b1]));
  });

  it.each(allOptimizers)('%s: any grouping and order of parameters gives the same result (property)', (_n, make) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (layers, steps, seed) => {
        const rng = createRng(seed);
        const shapes = Array.from({ length: layers * 2 }, () => [1 + rng.int(3), 1 + rng.int(3)]);
        const init = shapes.map((s) => MLArray.randn(s, rng));
        const grads = Array.from({ length: steps }, () => shapes.map((s) => MLArray.randn(s, rng)));
        const a = init.map((x) => new MLArray(x.data.slice(), x.shape, true));
        const b = init.map((x) => new MLArray(x.data.slice(), x.shape, true));
        const optA = make();
        const optB = make();
        for (let t = 0; t < steps; t++) {
          a.forEach((p, i) => (p.grad = grads[t]![i]!.clone()));
          b.forEach((p, i) => (p.grad = grads[t]![i]!.clone()));
          optA.step(a);
          // layer by layer, in reverse order
          for (let l = layers - 1; l >= 0; l--) optB.step([b[2 * l + 1]!, b[2 * l]!]);
        }
        expect(snapshot(b)).toEqual(snapshot(a));
      }),
      { numRuns: 25 },
    );
  });

  it.each(allOptimizers)('%s: a parameter whose grad is null is skipped and its step count does not advance', (_n, make) => {
    const [W, b] = problemParams();
    const [Wref, bref] = problemParams();
    const opt = make();
    const ref = make();
    const b0 = Array.from(b.data);
    setGrads(W, b, 1);
    b.grad = null;
    opt.step([W, b]);
    expect(Array.from(b.data)).toEqual(b0);
    expect(opt.toJSON([W, b]).state[1]).toBeNull();
    // b's first real update must be its update number 1 (same as a fresh optimizer's)
    setGrads(W, b, 2);
    opt.step([b]);
    setGrads(Wref, bref, 2);
    ref.step([bref]);
    expect(Array.from(b.data)).toEqual(Array.from(bref.data));
  });

  it.each(allOptimizers)('%s: zeroGrad sets every .grad to null', (_n, make) => {
    const [W, b] = problemParams();
    setGrads(W, b, 1);
    const opt = make();
    opt.zeroGrad([W, b]);
    expect(W.grad).toBeNull();
    expect(b.grad).toBeNull();
    expect(isSerializableOptimizer(opt)).toBe(true);
  });

  it('updates in place (same Float64Array) and records per-parameter steps', () => {
    const [W, b] = problemParams();
    const data = W.data;
    const opt = new Adam();
    setGrads(W, b, 1);
    opt.step([W, b]);
    setGrads(W, b, 2);
    opt.step([W]);
    expect(W.data).toBe(data);
    expect(opt.toJSON([W, b]).state.map((s) => s?.step)).toEqual([2, 1]);
  });
});

describe('never corrupt a model', () => {
  it.each(allOptimizers)('%s: a NaN or infinite gradient throws, naming the parameter, before anything changes', (n, make) => {
    for (const bad of [Number.NaN, Infinity, -Infinity]) {
      const [W, b] = problemParams();
      const opt = make();
      setGrads(W, b, 1);
      opt.step([W, b]);
      const before = snapshot([W, b]);
      const stateBefore = JSON.stringify(opt.toJSON([W, b]));
      setGrads(W, b, 2);
      b.grad!.data[1] = bad;
      const type = n.split(' ')[0];
      expect(() => opt.step([W, b])).toThrow(ValueError);
      expect(() => opt.step([W, b])).toThrow(`${type}.step: gradient of parameter 1 (shape (1, 2)) holds ${bad} at element 1; nothing was updated`);
      expect(snapshot([W, b])).toEqual(before);
      expect(JSON.stringify(opt.toJSON([W, b]))).toBe(stateBefore);
    }
  });

  it('a schedule returning a bad lr throws before anything changes', () => {
    const [W, b] = problemParams();
    const before = snapshot([W, b]);
    const opt = new SGD({ lr: (step) => (step === 0 ? 0.1 : Number.NaN) });
    setGrads(W, b, 1);
    opt.step([W]);
    const afterFirst = snapshot([W, b]);
    expect(afterFirst).not.toEqual(before);
    expect(() => opt.step([b, W])).toThrow('SGD.step: the schedule gave lr = NaN for parameter 1 at step 1');
    expect(snapshot([W, b])).toEqual(afterFirst);
    expect(() => new SGD({ lr: () => -1 }).step([W])).toThrow(/must return a finite number >= 0/);
  });

  it('a gradient of the wrong shape cannot even be assigned (core refuses it with a ShapeError)', () => {
    const [W] = problemParams();
    expect(() => (W.grad = MLArray.zeros([2, 3]))).toThrow(ShapeError);
    expect(W.grad).toBeNull();
  });

  it('rejects a parameter listed twice and non-MLArray parameters', () => {
    const [W, b] = problemParams();
    setGrads(W, b, 1);
    expect(() => new SGD().step([W, b, W])).toThrow('SGD.step: params[2] is the same array as params[0]; pass each parameter once');
    expect(() => new SGD().step([W, [1, 2] as unknown as MLArray])).toThrow('SGD.step: params[1] is not an MLArray');
    expect(() => new SGD().step(W as unknown as MLArray[])).toThrow(/params must be an array/);
  });
});

describe('hyperparameter validation', () => {
  it.each([
    ['SGD lr 0', () => new SGD({ lr: 0 }), /SGD: lr \(a number or a schedule function\) must be a finite number in \(0, inf\), got 0/],
    ['SGD lr -1', () => new SGD({ lr: -1 }), /must be a finite number in \(0, inf\), got -1/],
    ['SGD lr NaN', () => new SGD({ lr: Number.NaN }), /got NaN/],
    ['SGD lr string', () => new SGD({ lr: '0.1' as unknown as number }), /got "0.1" \(string\)/],
    ['SGD lr null', () => new SGD({ lr: null as unknown as number }), /SGD: lr .* got null/],
    ['Adam beta1 null', () => new Adam({ beta1: null as unknown as number }), /Adam: beta1 must be a finite number in \[0, 1\), got null/],
    ['SGD weightDecay', () => new SGD({ weightDecay: -0.1 }), /SGD: weightDecay must be a finite number in \[0, inf\), got -0.1/],
    ['SGD typo', () => new SGD({ learningRate: 0.1 } as never), /SGD: unknown option 'learningRate'; known options: lr, weightDecay/],
    ['momentum 1', () => new SGDMomentum({ momentum: 1 }), /SGDMomentum: momentum must be a finite number in \[0, 1\), got 1/],
    ['momentum < 0', () => new SGDMomentum({ momentum: -0.5 }), /momentum must be/],
    ['nesterov', () => new SGDMomentum({ nesterov: 'yes' as unknown as boolean }), /SGDMomentum: nesterov must be true or false, got "yes" \(string\)/],
    ['AdaGrad eps 0', () => new AdaGrad({ eps: 0 }), /AdaGrad: eps must be a finite number in \(0, inf\), got 0/],
    ['RMSProp alpha 1', () => new RMSProp({ alpha: 1 }), /RMSProp: alpha must be a finite number in \[0, 1\)/],
    ['Adam beta1 1', () => new Adam({ beta1: 1 }), /Adam: beta1 must be/],
    ['Adam beta2 -0.1', () => new Adam({ beta2: -0.1 }), /Adam: beta2 must be/],
    ['AdamW weightDecay', () => new AdamW({ weightDecay: Infinity }), /AdamW: weightDecay must be/],
    ['Adam options array', () => new Adam([] as never), /Adam: options must be an object, got \[\] \(array\)/],
  ])('%s', (_n, make, msg) => {
    expect(make).toThrow(ValueError);
    expect(make).toThrow(msg);
  });

  it('uses the documented defaults', () => {
    expect(new SGD().config).toEqual({ lr: 0.01, weightDecay: 0 });
    expect(new SGDMomentum().config).toEqual({ lr: 0.01, momentum: 0.9, nesterov: false });
    expect(new AdaGrad().config).toEqual({ lr: 0.01, eps: 1e-8 });
    expect(new RMSProp().config).toEqual({ lr: 0.01, alpha: 0.99, eps: 1e-8 });
    expect(new Adam().config).toEqual({ lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    expect(new AdamW().config).toEqual({ lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 });
  });
});

describe('hyperparameters come from one declaration per optimizer', () => {
  it.each([
    ['Adam learningRate', () => new Adam({ learningRate: 0.1 } as never), "Adam: unknown option 'learningRate'; known options: lr, beta1, beta2, eps; did you mean 'lr'?"],
    ['SGD momentum', () => new SGD({ lr: 0.1, momentum: 0.9 } as never), "SGD: unknown option 'momentum'; known options: lr, weightDecay; 'momentum' is an option of SGDMomentum"],
    ['SGD nesterov', () => new SGD({ nesterov: true } as never), "'nesterov' is an option of SGDMomentum"],
    ['Adam weightDecay', () => new Adam({ weightDecay: 0.1 } as never), "Adam: unknown option 'weightDecay'; known options: lr, beta1, beta2, eps; 'weightDecay' is an option of SGD, AdamW"],
    ['Adam beta_1', () => new Adam({ beta_1: 0.9 } as never), "Adam: unknown option 'beta_1'; did you mean 'beta1'?; known options: lr, beta1, beta2, eps"],
    ['RMSProp rho (Keras)', () => new RMSProp({ rho: 0.9 } as never), "RMSProp: unknown option 'rho'; known options: lr, alpha, eps; did you mean 'alpha'?"],
    ['SGDMomentum useNesterov (TF.js)', () => new SGDMomentum({ useNesterov: true } as never), "did you mean 'nesterov'?"],
    ['AdaGrad unrelated key', () => new AdaGrad({ foo: 1 } as never), "AdaGrad: unknown option 'foo'; known options: lr, eps"],
  ])('unknown option (%s): says what is known and suggests what was meant', (_n, make, msg) => {
    expect(make).toThrow(ValueError);
    expect(make).toThrow(msg);
  });

  it.each(allOptimizers)('%s: config = lr + hyperparams(); the config rebuilds the same optimizer; each key is required when loading', (_n, make) => {
    const opt = make();
    const { lr, ...rest } = opt.config;
    const hp = (opt as unknown as { hyperparams(): Record<string, unknown> }).hyperparams();
    expect(hp).toEqual(rest);
    hp[Object.keys(hp)[0]!] = 12345; // a copy
    expect(opt.config).toEqual({ lr, ...rest });
    const [W] = problemParams();
    const json = opt.toJSON([W]);
    expect(optimizerFromJSON(json, [W]).config).toEqual(opt.config);
    for (const key of Object.keys(opt.config)) {
      const damaged = { ...json, config: { ...json.config } };
      delete damaged.config[key];
      expect(() => optimizerFromJSON(damaged, [W])).toThrow(`optimizerFromJSON: ${opt.type} config lacks ${key}; expected the output of toJSON(params)`);
    }
  });

  it('null or undefined options mean all defaults; an undefined value means its default', () => {
    expect(new Adam(null as never).config).toEqual(new Adam().config);
    expect(new Adam(undefined).config).toEqual(new Adam().config);
    expect(new SGDMomentum({ lr: 0.1, nesterov: undefined as never }).config).toEqual({ lr: 0.1, momentum: 0.9, nesterov: false });
  });
});

describe('uses the fixture problem for a sanity check of every optimizer', () => {
  it.each(allOptimizers)('%s moves against the gradient on step 1', (_n, make) => {
    const [W, b] = problemParams();
    const W0 = Array.from(W.data);
    setGrads(W, b, 1);
    make().step([W, b]);
    const g = fixture.problem.grads[0]!.gW.data;
    W0.forEach((w, i) => {
      if (g[i] !== 0) expect(Math.sign(W.data[i]! - w)).toBe(-Math.sign(g[i]!));
    });
  });
});
