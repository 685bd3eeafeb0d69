import { describe, expect, it } from 'vitest';
import { DOMAIN, datasetNames, isDatasetName, makeDataset, sineSurface, splitIndices, taskOf } from '../src/datasets.js';

const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const radius = ([a, b]: readonly number[]): number => Math.hypot(a!, b!);

describe('makeDataset', () => {
  it.each(datasetNames)('%s: n points in the view, targets of its task, the same for the same seed and noise', (name) => {
    const d = makeDataset(name, { n: 200, seed: 3, noise: 0.2 });
    expect(d.x).toHaveLength(200);
    expect(d.task).toBe(taskOf(name));
    for (const p of d.x) expect(Math.max(Math.abs(p[0]), Math.abs(p[1]))).toBeLessThanOrEqual(DOMAIN);
    if (d.task === 'classification') expect(d.y.every((l, i) => l === i % 2)).toBe(true);
    else expect(d.y.every((v) => v >= -1 && v <= 1)).toBe(true);
    expect(makeDataset(name, { n: 200, seed: 3, noise: 0.2 })).toEqual(d);
    expect(makeDataset(name, { n: 200, seed: 4, noise: 0.2 }).x).not.toEqual(d.x);
  });

  it('xor without noise: class 1 exactly where x1 and x2 have the same sign, 0.3 away from the axes', () => {
    const d = makeDataset('xor', { n: 300, seed: 1 });
    d.x.forEach(([a, b], i) => {
      expect(a * b > 0 ? 1 : 0).toBe(d.y[i]);
      expect(Math.min(Math.abs(a), Math.abs(b))).toBeGreaterThanOrEqual(0.3);
    });
  });

  it('circles without noise: class 1 within radius 2.5, class 0 between 3.5 and 5', () => {
    const d = makeDataset('circles', { n: 400, seed: 1 });
    d.x.forEach((p, i) => {
      const r = radius(p);
      if (d.y[i] === 1) expect(r).toBeLessThan(2.5);
      else expect(r >= 3.5 && r < 5).toBe(true);
    });
  });

  it('noise blurs: circles at noise 0.5 put points of both classes at radius 3', () => {
    const d = makeDataset('circles', { n: 400, seed: 1, noise: 0.5 });
    const near3 = (label: number): number => d.x.filter((p, i) => d.y[i] === label && Math.abs(radius(p) - 3) < 0.5).length;
    expect(near3(0)).toBeGreaterThan(5);
    expect(near3(1)).toBeGreaterThan(5);
  });

  it('gaussian: class 1 centred on (2, 2), class 0 on (-2, -2)', () => {
    const d = makeDataset('gaussian', { n: 2000, seed: 2 });
    const centre = (label: number, k: 0 | 1): number => mean(d.x.filter((_, i) => d.y[i] === label).map((p) => p[k]));
    expect(centre(1, 0)).toBeCloseTo(2, 1);
    expect(centre(1, 1)).toBeCloseTo(2, 1);
    expect(centre(0, 0)).toBeCloseTo(-2, 1);
  });

  it('spiral without noise: both arms follow r = 5 s at angle 3.5 pi s, the second turned by pi', () => {
    const d = makeDataset('spiral', { n: 200, seed: 5 });
    d.x.forEach(([a, b], i) => {
      const s = Math.hypot(a, b) / 5;
      const t = 3.5 * Math.PI * s + d.y[i]! * Math.PI;
      expect(a).toBeCloseTo(5 * s * Math.sin(t), 9);
      expect(b).toBeCloseTo(5 * s * Math.cos(t), 9);
    });
  });

  it('sine (regression) without noise: targets are exactly the surface', () => {
    const d = makeDataset('sine', { n: 100, seed: 1 });
    d.x.forEach(([a, b], i) => expect(d.y[i]).toBe(sineSurface(a, b)));
    expect(Math.max(...d.y)).toBeGreaterThan(0.8);
    expect(Math.min(...d.y)).toBeLessThan(-0.8);
  });

  it('rejects noise outside [0, 0.5]', () => {
    expect(() => makeDataset('xor', { noise: 0.6 })).toThrow(/noise must be in \[0, 0.5\]/);
    expect(() => makeDataset('xor', { noise: NaN })).toThrow(/noise/);
  });

  it('isDatasetName', () => {
    expect(isDatasetName('moons')).toBe(true);
    expect(isDatasetName('mnist')).toBe(false);
    expect(isDatasetName(3)).toBe(false);
  });
});

describe('splitIndices', () => {
  it('partitions the points by the ratio, seeded', () => {
    const { train, test } = splitIndices(400, 0.7, 3);
    expect(train).toHaveLength(280);
    expect(test).toHaveLength(120);
    expect([...train, ...test].sort((a, b) => a - b)).toEqual(Array.from({ length: 400 }, (_, i) => i));
    expect(splitIndices(400, 0.7, 3)).toEqual({ train, test });
    expect(splitIndices(400, 0.7, 4).train).not.toEqual(train);
  });

  it('keeps at least one point on each side', () => {
    expect(splitIndices(3, 0.1, 1).train).toHaveLength(1);
    expect(splitIndices(3, 0.9, 1).test).toHaveLength(1);
    expect(() => splitIndices(10, 1, 1)).toThrow(/trainRatio/);
  });
});
