import { describe, expect, it } from 'vitest';
import { run } from '../src/iris.js';

describe('iris example', () => {
  it('reaches >= 90% test accuracy on held-out flowers', () => {
    const r = run({ quiet: true });
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(r.confusion.flat().reduce((a, b) => a + b, 0)).toBe(30);
    expect(r.history.loss.at(-1)!).toBeLessThan(r.history.loss[0]!);
  });
});
