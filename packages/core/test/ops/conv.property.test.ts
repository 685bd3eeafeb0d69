/**
 * conv2d on random geometries (fast-check, seeded): equal to the naive definition, gradients
 * equal to finite differences, and consistent with other ops (a 1x1 convolution is a matmul over
 * channels; padding is convolving a zero-padded input). Its products run on the backend's gemm.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Backend, MLArray, gradcheck, jsBackend, setBackend } from '../../src/index.js';
import { naiveGemm } from '@smolml/test-utils';
import { expectClose } from '@smolml/test-utils';
import { distinctArray, naiveConv2d } from '../image-reference.js';

const int = (min: number, max: number) => fc.integer({ min, max });

/** A convolution whose kernel fits the padded input: h = max(1, kh - 2 ph) + extra. */
const geometry = fc
  .record({ n: int(1, 2), c: int(1, 3), o: int(1, 3), kh: int(1, 3), kw: int(1, 3), sh: int(1, 3), sw: int(1, 3), ph: int(0, 2), pw: int(0, 2), eh: int(0, 4), ew: int(0, 4), seed: fc.integer() })
  .map((g) => ({ ...g, h: Math.max(1, g.kh - 2 * g.ph) + g.eh, w: Math.max(1, g.kw - 2 * g.pw) + g.ew }));
type Geometry = typeof geometry extends fc.Arbitrary<infer G> ? G : never;

const inputs = (g: Geometry) => [distinctArray([g.n, g.c, g.h, g.w], g.seed), distinctArray([g.o, g.c, g.kh, g.kw], g.seed + 1)] as const;
const opts = (g: Geometry) => ({ stride: [g.sh, g.sw] as const, padding: [g.ph, g.pw] as const });
const runs = (numRuns: number, seed: number) => ({ numRuns, seed });

describe('conv2d (fast-check)', () => {
  it('equals the naive definition, for any stride, padding and kernel shape', () => {
    fc.assert(
      fc.property(geometry, (g) => {
        const [x, w] = inputs(g);
        const y = x.conv2d(w, opts(g));
        const ref = naiveConv2d(x, w, [g.sh, g.sw], [g.ph, g.pw]);
        expect([...y.shape]).toEqual([...ref.shape]);
        expectClose(y.data, ref.data, 1e-12, 1e-12, 'conv2d');
      }),
      runs(60, 1101),
    );
  });

  it('gradients of x and weight match finite differences', () => {
    fc.assert(
      fc.property(geometry, (g) => {
        const r = gradcheck((x, w) => x!.conv2d(w!, opts(g)), [...inputs(g)]);
        if (!r.ok) expect.fail(`gradcheck failed: ${JSON.stringify(r.failure)} for ${JSON.stringify(g)}`);
      }),
      runs(25, 1102),
    );
  });

  it('a 1x1 kernel with stride 1 and no padding is a matmul over channels (values and gradients)', () => {
    fc.assert(
      fc.property(int(1, 3), int(1, 4), int(1, 4), int(1, 5), int(1, 5), fc.integer(), (n, c, o, h, w, seed) => {
        const x = distinctArray([n, c, h, w], seed);
        const wt = distinctArray([o, c, 1, 1], seed + 1);
        const g = distinctArray([n, o, h, w], seed + 2);
        const a = [x.clone(), wt.clone()].map((t) => new MLArray(t.data, t.shape, true));
        const b = [x.clone(), wt.clone()].map((t) => new MLArray(t.data, t.shape, true));
        const y1 = a[0]!.conv2d(a[1]!);
        const y2 = b[1]!.reshape([o, c]).matmul(b[0]!.reshape([n, c, h * w])).reshape([n, o, h, w]);
        expectClose(y1.data, y2.data, 1e-12, 1e-12, 'values');
        y1.backward(g);
        y2.backward(g);
        expectClose(a[0]!.grad!.data, b[0]!.grad!.data, 1e-12, 1e-12, 'grad x');
        expectClose(a[1]!.grad!.data, b[1]!.grad!.data, 1e-12, 1e-12, 'grad w');
      }),
      runs(30, 1103),
    );
  });

  it('padding is the same as convolving an explicitly zero-padded input (values and gradients)', () => {
    fc.assert(
      fc.property(geometry, (g) => {
        const [x0, w0] = inputs(g);
        const H = g.h + 2 * g.ph;
        const W = g.w + 2 * g.pw;
        const padded = new Float64Array(g.n * g.c * H * W);
        for (let p = 0; p < g.n * g.c; p++) {
          for (let r = 0; r < g.h; r++) for (let q = 0; q < g.w; q++) padded[(p * H + r + g.ph) * W + q + g.pw] = x0.data[(p * g.h + r) * g.w + q]!;
        }
        const [x, w] = [new MLArray(x0.data, x0.shape, true), new MLArray(w0.data, w0.shape, true)];
        const [xp, wp] = [new MLArray(padded, [g.n, g.c, H, W], true), new MLArray(w0.data.slice(), w0.shape, true)];
        const y = x.conv2d(w, opts(g));
        const yp = xp.conv2d(wp, { stride: [g.sh, g.sw] });
        expectClose(y.data, yp.data, 1e-12, 1e-12, 'values');
        const up = distinctArray(y.shape, g.seed + 5);
        y.backward(up);
        yp.backward(up);
        expectClose(w.grad!.data, wp.grad!.data, 1e-12, 1e-12, 'grad w');
        for (let p = 0; p < g.n * g.c; p++) {
          for (let r = 0; r < g.h; r++) {
            for (let q = 0; q < g.w; q++) {
              expect(x.grad!.data[(p * g.h + r) * g.w + q]).toBeCloseTo(xp.grad!.data[(p * H + r + g.ph) * W + q + g.pw]!, 12);
            }
          }
        }
      }),
      runs(30, 1104),
    );
  });
});

describe('conv2d with bias and the fused relu (fast-check)', () => {
  const fusedCase = (g: Geometry, relu: boolean) => {
    const [x0, w0] = inputs(g);
    const b0 = distinctArray([g.o], g.seed + 2);
    const leaves = () => [x0, w0, b0].map((t) => new MLArray(t.data.slice(), t.shape, true)) as [MLArray, MLArray, MLArray];
    const [x, w, b] = leaves();
    const fused = x.conv2d(w, { ...opts(g), bias: b, relu });
    const [xs, ws, bs] = leaves();
    const added = xs.conv2d(ws, opts(g)).add(bs.reshape([1, g.o, 1, 1]));
    const separate = relu ? added.relu() : added;
    const up = distinctArray(fused.shape, g.seed + 3);
    fused.backward(up);
    separate.backward(up);
    return { fused, separate, grads: [x.grad!, w.grad!, b.grad!], separateGrads: [xs.grad!, ws.grad!, bs.grad!] };
  };
  const same = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

  it('gives the same bits as conv2d, then add(bias), then relu: values and the gradients of x, weight and bias', () => {
    fc.assert(
      fc.property(geometry, fc.boolean(), (g, relu) => {
        const r = fusedCase(g, relu);
        expect([...r.fused.shape]).toEqual([...r.separate.shape]);
        expect(same(r.fused.data, r.separate.data)).toBe(true);
        r.grads.forEach((grad, i) => expect(same(grad.data, r.separateGrads[i]!.data), `gradient ${i}`).toBe(true));
      }),
      runs(60, 1105),
    );
  });

  it('relu is applied (no negative outputs) and the bias gradient is the sum of the upstream gradient where y > 0', () => {
    fc.assert(
      fc.property(geometry, (g) => {
        const r = fusedCase(g, true);
        expect(r.fused.data.every((v) => v >= 0)).toBe(true);
        const up = distinctArray(r.fused.shape, g.seed + 3).data;
        const p = r.fused.size / (g.n * g.o);
        const want = new Float64Array(g.o);
        for (let i = 0; i < r.fused.size; i++) if (r.fused.data[i]! > 0) want[Math.floor(i / p) % g.o]! += up[i]!;
        expectClose(r.grads[2]!.data, want, 1e-12, 1e-12, 'bias gradient');
      }),
      runs(30, 1106),
    );
  });

  it('gradients of x, weight and bias match finite differences (no relu: it has a kink)', () => {
    fc.assert(
      fc.property(geometry, (g) => {
        const b = distinctArray([g.o], g.seed + 2);
        const r = gradcheck((x, w, bias) => x!.conv2d(w!, { ...opts(g), bias: bias! }), [...inputs(g), b]);
        if (!r.ok) expect.fail(`gradcheck failed: ${JSON.stringify(r.failure)} for ${JSON.stringify(g)}`);
      }),
      runs(15, 1107),
    );
  });
});

describe('conv2d runs its products on the backend', () => {
  /** A backend that counts gemm calls and computes them with the naive reference loop. */
  function countingNaive(): Backend & { calls: number } {
    const b = { name: 'naive', calls: 0, gemm: (...args: Parameters<Backend['gemm']>) => { b.calls++; naiveGemm(...args); } };
    return b;
  }

  it('one product per image forward; per image in backward, one per gradient needed', () => {
    const x = distinctArray([3, 2, 6, 5], 1);
    const w = distinctArray([4, 2, 3, 3], 2);
    const ref = x.conv2d(w, { padding: 1 });
    const backend = countingNaive();
    setBackend(backend);
    try {
      const xs = new MLArray(x.data, x.shape, true);
      const ws = new MLArray(w.data, w.shape, true);
      const y = xs.conv2d(ws, { padding: 1 });
      expect(backend.calls).toBe(3);
      expectClose(y.data, ref.data, 1e-12, 1e-12, 'naive backend');
      y.sum().backward();
      expect(backend.calls).toBe(3 + 2 * 3);
      // a first layer: the input needs no gradient, so only the weight products run
      const wOnly = new MLArray(w.data, w.shape, true);
      x.conv2d(wOnly, { padding: 1 }).sum().backward();
      expect(backend.calls).toBe(9 + 3 + 3);
    } finally {
      setBackend(jsBackend);
    }
  });
});
