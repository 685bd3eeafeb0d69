import { describe, expect, it } from 'vitest';
import { makeMoons } from '../src/make-moons.js';
import { run } from '../src/moons.js';

describe('make-moons', () => {
  it('is seeded and balanced', () => {
    const a = makeMoons(101, { seed: 3 });
    const b = makeMoons(101, { seed: 3 });
    expect(Array.from(a.X.data)).toEqual(Array.from(b.X.data));
    expect(a.X.shape).toEqual([101, 2]);
    expect(a.y.data.reduce((s, v) => s + v, 0)).toBe(51);
    expect(Array.from(makeMoons(101, { seed: 4 }).X.data)).not.toEqual(Array.from(a.X.data));
  });
  it('without noise, points lie on the two half circles', () => {
    const { X, y } = makeMoons(40, { noise: 0 });
    for (let i = 0; i < 40; i++) {
      const [a, b] = [X.data[2 * i]!, X.data[2 * i + 1]!];
      const r = y.data[i] === 0 ? Math.hypot(a, b) : Math.hypot(a - 1, b - 0.5);
      expect(r).toBeCloseTo(1, 12);
    }
  });
});

describe('moons example', () => {
  it('reaches >= 90% test accuracy', () => {
    const r = run({ epochs: 40, quiet: true });
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(r.history.valAccuracy).toHaveLength(40);
  });
});
