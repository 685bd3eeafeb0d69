/** Construction, conversion, printing and the shape-level behaviour of MLArray methods. */
import { describe, expect, it } from 'vitest';
import { MLArray, createRng } from '../src/index.js';

/** Reference matmul with plain loops. */
function naiveMatmul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, p) => s + v * b[p]![j]!, 0)));
}

describe('MLArray', () => {
  it('constructs from numbers, nested arrays, typed arrays and factories', () => {
    const s = MLArray.from(3);
    expect(s.shape).toEqual([]);
    expect(s.ndim).toBe(0);
    expect(s.item()).toBe(3);
    const m = MLArray.from([[1, 2, 3], [4, 5, 6]]);
    expect(m.shape).toEqual([2, 3]);
    expect(m.size).toBe(6);
    expect(m.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(MLArray.from(new Float32Array([1, 2, 3, 4]), { shape: [2, 2] }).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(MLArray.zeros([2, 2]).toArray()).toEqual([[0, 0], [0, 0]]);
    expect(MLArray.ones([3]).toArray()).toEqual([1, 1, 1]);
    expect(MLArray.full([1, 2], 7).toArray()).toEqual([[7, 7]]);
    expect(MLArray.scalar(2.5).toArray()).toBe(2.5);
    expect(MLArray.from([]).shape).toEqual([0]);
    expect(MLArray.from([[], []]).shape).toEqual([2, 0]);
    expect(MLArray.ones([2], { requiresGrad: true }).requiresGrad).toBe(true);
  });

  it('rand/randn are reproducible from a seed', () => {
    const a = MLArray.randn([100], createRng(7));
    const b = MLArray.randn([100], createRng(7));
    const c = MLArray.randn([100], createRng(8));
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(a.data)).not.toEqual(Array.from(c.data));
    const u = MLArray.rand([1000], createRng(1));
    expect(u.data.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('matmul follows numpy: 2-d, 1-d on either side, batched left operand', () => {
    const a = [[1, 2, 3], [4, 5, 6]];
    const b = [[1, -1], [2, 0.5], [-3, 2]];
    expect(MLArray.from(a).matmul(MLArray.from(b)).toArray()).toEqual(naiveMatmul(a, b));
    const v = MLArray.from([1, 2, 3]);
    expect(v.matmul(MLArray.from(b)).toArray()).toEqual(naiveMatmul([[1, 2, 3]], b)[0]);
    expect(MLArray.from(a).matmul(v).toArray()).toEqual(naiveMatmul(a, [[1], [2], [3]]).map((r) => r[0]));
    expect(v.matmul(v).toArray()).toBe(14);
    const batched = MLArray.from([a, a.map((r) => r.map((x) => -x))]);
    const out = batched.matmul(MLArray.from(b));
    expect(out.shape).toEqual([2, 2, 2]);
    expect(out.toArray()).toEqual([naiveMatmul(a, b), naiveMatmul(a.map((r) => r.map((x) => -x)), b)]);
  });

  it('matmul broadcasts batch axes on both sides like numpy', () => {
    const rng = createRng(11);
    const A = MLArray.randn([2, 1, 3, 4], rng);
    const B = MLArray.randn([5, 4, 2], rng);
    const C = A.matmul(B);
    expect(C.shape).toEqual([2, 5, 3, 2]);
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 5; j++) {
        const a = A.take([i], 0).reshape([3, 4]);
        const b = B.take([j], 0).reshape([4, 2]);
        const want = a.matmul(b).data;
        const got = C.take([i], 0).take([j], 1).reshape([3, 2]).data;
        got.forEach((v, t) => expect(v).toBeCloseTo(want[t]!, 12));
      }
    }
    expect(MLArray.randn([4], rng).matmul(B).shape).toEqual([5, 2]); // 1-d left: (k) @ (5, k, n)
    expect(B.matmul(MLArray.randn([2], rng)).shape).toEqual([5, 4]); // 1-d right
  });

  it('matmul agrees with naive loops on random sizes (kernel edge cases)', () => {
    const rng = createRng(3);
    for (const [m, k, n] of [[1, 1, 1], [5, 7, 3], [17, 9, 33], [64, 65, 63], [0, 3, 2], [3, 0, 2]] as const) {
      const A = MLArray.randn([m, k], rng);
      const B = MLArray.randn([k, n], rng);
      const got = A.matmul(B);
      expect(got.shape).toEqual([m, n]);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let ref = 0;
          for (let p = 0; p < k; p++) ref += A.data[i * k + p]! * B.data[p * n + j]!;
          expect(got.data[i * n + j]).toBeCloseTo(ref, 10);
        }
      }
    }
  });

  it('transpose, T, reshape with -1, take along axes', () => {
    const x = MLArray.from([[1, 2, 3], [4, 5, 6]]);
    expect(x.T.toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(x.reshape([3, -1]).toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(x.take([1, 0, 1]).toArray()).toEqual([[4, 5, 6], [1, 2, 3], [4, 5, 6]]);
    expect(x.take([2, -3], 1).toArray()).toEqual([[3, 1], [6, 4]]);
    const y = MLArray.from([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    expect(y.transpose([2, 0, 1]).toArray()).toEqual([[[1, 3], [5, 7]], [[2, 4], [6, 8]]]);
  });

  it('reductions with axis, keepdims, negative axes; variance/std with ddof; argmax', () => {
    const x = MLArray.from([[1, 5, 3], [4, 2, 6]]);
    expect(x.sum().item()).toBe(21);
    expect(x.sum(0).toArray()).toEqual([5, 7, 9]);
    expect(x.sum(-1, true).toArray()).toEqual([[9], [12]]);
    expect(x.mean(1).toArray()).toEqual([3, 4]);
    expect(x.max(0).toArray()).toEqual([4, 5, 6]);
    expect(x.min(1).toArray()).toEqual([1, 2]);
    expect(x.variance(1).toArray()).toEqual([8 / 3, 8 / 3]);
    expect(x.variance(1, false, 1).toArray()).toEqual([4, 4]);
    expect(x.std(1, true, 1).toArray()).toEqual([[2], [2]]);
    expect(x.argmax(1).toArray()).toEqual([1, 2]);
    expect(x.argmax(0).toArray()).toEqual([1, 0, 1]);
    expect(x.argmax().item()).toBe(5);
    expect(x.sum([0, 1]).item()).toBe(21);
  });

  it('max/min split the gradient between ties', () => {
    const x = MLArray.from([3, 1, 3], { requiresGrad: true });
    x.max().backward();
    expect(Array.from(x.grad!.data)).toEqual([0.5, 0, 0.5]);
  });

  it('clip passes gradients only inside [min, max]', () => {
    const x = MLArray.from([-2, 0.5, 3], { requiresGrad: true });
    const y = x.clip(-1, 1);
    expect(y.toArray()).toEqual([-1, 0.5, 1]);
    y.sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([0, 1, 0]);
  });

  it('prints like numpy with the shape', () => {
    expect(MLArray.from([[1, 2], [3, 4.5]]).toString()).toBe('MLArray([[ 1.,  2.],\n         [ 3., 4.5]], shape=(2, 2))');
    expect(MLArray.scalar(0.25, { requiresGrad: true }).toString()).toBe('MLArray(0.25, shape=(), requiresGrad=true)');
    expect(MLArray.from([1, -2]).toString()).toBe('MLArray([ 1., -2.], shape=(2,))');
    const big = MLArray.zeros([2000]).toString();
    expect(big).toContain('...');
    expect(big.length).toBeLessThan(100);
  });

  it('detach shares data, clone copies it', () => {
    const x = MLArray.from([1, 2], { requiresGrad: true });
    const d = x.detach();
    const c = x.clone();
    x.data[0] = 9;
    expect(d.data[0]).toBe(9);
    expect(c.data[0]).toBe(1);
    expect(d.requiresGrad).toBe(false);
  });
});
