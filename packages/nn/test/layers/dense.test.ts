import { describe, expect, it } from 'vitest';
import { MLArray, ShapeError, ValueError, createRng, gradcheck, type Optimizer } from '@smolml/core';
import { HeInitialization, Ones, XavierUniform } from '@smolml/init';
import { DenseLayer } from '../../src/layers/dense.js';
import { linear, relu, tanh } from '../../src/activations.js';

describe('DenseLayer', () => {
  it('has weights (in, out), zero biases (1, out), both requiring gradients, and linear by default', () => {
    const l = new DenseLayer(3, 5);
    expect(l.weights.shape).toEqual([3, 5]);
    expect(l.biases.shape).toEqual([1, 5]);
    expect(Array.from(l.biases.data)).toEqual([0, 0, 0, 0, 0]);
    expect(l.weights.requiresGrad && l.biases.requiresGrad).toBe(true);
    expect(l.activation).toBe(linear);
    expect(l.activationName).toBe('linear');
    expect(l.parameters()).toEqual([l.weights, l.biases]);
    expect(l.parameterCount).toBe(20);
    // Xavier-uniform bounds: |w| < sqrt(6 / (in + out))
    const limit = Math.sqrt(6 / 8);
    expect(l.weights.data.every((w) => Math.abs(w) < limit)).toBe(true);
    expect(new Set(l.weights.data).size).toBe(15);
  });

  it('forward computes act(x @ W + b) for a batch', () => {
    const l = new DenseLayer(2, 3, 'tanh', new Ones());
    l.biases.data.set([0.1, -0.2, 0.3]);
    const y = l.forward(MLArray.from([[1, 2], [-1, 0.5]]));
    expect(y.shape).toEqual([2, 3]);
    const expected = [[3.1, 2.8, 3.3], [-0.4, -0.7, -0.2]].flat().map(Math.tanh);
    y.data.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 15));
  });

  it('accepts an activation function or its name', () => {
    expect(new DenseLayer(1, 1, relu).activationName).toBe('relu');
    expect(new DenseLayer(1, 1, 'relu').activation).toBe(relu);
    const swish = (x: MLArray): MLArray => x.mul(x.sigmoid());
    const custom = new DenseLayer(1, 1, swish);
    expect(custom.activation).toBe(swish);
    expect(custom.activationName).toBe('custom:swish');
    expect(() => new DenseLayer(1, 1, 'swish' as 'relu')).toThrow(/^DenseLayer: unknown activation "swish" \(string\); valid names are/);
    expect(() => new DenseLayer(1, 1, 'ReLU' as 'relu')).toThrow("did you mean 'relu'?");
    expect(() => new DenseLayer(1, 1, 3 as unknown as 'relu')).toThrow("DenseLayer: activation must be a function or a name such as 'relu', got 3");
  });

  it('is reproducible with a seed or a shared rng', () => {
    const a = new DenseLayer(4, 3, tanh, new XavierUniform(), { seed: 7 });
    const b = new DenseLayer(4, 3, tanh, new XavierUniform(), { seed: 7 });
    const c = new DenseLayer(4, 3, tanh, new XavierUniform(), { seed: 8 });
    expect(Array.from(a.weights.data)).toEqual(Array.from(b.weights.data));
    expect(Array.from(a.weights.data)).not.toEqual(Array.from(c.weights.data));
    const r1 = createRng(3);
    const r2 = createRng(3);
    const net1 = [new DenseLayer(2, 4, relu, new HeInitialization(), { rng: r1 }), new DenseLayer(4, 1, linear, new HeInitialization(), { rng: r1 })];
    const net2 = [new DenseLayer(2, 4, relu, new HeInitialization(), { rng: r2 }), new DenseLayer(4, 1, linear, new HeInitialization(), { rng: r2 })];
    net1.forEach((l, i) => expect(Array.from(l.weights.data)).toEqual(Array.from(net2[i]!.weights.data)));
    // the shared rng moves on: the two layers of one network differ
    expect(Array.from(net1[0]!.weights.data.slice(0, 4))).not.toEqual(Array.from(net1[1]!.weights.data));
  });

  it('rejects sizes that are not positive integers, showing the value and its type', () => {
    for (const bad of [0, -1, 1.5, NaN, Infinity]) {
      expect(() => new DenseLayer(bad, 2)).toThrow(ValueError);
      expect(() => new DenseLayer(2, bad)).toThrow(`DenseLayer: outputSize must be an integer >= 1, got ${bad}`);
    }
    expect(() => new DenseLayer([2] as unknown as number, 4)).toThrow('DenseLayer: inputSize must be an integer >= 1, got [2] (array)');
    expect(() => new DenseLayer('2' as unknown as number, 4)).toThrow('got "2" (string)');
  });

  it('takes seed, rng or weightInitializer in an options object in the 4th place (no positional undefined)', () => {
    const a = new DenseLayer(3, 2, 'relu', { seed: 4 });
    const b = new DenseLayer(3, 2, 'relu', new XavierUniform(), { seed: 4 });
    const c = new DenseLayer(3, 2, 'relu', undefined, { seed: 4 });
    expect(Array.from(a.weights.data)).toEqual(Array.from(b.weights.data));
    expect(Array.from(a.weights.data)).toEqual(Array.from(c.weights.data));
    const d = new DenseLayer(3, 2, 'relu', { weightInitializer: new HeInitialization(), rng: createRng(9) });
    const e = new DenseLayer(3, 2, 'relu', new HeInitialization(), { rng: createRng(9) });
    expect(Array.from(d.weights.data)).toEqual(Array.from(e.weights.data));
    expect(Array.from(new DenseLayer(2, 2, 'linear', { weightInitializer: new Ones() }).weights.data)).toEqual([1, 1, 1, 1]);
    // null means the default, as for every options object
    expect(new DenseLayer(2, 2, 'linear', null as unknown as undefined).weights.shape).toEqual([2, 2]);
    expect(() => new DenseLayer(2, 2, 'linear', { sed: 1 } as never)).toThrow("DenseLayer: unknown option 'sed'; did you mean 'seed'?");
    expect(() => new DenseLayer(2, 2, 'linear', { seed: 1 } as never, { seed: 2 })).toThrow(/options were given twice/);
    expect(() => new DenseLayer(2, 2, 'linear', new Ones(), { weightInitializer: new Ones() })).toThrow(/weight initializer was given twice/);
    expect(() => new DenseLayer(2, 2, 'linear', { seed: 'x' } as never)).toThrow(/^DenseLayer: options.seed must be a finite number.*, got "x" \(string\)$/);
    expect(() => new DenseLayer(2, 2, 'linear', { rng: {} } as never)).toThrow('DenseLayer: options.rng must be a random source from createRng(seed), got object {}');
    expect(() => new DenseLayer(2, 2, 'linear', 5 as never)).toThrow('DenseLayer: the 4th argument must be an initializer (e.g. new XavierUniform()) or an options object, got 5');
  });

  it('rejects an initializer that returns the wrong shape, or no initializer object', () => {
    const bad = { initialize: () => MLArray.zeros([2, 2]) };
    expect(() => new DenseLayer(3, 2, linear, bad)).toThrow(ShapeError);
    expect(() => new DenseLayer(3, 2, linear, bad)).toThrow(/returned \(2, 2\), expected an MLArray of shape \(3, 2\)/);
    expect(() => new DenseLayer(3, 2, linear, { weightInitializer: {} } as never)).toThrow(ValueError);
    expect(() => new DenseLayer(3, 2, linear, { weightInitializer: {} } as never)).toThrow('weightInitializer must have an initialize(shape, rng?) method, e.g. new XavierUniform(); got object {}');
    expect(() => new DenseLayer(3, 2, linear, { initialize: () => 'w' } as never)).toThrow('the initializer returned "w" (string), expected an MLArray of shape (3, 2)');
  });

  it('forward on a wrong input shape throws ShapeError with both shapes', () => {
    const l = new DenseLayer(3, 2);
    expect(() => l.forward(MLArray.zeros([4, 2]))).toThrow(ShapeError);
    expect(() => l.forward(MLArray.zeros([4, 2]))).toThrow('expected input of shape (batch, 3), received (4, 2)');
    expect(() => l.forward(MLArray.zeros([3]))).toThrow('received (3,); a single sample must be a row: reshape it to (1, 3)');
  });

  it('update(optimizer) steps exactly this layer\'s parameters', () => {
    const l = new DenseLayer(2, 2);
    const seen: MLArray[][] = [];
    const opt: Optimizer = { step: (p) => void seen.push([...p]), zeroGrad: () => undefined };
    l.update(opt);
    expect(seen).toEqual([[l.weights, l.biases]]);
  });

  it('gradients of a small two-layer network pass gradcheck', () => {
    const rng = createRng(11);
    const l1 = new DenseLayer(3, 4, 'tanh', new XavierUniform(), { rng });
    const l2 = new DenseLayer(4, 2, 'softmax', new XavierUniform(), { rng });
    l1.biases.data.set([0.1, -0.2, 0.05, 0.3]);
    l2.biases.data.set([-0.1, 0.2]);
    const x = MLArray.randn([5, 3], rng);
    const target = MLArray.from([[1, 0], [0, 1], [1, 0], [1, 0], [0, 1]]);
    // Gradcheck w.r.t. the input and every parameter, through both layers' forward.
    const f = (xi: MLArray, w1: MLArray, b1: MLArray, w2: MLArray, b2: MLArray): MLArray => {
      const h = l1.activation(xi.matmul(w1).add(b1));
      return l2.activation(h.matmul(w2).add(b2)).sub(target).pow(2).mean();
    };
    const r = gradcheck(f, [x, l1.weights, l1.biases, l2.weights, l2.biases], { upstream: MLArray.scalar(1) });
    expect(r.failure).toBeUndefined();
    expect(r.ok).toBe(true);
    // and backward through DenseLayer.forward itself agrees with gradcheck's analytic gradient
    const out = l2.forward(l1.forward(x)).sub(target).pow(2).mean();
    out.backward();
    expect(l1.weights.grad!.data).toEqual(r.analytic[1]!.data);
    expect(l2.biases.grad!.data).toEqual(r.analytic[4]!.data);
  });
});
