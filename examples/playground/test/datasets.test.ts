import { describe, expect, it } from 'vitest';
import { DOMAIN, datasetNames, isDatasetName, makeDataset } from '../src/datasets.js';

const radius = ([a, b]: number[]): number => Math.hypot(a!, b!);
const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('makeDataset', () => {
  it.each(datasetNames)('%s: n points, balanced 0/1 labels, inside the drawn view, seeded', (name) => {
    const d = makeDataset(name, 200, 3);
    expect(d.x).toHaveLength(200);
    expect(d.y.filter((l) => l === 1)).toHaveLength(100);
    expect(d.y.every((l) => l === 0 || l === 1)).toBe(true);
    for (const p of d.x) {
      expect(p).toHaveLength(2);
      expect(Math.max(Math.abs(p[0]!), Math.abs(p[1]!))).toBeLessThan(DOMAIN);
    }
    expect(makeDataset(name, 200, 3)).toEqual(d);
    expect(makeDataset(name, 200, 4).x).not.toEqual(d.x);
  });

  it('xor: class 1 exactly where both coordinates have the same sign', () => {
    const d = makeDataset('xor', 100, 1);
    d.x.forEach(([a, b], i) => expect(a! * b! > 0 ? 1 : 0).toBe(d.y[i]));
  });

  it('circles: class 1 on the inner circle (radius 0.5), class 0 on the outer (1.2)', () => {
    const d = makeDataset('circles', 400, 1);
    const r = (label: number): number => mean(d.x.filter((_, i) => d.y[i] === label).map(radius));
    expect(r(1)).toBeCloseTo(0.5, 1);
    expect(r(0)).toBeCloseTo(1.2, 1);
  });

  it('moons: the upper moon (class 0) lies above the lower one on average', () => {
    const d = makeDataset('moons', 400, 1);
    const meanX1 = (label: number): number => mean(d.x.filter((_, i) => d.y[i] === label).map((p) => p[1]!));
    expect(meanX1(0)).toBeGreaterThan(meanX1(1) + 0.5);
  });

  it('spiral: class 0 follows r = 0.1 + 1.4 s at angle 3 pi s; class 1 is that arm turned by half a turn', () => {
    const d = makeDataset('spiral', 400, 1);
    const arm = Array.from({ length: 1001 }, (_, k) => {
      const s = k / 1000;
      return [(0.1 + 1.4 * s) * Math.cos(3 * Math.PI * s), (0.1 + 1.4 * s) * Math.sin(3 * Math.PI * s)] as const;
    });
    const distanceToArm = (a: number, b: number): number => Math.min(...arm.map(([u, v]) => Math.hypot(a - u, b - v)));
    d.x.forEach(([a, b], i) => {
      const turned = d.y[i] === 0 ? distanceToArm(a!, b!) : distanceToArm(-a!, -b!); // rotation by pi: (a, b) -> (-a, -b)
      expect(turned).toBeLessThan(0.2); // noise is 0.04 per coordinate
    });
  });

  it('isDatasetName', () => {
    expect(isDatasetName('moons')).toBe(true);
    expect(isDatasetName('mnist')).toBe(false);
  });
});
