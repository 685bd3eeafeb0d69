/**
 * maxPool2d and avgPool2d on random geometries (fast-check, seeded): equal to naive loops
 * (max pooling with ties, NaN and −∞ routed as PyTorch does), gradients equal to finite
 * differences, and average pooling equal to a reshape + mean.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MLArray, gradcheck } from '../../src/index.js';
import { expectClose } from '@smolml/test-utils';
import { distinctArray, naiveAvgPool2d, naiveMaxPool2d, tiedArray } from '../image-reference.js';

const int = (min: number, max: number) => fc.integer({ min, max });
const runs = (numRuns: number, seed: number) => ({ numRuns, seed });

/** A pooling window with padding <= kernel / 2 that fits the padded input. */
const geometry = fc
  .record({ n: int(1, 2), c: int(1, 3), kh: int(1, 4), kw: int(1, 4), sh: int(1, 3), sw: int(1, 3), eh: int(0, 4), ew: int(0, 4), fh: fc.double({ min: 0, max: 1, noNaN: true }), fw: fc.double({ min: 0, max: 1, noNaN: true }), seed: fc.integer() })
  .map((g) => {
    const ph = Math.floor((g.fh * g.kh) / 2);
    const pw = Math.floor((g.fw * g.kw) / 2);
    return { ...g, ph, pw, h: Math.max(1, g.kh - 2 * ph) + g.eh, w: Math.max(1, g.kw - 2 * pw) + g.ew };
  });
type Geometry = typeof geometry extends fc.Arbitrary<infer G> ? G : never;
const maxOpts = (g: Geometry) => ({ stride: [g.sh, g.sw] as const, padding: [g.ph, g.pw] as const });

function checkMaxPool(x0: MLArray, g: Geometry): void {
  const x = new MLArray(x0.data, x0.shape, true);
  const y = x.maxPool2d([g.kh, g.kw], maxOpts(g));
  const up = distinctArray(y.shape, g.seed + 3);
  const ref = naiveMaxPool2d(x0, [g.kh, g.kw], [g.sh, g.sw], [g.ph, g.pw], up);
  expect([...y.shape]).toEqual([...ref.out.shape]);
  expectClose(y.data, ref.out.data, 0, 0, 'values');
  y.backward(up);
  expectClose(x.grad!.data, ref.gx, 1e-15, 0, 'gradient');
}

describe('maxPool2d (fast-check)', () => {
  it('equals the naive loop on distinct values', () => {
    fc.assert(fc.property(geometry, (g) => checkMaxPool(distinctArray([g.n, g.c, g.h, g.w], g.seed), g)), runs(60, 1201));
  });

  it('routes each gradient to the first maximum of its window on ties', () => {
    fc.assert(fc.property(geometry, (g) => checkMaxPool(tiedArray([g.n, g.c, g.h, g.w], g.seed), g)), runs(60, 1202));
  });

  it('propagates NaN and handles −∞ inputs like PyTorch (the NaN, or the first real element, gets the gradient)', () => {
    fc.assert(
      fc.property(geometry, int(0, 10_000), fc.constantFrom(NaN, -Infinity), (g, at, special) => {
        const x = tiedArray([g.n, g.c, g.h, g.w], g.seed);
        x.data[at % x.size] = special;
        if (special === -Infinity) x.data.fill(-Infinity, 0, Math.min(x.size, 3));
        checkMaxPool(x, g);
      }),
      runs(40, 1203),
    );
  });

  it('the unrolled 2 x 2, stride 2 kernels equal the naive loop (odd sizes, ties, NaN, −∞)', () => {
    const pool2 = fc
      .record({ n: int(1, 2), c: int(1, 3), h: int(2, 9), w: int(2, 9), seed: fc.integer(), kind: fc.constantFrom('distinct', 'tied', 'nan', 'inf'), at: int(0, 10_000) })
      .map((r) => ({ ...r, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0 }));
    fc.assert(
      fc.property(pool2, (g) => {
        const x = g.kind === 'distinct' ? distinctArray([g.n, g.c, g.h, g.w], g.seed) : tiedArray([g.n, g.c, g.h, g.w], g.seed);
        if (g.kind === 'nan') x.data[g.at % x.size] = NaN;
        if (g.kind === 'inf') x.data.fill(-Infinity, 0, Math.min(x.size, 3 + (g.at % 4)));
        checkMaxPool(x, g as unknown as Geometry);
      }),
      runs(80, 1207),
    );
  });

  it('gradient matches finite differences', () => {
    fc.assert(
      fc.property(geometry, (g) => {
        const r = gradcheck((x) => x!.maxPool2d([g.kh, g.kw], maxOpts(g)), [distinctArray([g.n, g.c, g.h, g.w], g.seed)]);
        if (!r.ok) expect.fail(`gradcheck failed: ${JSON.stringify(r.failure)} for ${JSON.stringify(g)}`);
      }),
      runs(25, 1204),
    );
  });
});

describe('avgPool2d (fast-check)', () => {
  it('equals the naive loop, and its gradient matches finite differences', () => {
    fc.assert(
      fc.property(geometry, (g) => {
        const x = distinctArray([g.n, g.c, Math.max(g.h, g.kh), Math.max(g.w, g.kw)], g.seed);
        const y = x.avgPool2d([g.kh, g.kw], { stride: [g.sh, g.sw] });
        expectClose(y.data, naiveAvgPool2d(x, [g.kh, g.kw], [g.sh, g.sw]).data, 1e-14, 1e-15, 'values');
        const r = gradcheck((t) => t!.avgPool2d([g.kh, g.kw], { stride: [g.sh, g.sw] }), [x]);
        if (!r.ok) expect.fail(`gradcheck failed: ${JSON.stringify(r.failure)} for ${JSON.stringify(g)}`);
      }),
      runs(30, 1205),
    );
  });

  it('with stride = kernel it is a reshape + mean over each window (values and gradients)', () => {
    fc.assert(
      fc.property(int(1, 2), int(1, 3), int(1, 3), int(1, 3), int(1, 3), int(1, 3), fc.integer(), (n, c, kh, kw, a, b, seed) => {
        const x0 = distinctArray([n, c, a * kh, b * kw], seed);
        const x1 = new MLArray(x0.data, x0.shape, true);
        const x2 = new MLArray(x0.data, x0.shape, true);
        const y1 = x1.avgPool2d([kh, kw]);
        const y2 = x2.reshape([n, c, a, kh, b, kw]).mean([3, 5]);
        expectClose(y1.data, y2.data, 1e-14, 1e-15, 'values');
        const up = distinctArray(y1.shape, seed + 1);
        y1.backward(up);
        y2.backward(up);
        expectClose(x1.grad!.data, x2.grad!.data, 1e-14, 1e-15, 'gradients');
      }),
      runs(30, 1206),
    );
  });
});
