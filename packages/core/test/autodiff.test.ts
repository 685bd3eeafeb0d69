/** Graph mechanics: accumulation through reused nodes, deep graphs, graph release, noGrad, detach. */
import { describe, expect, it } from 'vitest';
import { AutodiffError, MLArray, isGradEnabled, noGrad } from '../src/index.js';

describe('MLArray autodiff', () => {
  it('accumulates gradients through a node reused several times', () => {
    const x = MLArray.from([1, 2, 3], { requiresGrad: true });
    const h = x.mul(2); // used three times below
    const y = h.mul(h).add(h).sum(); // y = sum(4x^2 + 2x)
    y.backward();
    expect(Array.from(x.grad!.data)).toEqual([10, 18, 26]); // 8x + 2
  });

  it('accumulates into .grad across backward calls until zeroGrad()', () => {
    const w = MLArray.from([[1, -2]], { requiresGrad: true });
    w.mul(3).sum().backward();
    w.mul(3).sum().backward();
    expect(Array.from(w.grad!.data)).toEqual([6, 6]);
    w.zeroGrad();
    expect(w.grad).toBeNull();
    w.mul(w).sum().backward();
    expect(Array.from(w.grad!.data)).toEqual([2, -4]);
    w.restart();
    expect(w.grad).toBeNull();
  });

  it('a chain of 10,000 array ops backpropagates iteratively', () => {
    const x = MLArray.from([0.5, -0.25], { requiresGrad: true });
    let y = x;
    for (let i = 0; i < 10_000; i++) y = i % 2 === 0 ? y.mul(1.0001) : y.add(0.001);
    y.sum().backward();
    const expected = 1.0001 ** 5000;
    expect(x.grad!.data[0]).toBeCloseTo(expected, 9);
    expect(x.grad!.data[1]).toBeCloseTo(expected, 9);
  });

  it('releases the graph after backward(): intermediates drop their nodes', () => {
    const x = MLArray.from([1, 2], { requiresGrad: true });
    const h = x.exp();
    const loss = h.sum();
    expect(h.node).not.toBeNull();
    loss.backward();
    expect(h.node).toBeNull();
    expect(loss.node).toBeNull();
    expect(() => loss.backward()).toThrow(AutodiffError);
    expect(() => h.mul(2).sum().backward()).toThrow(/already released/);
  });

  it('retainGraph keeps the graph for a second backward', () => {
    const x = MLArray.from([3], { requiresGrad: true });
    const y = x.mul(x);
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expect(x.grad!.item()).toBe(12);
  });

  it('retainGrad() keeps the gradient of an intermediate array', () => {
    const x = MLArray.from([1, 2], { requiresGrad: true });
    const h = x.mul(3).retainGrad();
    h.pow(2).sum().backward();
    expect(Array.from(h.grad!.data)).toEqual([6, 12]);
    expect(Array.from(x.grad!.data)).toEqual([18, 36]);
  });

  it('noGrad records nothing and restores the previous state, even on throw', () => {
    const x = MLArray.from([1], { requiresGrad: true });
    const y = noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(y.node).toBeNull();
    expect(isGradEnabled()).toBe(true);
    expect(() => MLArray.noGrad(() => { throw new Error('boom'); })).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
    noGrad(() => noGrad(() => undefined));
    expect(isGradEnabled()).toBe(true);
  });

  it('detach() cuts the graph; arrays without requiresGrad get no gradient', () => {
    const x = MLArray.from([2], { requiresGrad: true });
    const c = MLArray.from([5]);
    const y = x.mul(x.detach()).mul(c).sum();
    y.backward();
    expect(x.grad!.item()).toBe(10); // only the non-detached factor contributes: c * x
    expect(c.grad).toBeNull();
  });

  it('backward needs an upstream gradient of the right shape for non-scalar outputs', () => {
    const x = MLArray.from([1, 2], { requiresGrad: true });
    expect(() => x.mul(2).backward()).toThrow(/upstream gradient is required for an array of shape \(2,\)/);
    expect(() => x.mul(2).backward(MLArray.from([1, 2, 3]))).toThrow(/does not match the array's shape \(2,\)/);
    expect(() => MLArray.from([1]).backward()).toThrow(/does not depend on anything with requiresGrad/);
    x.mul(2).backward(MLArray.from([1, 10]));
    expect(Array.from(x.grad!.data)).toEqual([2, 20]);
  });

  it('does not grow memory across training-like steps (graph is not reachable from parameters)', () => {
    const w = MLArray.from([[0.1, 0.2], [0.3, 0.4]], { requiresGrad: true });
    const x = MLArray.from([[1, 2], [3, 4]]);
    for (let step = 0; step < 1000; step++) {
      const loss = x.matmul(w).tanh().pow(2).mean();
      loss.backward();
      noGrad(() => {
        for (let i = 0; i < w.size; i++) w.data[i]! -= 0.01 * w.grad!.data[i]!;
      });
      w.zeroGrad();
      expect(w.node).toBeNull(); // a leaf never references the graph built on top of it
    }
    expect(w.data.every(Number.isFinite)).toBe(true);
  });
});
