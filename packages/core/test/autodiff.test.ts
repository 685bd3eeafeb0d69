/** Graph mechanics: accumulation through reused nodes, deep graphs, graph release, noGrad, detach. */
import { describe, expect, it } from 'vitest';
import { AutodiffError, MLArray, ValueError, isGradEnabled, noGrad } from '../src/index.js';

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

  it('backward twice through a retained graph matches PyTorch: leaves and retained arrays accumulate', () => {
    // torch: a, b, c = 2, 3, 5; ab = a*b (retain_grad); z = ab*c (retain_grad);
    // z.backward(retain_graph=True); z.backward() -> a.grad 30, ab.grad 10, z.grad 2, c.grad 12
    const [a, b, c] = [2, 3, 5].map((v) => MLArray.scalar(v, { requiresGrad: true })) as [MLArray, MLArray, MLArray];
    const ab = a.mul(b).retainGrad();
    const z = ab.mul(c).retainGrad();
    z.backward(undefined, { retainGraph: true });
    expect([a.grad!.item(), b.grad!.item(), c.grad!.item(), ab.grad!.item(), z.grad!.item()]).toEqual([15, 10, 6, 5, 1]);
    z.backward();
    expect([a.grad!.item(), b.grad!.item(), c.grad!.item(), ab.grad!.item(), z.grad!.item()]).toEqual([30, 20, 12, 10, 2]);
    const plain = MLArray.scalar(3, { requiresGrad: true }); // not retained: intermediates keep no grad
    const h = plain.mul(2);
    const y = h.mul(h).sum();
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expect(plain.grad!.item()).toBe(2 * 24); // d(4x^2)/dx = 8x = 24, twice
    expect(h.grad).toBeNull();
  });
});

describe('in-place modification after use (version counter)', () => {
  const setup = () => {
    const x = MLArray.from([1, 2, 3]);
    const w = MLArray.from([0.5, -1, 2], { requiresGrad: true });
    return { x, w, y: x.mul(w).sum() };
  };

  it('assign() between forward and backward: backward refuses, names the op, shape and versions, and leaves .grad alone', () => {
    const { w, y } = setup();
    expect(w.version).toBe(0);
    w.assign([100, 0, 0]);
    expect(w.version).toBe(1);
    expect(() => y.backward()).toThrow(AutodiffError);
    expect(() => y.backward()).toThrow(
      "backward: an array used by 'mul' (input 1, shape (3,)) was modified in place after the forward pass (version 0 when used, 1 now)",
    );
    expect(() => y.backward()).toThrow(/recompute the forward pass/);
    expect(w.grad).toBeNull();
  });

  it('catches a changed input that needs no gradient but whose numbers another gradient uses', () => {
    const { x, w, y } = setup();
    x.fill(7); // d(x*w)/dw = x: the old x is needed
    expect(() => y.backward()).toThrow(/an array used by 'mul' \(input 0, shape \(3,\)\)/);
    expect(w.grad).toBeNull();
  });

  it('catches a changed result that the rule reads (exp reads its output)', () => {
    const x = MLArray.from([0, 1], { requiresGrad: true });
    const h = x.exp();
    const loss = h.sum();
    h.fill(0);
    expect(() => loss.backward()).toThrow(/an array used by 'exp' \(its result, shape \(2,\)\) was modified in place/);
  });

  it('allows changes to arrays whose numbers the gradient does not need (as PyTorch: add reads neither operand)', () => {
    const x = MLArray.from([1, 2], { requiresGrad: true });
    const b = MLArray.from([3, 4], { requiresGrad: true });
    const y = x.add(b).sum();
    b.fill(0);
    y.backward();
    expect(Array.from(x.grad!.data)).toEqual([1, 1]);
    expect(Array.from(b.grad!.data)).toEqual([1, 1]);
  });

  it('writing into .data bypasses the check (like PyTorch .data); markModified() opts in', () => {
    const a = setup();
    a.w.data[0] = 100; // not seen: the gradient uses x, which did not change
    a.y.backward();
    expect(Array.from(a.w.grad!.data)).toEqual([1, 2, 3]);
    const b = setup();
    b.x.data[0] = 100; // the gradient of w reads x: silently wrong without markModified()...
    b.x.markModified(); // ...so say so
    expect(() => b.y.backward()).toThrow(/modified in place after the forward pass \(version 0 when used, 1 now\)/);
  });

  it('a retained graph is refused after an optimizer-style update; a fresh forward pass is fine', () => {
    const { x, w, y } = setup();
    y.backward(undefined, { retainGraph: true });
    noGrad(() => w.assign(w.sub(w.grad!.mul(0.1))));
    expect(() => y.backward()).toThrow(/an array used by 'mul'/);
    w.zeroGrad();
    x.mul(w).sum().backward();
    expect(Array.from(w.grad!.data)).toEqual([1, 2, 3]);
  });

  it('assign() and fill() check their input and copy exactly', () => {
    const a = MLArray.zeros([2, 2]);
    expect(a.assign(MLArray.from([[1, 2], [3, 4]])).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(a.assign(new Float32Array([5, 6, 7, 8])).toArray()).toEqual([[5, 6], [7, 8]]);
    expect(a.fill(-0.5).toArray()).toEqual([[-0.5, -0.5], [-0.5, -0.5]]);
    expect(a.version).toBe(3);
    expect(() => a.assign(MLArray.zeros([4]))).toThrow('assign: cannot copy an array of shape (4,) into one of shape (2, 2)');
    expect(() => a.assign([1, 2, 3])).toThrow('assign: 3 values cannot fill shape (2, 2) (4 elements)');
    expect(() => a.assign([1, 2, 'x', 4] as never)).toThrow('assign: expected numbers, got "x" (string) at index 2');
    expect(() => a.assign(5 as never)).toThrow(ValueError);
    expect(() => a.fill('1' as never)).toThrow('fill: value must be a number, got "1" (string)');
    expect(a.version).toBe(3); // refused writes change nothing
    expect(a.toArray()).toEqual([[-0.5, -0.5], [-0.5, -0.5]]);
  });
});

describe('noGrad and async code', () => {
  it('refuses an async function or a returned Promise with a ValueError, and recording stays on', async () => {
    expect(() => noGrad(async () => 1)).toThrow(ValueError);
    expect(() => noGrad(async () => 1)).toThrow(/noGrad covers only synchronous code/);
    expect(() => MLArray.noGrad(() => Promise.resolve(2))).toThrow(/noGrad covers only synchronous code/);
    // a rejected promise is not left unhandled (vitest would report it)
    expect(() => noGrad(() => Promise.reject(new Error('late failure')))).toThrow(ValueError);
    expect(isGradEnabled()).toBe(true);
    await new Promise((r) => setTimeout(r, 0));
  });
});
