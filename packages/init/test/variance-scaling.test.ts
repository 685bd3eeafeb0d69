/**
 * The variance-scaling family: every public preset is exactly (bit for bit) its VarianceScaling
 * configuration and its closed-form formula, the family's own options, and 4-d (convolution) fans
 * seen in the sampled variance.
 */
import { describe, expect, it } from 'vitest';
import { MLArray, ValueError, createRng, type Shape } from '@smolml/core';
import { HeInitialization, HeUniform, VarianceScaling, XavierNormal, XavierUniform, computeFans, type VarianceScalingConfig } from '../src/index.js';
import { moments } from './stats.js';

type Formula = (shape: Shape, seed: number) => number[];

/** The formulas the four classes implemented before they became presets, drawn by hand. */
const uniform = (limit: (fanIn: number, fanOut: number) => number): Formula => (shape, seed) => {
  const { fanIn, fanOut } = computeFans(shape);
  const l = limit(fanIn, fanOut);
  return Array.from(MLArray.rand(shape, createRng(seed)).data, (u) => -l + (l - -l) * u);
};
const normal = (std: (fanIn: number, fanOut: number) => number): Formula => (shape, seed) => {
  const { fanIn, fanOut } = computeFans(shape);
  const s = std(fanIn, fanOut);
  return Array.from(MLArray.randn(shape, createRng(seed)).data, (z) => s * z);
};

const presets: [string, (seed: number) => VarianceScaling, VarianceScalingConfig, Formula][] = [
  ['XavierUniform', (seed) => new XavierUniform({ seed }), { scale: 1, mode: 'fanAvg', distribution: 'uniform' }, uniform((i, o) => Math.sqrt(6 / (i + o)))],
  ['XavierNormal', (seed) => new XavierNormal({ seed }), { scale: 1, mode: 'fanAvg', distribution: 'normal' }, normal((i, o) => Math.sqrt(2 / (i + o)))],
  ['HeInitialization', (seed) => new HeInitialization({ seed }), { scale: 2, mode: 'fanIn', distribution: 'normal' }, normal((i) => Math.sqrt(2 / i))],
  ['HeUniform', (seed) => new HeUniform({ seed }), { scale: 2, mode: 'fanIn', distribution: 'uniform' }, uniform((i) => Math.sqrt(6 / i))],
];

// odd fan sums (7 + 6, 3 + 5) make fanAvg a half-integer: the rounding must still agree
const shapes: Shape[] = [[3, 5], [13, 6], [97, 64], [7], [], [16, 3, 5, 5], [8, 4, 3]];

describe('the Xavier and He classes are VarianceScaling presets', () => {
  it.each(presets)('%s equals its VarianceScaling configuration, bit for bit', (_n, make, config) => {
    for (const [k, shape] of shapes.entries()) {
      const preset = make(k).initialize(shape);
      const general = new VarianceScaling({ ...config, seed: k }).initialize(shape);
      expect([...preset.shape]).toEqual([...general.shape]);
      expect(Array.from(preset.data)).toEqual(Array.from(general.data));
      // and through an rng argument
      const viaRng = make(99).initialize(shape, createRng(k));
      expect(Array.from(viaRng.data)).toEqual(Array.from(new VarianceScaling(config).initialize(shape, createRng(k)).data));
    }
  });

  it.each(presets)('%s equals its closed-form formula, bit for bit', (_n, make, _config, formula) => {
    for (const [k, shape] of shapes.entries()) {
      expect(Array.from(make(k + 10).initialize(shape).data)).toEqual(formula(shape, k + 10));
    }
  });

  it.each(presets)('%s exposes its configuration and is a VarianceScaling', (_n, make, config) => {
    const init = make(0);
    expect(init).toBeInstanceOf(VarianceScaling);
    expect({ scale: init.scale, mode: init.mode, distribution: init.distribution }).toEqual(config);
  });
});

describe('VarianceScaling options', () => {
  it('defaults to scale 1, fanIn, normal (LeCun normal)', () => {
    const v = new VarianceScaling();
    expect({ scale: v.scale, mode: v.mode, distribution: v.distribution }).toEqual({ scale: 1, mode: 'fanIn', distribution: 'normal' });
    const m = moments(new VarianceScaling({ seed: 3 }).initialize([400, 300]).data);
    expect(Math.abs(m.variance / (1 / 400) - 1)).toBeLessThan(0.02);
  });

  it('fanOut mode divides by fanOut; uniform has the same variance and bounds sqrt(3 scale / fan)', () => {
    const w = new VarianceScaling({ scale: 3, mode: 'fanOut', distribution: 'uniform', seed: 4 }).initialize([50, 2000]);
    const m = moments(w.data);
    expect(Math.abs(m.variance / (3 / 2000) - 1)).toBeLessThan(0.02);
    const limit = Math.sqrt(9 / 2000);
    expect(m.min).toBeGreaterThanOrEqual(-limit);
    expect(m.max).toBeLessThan(limit);
    expect(m.max).toBeGreaterThan(0.99 * limit);
  });

  it.each([
    [{ scale: 0 }, /VarianceScaling: scale must be a finite number in \(0, inf\), got 0/],
    [{ scale: Number.NaN }, /scale must be a finite number/],
    [{ mode: 'fan_in' }, /VarianceScaling: mode must be one of 'fanIn', 'fanOut', 'fanAvg', got "fan_in" \(string\); did you mean 'fanIn'\?/],
    [{ mode: 3 }, /mode must be one of .* got 3$/],
    [{ distribution: 'truncatedNormal' }, /distribution must be one of 'normal', 'uniform', got "truncatedNormal" \(string\)/],
    [{ mod: 'fanIn' }, /VarianceScaling: unknown option 'mod'; did you mean 'mode'\?; known options: scale, mode, distribution, seed/],
    [{ seed: Infinity }, /VarianceScaling: seed must be a finite number/],
  ])('%j throws ValueError', (options, msg) => {
    expect(() => new VarianceScaling(options as never)).toThrow(ValueError);
    expect(() => new VarianceScaling(options as never)).toThrow(msg);
  });
});

describe('4-d convolution kernels (out, in, kH, kW)', () => {
  // (out 128, in 64, 3x3): fanIn = 64 * 9 = 576, fanOut = 128 * 9 = 1152 (PyTorch's fans);
  // 73,728 samples: the sample variance is within ~0.5% (one standard error) of the truth.
  const shape = [128, 64, 3, 3];
  it.each([
    ['HeInitialization', new HeInitialization({ seed: 11 }), 2 / 576, undefined],
    ['HeUniform', new HeUniform({ seed: 12 }), 2 / 576, Math.sqrt(6 / 576)],
    ['XavierNormal', new XavierNormal({ seed: 13 }), 2 / (576 + 1152), undefined],
    ['XavierUniform', new XavierUniform({ seed: 14 }), 2 / (576 + 1152), Math.sqrt(6 / (576 + 1152))],
  ] as const)('%s: empirical variance matches the PyTorch-layout fans', (_n, init, variance, bound) => {
    const w = init.initialize(shape);
    expect([...w.shape]).toEqual(shape);
    const m = moments(w.data);
    expect(Math.abs(m.variance / variance - 1)).toBeLessThan(0.03);
    expect(Math.abs(m.mean)).toBeLessThan((5 * Math.sqrt(variance)) / Math.sqrt(w.size));
    if (bound !== undefined) {
      expect(m.min).toBeGreaterThanOrEqual(-bound);
      expect(m.max).toBeLessThan(bound);
    }
  });
});
