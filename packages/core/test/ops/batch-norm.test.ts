/**
 * MLArray.batchNorm, the fused batch normalisation primitive: the same numbers and gradients as
 * the composition of mean, variance, sub, div, mul and add it replaces (which every other
 * primitive's tests cover), finite-difference gradient checks on random shapes (fast-check),
 * PyTorch's running-statistics update, and every bad argument refused before anything changes.
 * PyTorch float64 parity goes through the BatchNorm layer (nn/test/layers/fixtures.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MLArray, ShapeError, ValueError, createRng, gradcheck, type Shape } from '../../src/index.js';
import { expectError } from '../helpers.js';

function randomArray(shape: Shape, seed: number, offset = 0, scale = 1): MLArray {
  const rng = createRng(seed);
  const n = shape.reduce((p, d) => p * d, 1);
  return new MLArray(Float64Array.from({ length: n }, () => offset + scale * rng.normal()), [...shape]);
}

/** The statistics shape `(1, C, 1, ...)` of an `(N, C, ...)` input. */
const statShape = (s: Shape): number[] => s.map((d, i) => (i === 1 ? d : 1));
const axesBut1 = (s: Shape): number[] => s.map((_, i) => i).filter((i) => i !== 1);

/** batch normalisation composed of primitives, as the layer computed it before the fused op. */
function composed(x: MLArray, gamma: MLArray, beta: MLArray, training: boolean, rm: MLArray, rv: MLArray, eps: number): MLArray {
  const ss = statShape(x.shape);
  const mean = training ? x.mean(axesBut1(x.shape), true) : rm.reshape(ss);
  const variance = training ? x.variance(axesBut1(x.shape), true) : rv.reshape(ss);
  return x.sub(mean).div(variance.add(eps).sqrt()).mul(gamma.reshape(ss)).add(beta.reshape(ss));
}

function expectCloseArrays(a: Float64Array, b: Float64Array, rtol: number, label: string): void {
  expect(a.length, label).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (Math.abs(a[i]! - b[i]!) > rtol * (1 + Math.abs(b[i]!))) expect.fail(`${label}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

describe('batchNorm equals its composition from primitives', () => {
  const shapes: Shape[] = [[5, 3], [4, 2, 3, 3], [2, 3, 5], [3, 1, 2, 2, 2]];
  for (const shape of shapes) {
    for (const training of [true, false]) {
      it(`${JSON.stringify(shape)}, ${training ? 'training' : 'inference'}: output and the gradients of x, gamma and beta`, () => {
        const c = shape[1]!;
        const x = randomArray(shape, 1, 0.3, 2);
        const gamma = randomArray([c], 2, 1, 0.5);
        const beta = randomArray([c], 3);
        const rm = randomArray([c], 4);
        const rv = randomArray([c], 5, 1.5, 0.2);
        const up = randomArray(shape, 6);
        const leaves = () => [x, gamma, beta].map((a) => new MLArray(a.data.slice(), a.shape, true)) as [MLArray, MLArray, MLArray];

        const [x1, g1, b1] = leaves();
        const fused = x1.batchNorm(g1, b1, { training, runningMean: rm.clone(), runningVar: rv.clone(), eps: 1e-3 });
        fused.backward(up);
        const [x2, g2, b2] = leaves();
        const reference = composed(x2, g2, b2, training, rm, rv, 1e-3);
        reference.backward(up);

        expect(fused.shape).toEqual(shape);
        expectCloseArrays(fused.data, reference.data, 1e-13, 'output');
        expectCloseArrays(x1.grad!.data, x2.grad!.data, 1e-11, 'dx');
        expectCloseArrays(g1.grad!.data, g2.grad!.data, 1e-11, 'dgamma');
        expectCloseArrays(b1.grad!.data, b2.grad!.data, 1e-12, 'dbeta');
      });
    }
  }
});

describe('batchNorm gradients (finite differences, fast-check)', () => {
  it('training and inference, on random (N, C, ...) shapes', () => {
    const dim = fc.integer({ min: 1, max: 3 });
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), dim, fc.array(dim, { maxLength: 2 }), fc.boolean(), fc.integer(), (n, c, rest, training, seed) => {
        const shape = [n, c, ...rest];
        const rm = randomArray([c], seed + 3);
        const rv = randomArray([c], seed + 4, 2, 0.3);
        const r = gradcheck(
          (x, g, b) => x.batchNorm(g, b, { training, runningMean: rm, runningVar: rv }),
          [randomArray(shape, seed, 0.5, 1.5), randomArray([c], seed + 1, 1, 0.3), randomArray([c], seed + 2)],
          { atol: 1e-6, rtol: 1e-5 },
        );
        if (!r.ok) expect.fail(`gradcheck failed: ${JSON.stringify(r.failure)} shape [${shape}] ${training ? 'training' : 'inference'}`);
      }),
      { numRuns: 30 },
    );
  });
});

describe('running statistics', () => {
  it('training updates them as PyTorch does (unbiased variance, momentum); inference leaves them alone', () => {
    const x = MLArray.from([[1, 10], [3, 30], [5, 20]]);
    const gamma = MLArray.ones([2]);
    const beta = MLArray.zeros([2]);
    const runningMean = MLArray.from([0.5, -1]);
    const runningVar = MLArray.from([2, 3]);
    const versions = [runningMean.version, runningVar.version];
    const y = x.batchNorm(gamma, beta, { training: true, runningMean, runningVar, momentum: 0.25 });
    // channel 0: mean 3, biased variance 8/3, unbiased 4; channel 1: mean 20, 200/3 and 100
    expect(runningMean.toArray()).toEqual([0.75 * 0.5 + 0.25 * 3, 0.75 * -1 + 0.25 * 20]);
    expect(runningVar.data[0]).toBeCloseTo(0.75 * 2 + 0.25 * 4, 14);
    expect(runningVar.data[1]).toBeCloseTo(0.75 * 3 + 0.25 * 100, 12);
    expect([runningMean.version, runningVar.version]).toEqual(versions.map((v) => v + 1));
    expect(y.data[0]).toBeCloseTo(-2 / Math.sqrt(8 / 3 + 1e-5), 12);

    const [m, v] = [runningMean.data.slice(), runningVar.data.slice()];
    const z = x.batchNorm(gamma, beta, { runningMean, runningVar });
    expect(runningMean.data).toEqual(m);
    expect(runningVar.data).toEqual(v);
    expect(z.data[0]).toBeCloseTo((1 - m[0]!) / Math.sqrt(v[0]! + 1e-5), 12);
  });

  it('training without running statistics only normalises', () => {
    const y = MLArray.from([[1, 2], [3, 6]]).batchNorm(MLArray.ones([2]), MLArray.zeros([2]), { training: true, eps: 1e-12 });
    expectCloseArrays(y.data, Float64Array.of(-1, -1, 1, 1), 1e-9, 'y');
  });
});

describe('batchNorm refuses bad arguments before changing anything', () => {
  const x = randomArray([4, 3, 2, 2], 7);
  const gamma = MLArray.ones([3]);
  const beta = MLArray.zeros([3]);
  const running = () => ({ runningMean: MLArray.zeros([3]), runningVar: MLArray.ones([3]) });

  it('names the shape or value and what is expected', () => {
    expectError(() => MLArray.from([1, 2, 3]).batchNorm(gamma, beta, { training: true }), ShapeError, /^batchNorm: the input must be \(batch, channels, \.\.\.\), got shape \(3,\)/);
    expectError(() => x.batchNorm(MLArray.ones([4]), beta, { training: true }), ShapeError, /gamma must have shape \(3,\), one number per channel of the input \(4, 3, 2, 2\), got \(4,\)/);
    expectError(() => x.batchNorm(gamma, [0, 0, 0] as unknown as MLArray, { training: true }), ValueError, /beta must be an MLArray of shape \(3,\), got/);
    const lookalike = { shape: [3], data: new Float64Array(3) } as unknown as MLArray; // not an array of the graph
    expectError(() => x.batchNorm(lookalike, beta, { training: true }), ValueError, /gamma must be an MLArray of shape \(3,\), got/);
    expectError(() => MLArray.zeros([1, 3]).batchNorm(gamma, beta, { training: true }), ValueError, /more than one value per channel.*\(1, 3\)/);
    expectError(() => x.batchNorm(gamma, beta), ValueError, /runningMean and options.runningVar are required/);
    expectError(() => x.batchNorm(gamma, beta, { runningMean: MLArray.zeros([3]) }), ValueError, /give both options.runningMean and options.runningVar/);
    expectError(() => x.batchNorm(gamma, beta, { ...running(), runningVar: MLArray.ones([2]) }), ShapeError, /options.runningVar must have shape \(3,\)/);
    expectError(() => x.batchNorm(gamma, beta, { training: true, momentum: 1.5 }), ValueError, /momentum/);
    expectError(() => x.batchNorm(gamma, beta, { training: true, eps: 0 }), ValueError, /eps/);
    expectError(() => x.batchNorm(gamma, beta, { training: 'yes' as unknown as boolean }), ValueError, /options.training must be true or false/);
    expectError(() => x.batchNorm(gamma, beta, { trainig: true } as never), ValueError, /did you mean 'training'/);
    expectError(() => x.batchNorm(gamma, beta, { runningMean: MLArray.zeros([3]), runningVar: MLArray.from([1, -1, 1]), eps: 1e-5 }), ValueError, /channel 1 has running mean 0 and variance -1/);
  });

  it('a batch with a NaN throws and leaves the running statistics as they were', () => {
    const bad = x.clone();
    bad.data[5] = NaN;
    const r = running();
    expectError(() => bad.batchNorm(gamma, beta, { training: true, ...r }), ValueError, /channel 1 has batch mean NaN.*NaN or infinite/);
    expect(r.runningMean.toArray()).toEqual([0, 0, 0]);
    expect(r.runningVar.toArray()).toEqual([1, 1, 1]);
    expect(r.runningMean.version).toBe(0);
  });
});
