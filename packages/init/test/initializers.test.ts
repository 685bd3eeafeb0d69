import { describe, expect, it } from 'vitest';
import { MLArray, ShapeError, ValueError, createRng, type Initializer } from '@smolml/core';
import { HeInitialization, HeUniform, Ones, RandomUniform, XavierNormal, XavierUniform, Zeros } from '../src/index.js';
import { moments } from './stats.js';

// (in, out) = (400, 300): 120,000 samples, so the sample variance is within ~1% of the truth
// (the standard error of a variance estimate is about var * sqrt(2 / n) = 0.4%).
const IN = 400;
const OUT = 300;

describe('distributions match their formulas on a large shape', () => {
  const cases: [string, Initializer, { variance: number; bound?: number }][] = [
    ['XavierUniform', new XavierUniform({ seed: 1 }), { variance: 2 / (IN + OUT), bound: Math.sqrt(6 / (IN + OUT)) }],
    ['XavierNormal', new XavierNormal({ seed: 2 }), { variance: 2 / (IN + OUT) }],
    ['HeInitialization', new HeInitialization({ seed: 3 }), { variance: 2 / IN }],
    ['HeUniform', new HeUniform({ seed: 4 }), { variance: 2 / IN, bound: Math.sqrt(6 / IN) }],
    ['RandomUniform', new RandomUniform({ seed: 5 }), { variance: 0.1 ** 2 / 12, bound: 0.05 }],
  ];
  it.each(cases)('%s', (_name, init, expected) => {
    const w = init.initialize([IN, OUT]);
    expect(w).toBeInstanceOf(MLArray);
    expect([...w.shape]).toEqual([IN, OUT]);
    expect(w.requiresGrad).toBe(false);
    const m = moments(w.data);
    const std = Math.sqrt(expected.variance);
    expect(Math.abs(m.mean)).toBeLessThan((5 * std) / Math.sqrt(w.size)); // 5 standard errors
    expect(Math.abs(m.variance / expected.variance - 1)).toBeLessThan(0.02);
    if (expected.bound !== undefined) {
      expect(m.min).toBeGreaterThanOrEqual(-expected.bound);
      expect(m.max).toBeLessThan(expected.bound);
      // the samples reach close to both ends of the interval
      expect(m.min).toBeLessThan(-0.99 * expected.bound);
      expect(m.max).toBeGreaterThan(0.99 * expected.bound);
    }
  });

  it('RandomUniform respects custom bounds', () => {
    const m = moments(new RandomUniform({ low: 2, high: 3, seed: 9 }).initialize([10000]).data);
    expect(m.min).toBeGreaterThanOrEqual(2);
    expect(m.max).toBeLessThan(3);
    expect(Math.abs(m.mean - 2.5)).toBeLessThan(0.01);
  });

  it('uses fanIn, not fanOut, for He (a wide layer and its transpose differ)', () => {
    const a = moments(new HeInitialization({ seed: 1 }).initialize([50, 2000]).data).variance;
    const b = moments(new HeInitialization({ seed: 1 }).initialize([2000, 50]).data).variance;
    expect(a / (2 / 50)).toBeCloseTo(1, 1);
    expect(b / (2 / 2000)).toBeCloseTo(1, 1);
  });
});

describe('reproducibility', () => {
  const make = [
    (seed: number) => new XavierUniform({ seed }),
    (seed: number) => new XavierNormal({ seed }),
    (seed: number) => new HeInitialization({ seed }),
    (seed: number) => new HeUniform({ seed }),
    (seed: number) => new RandomUniform({ seed }),
  ];
  it.each(make.map((f) => [f(0).constructor.name, f] as const))('%s: same seed, same weights; other seed, other weights', (_n, f) => {
    const a = f(42).initialize([20, 10]);
    const b = f(42).initialize([20, 10]);
    const c = f(43).initialize([20, 10]);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(a.data)).not.toEqual(Array.from(c.data));
  });

  it('successive calls continue the seeded stream (two layers differ), reproducibly', () => {
    const i1 = new XavierUniform({ seed: 7 });
    const i2 = new XavierUniform({ seed: 7 });
    const first = i1.initialize([4, 4]);
    const second = i1.initialize([4, 4]);
    expect(Array.from(first.data)).not.toEqual(Array.from(second.data));
    expect(Array.from(i2.initialize([4, 4]).data)).toEqual(Array.from(first.data));
    expect(Array.from(i2.initialize([4, 4]).data)).toEqual(Array.from(second.data));
  });

  it('an rng argument takes precedence over the seed option', () => {
    const viaArg = new HeUniform({ seed: 1 }).initialize([5, 5], createRng(99));
    const viaSeed = new HeUniform({ seed: 99 }).initialize([5, 5]);
    const plain = new HeUniform().initialize([5, 5], createRng(99));
    expect(Array.from(viaArg.data)).toEqual(Array.from(viaSeed.data));
    expect(Array.from(plain.data)).toEqual(Array.from(viaSeed.data));
  });

  it('without seed or rng, draws from the default generator (finite, in bounds)', () => {
    const w = new XavierUniform().initialize([30, 20]);
    const limit = Math.sqrt(6 / 50);
    expect(w.data.every((x) => Number.isFinite(x) && Math.abs(x) <= limit)).toBe(true);
    expect(new Set(w.data).size).toBe(w.size);
  });
});

describe('constants and shapes', () => {
  it('Zeros and Ones fill plain arrays', () => {
    const z = new Zeros().initialize([2, 3]);
    const o = new Ones().initialize([4]);
    expect(z.toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(o.toArray()).toEqual([1, 1, 1, 1]);
    expect(z.requiresGrad || o.requiresGrad).toBe(false);
  });

  it('handles 1-d, 0-d and n-d shapes with the documented fans', () => {
    const bias = new XavierUniform({ seed: 1 }).initialize([10]);
    expect([...bias.shape]).toEqual([10]);
    expect(bias.data.every((x) => Math.abs(x) < Math.sqrt(6 / 20))).toBe(true);
    expect(new HeUniform({ seed: 1 }).initialize([]).shape).toEqual([]);
    // (out 3, in 3, 4x8 kernel): fanIn = 3 * 32
    const conv = new HeUniform({ seed: 1 }).initialize([3, 3, 4, 8]);
    expect(conv.data.every((x) => Math.abs(x) < Math.sqrt(6 / 96))).toBe(true);
    expect(conv.data.some((x) => Math.abs(x) > 0.9 * Math.sqrt(6 / 96))).toBe(true);
    expect(new XavierNormal({ seed: 1 }).initialize([0, 5]).size).toBe(0);
  });

  it('does not alias the caller’s shape array', () => {
    const shape = [2, 2];
    const w = new Ones().initialize(shape);
    shape[0] = 5;
    expect([...w.shape]).toEqual([2, 2]);
  });
});

describe('errors', () => {
  const all: Initializer[] = [new RandomUniform(), new XavierUniform(), new XavierNormal(), new HeInitialization(), new HeUniform(), new Zeros(), new Ones()];
  it.each([[[2, -1]], [[2.5, 3]], [[Number.NaN]], [['3' as unknown as number]]])('bad shape %j throws ShapeError', (shape) => {
    for (const init of all) {
      expect(() => init.initialize(shape)).toThrow(ShapeError);
      expect(() => init.initialize(shape)).toThrow(new RegExp(`^${init.constructor.name}\\.initialize: .*non-negative integer`));
    }
  });

  it('rejects bad options with ValueError', () => {
    expect(() => new RandomUniform({ low: 1, high: 1 })).toThrow(ValueError);
    expect(() => new RandomUniform({ low: 0, high: Infinity })).toThrow(/low < high/);
    expect(() => new XavierUniform({ seed: Number.NaN })).toThrow(/seed must be a finite number/);
    expect(() => new HeUniform({ sead: 1 } as never)).toThrow(/HeUniform: unknown option 'sead'; did you mean 'seed'\?/);
    expect(() => new RandomUniform({ lo: 0 } as never)).toThrow(/RandomUniform: unknown option 'lo'; did you mean 'low'\?; known options: low, high, seed/);
    expect(() => new XavierNormal({ scale: 2 } as never)).toThrow(/XavierNormal: unknown option 'scale'; known options: seed/);
    expect(() => new XavierNormal('seed' as never)).toThrow(/XavierNormal: options must be an object, got "seed" \(string\)/);
  });

  it('null or undefined options mean the defaults', () => {
    const a = new XavierUniform(null as never).initialize([3, 4], createRng(2));
    const b = new XavierUniform().initialize([3, 4], createRng(2));
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(new RandomUniform(null as never).low).toBe(-0.05);
  });
});
