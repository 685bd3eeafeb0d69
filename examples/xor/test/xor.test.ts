import { describe, expect, it } from 'vitest';
import { run } from '../src/xor.js';

describe('xor example', () => {
  it('learns all four points of XOR', () => {
    const r = run({ quiet: true });
    expect(r.accuracy).toBe(1);
    // each output on the right side of 0.5 by a clear margin
    r.outputs.forEach((o, i) => expect(Math.abs(o - [0, 1, 1, 0][i]!)).toBeLessThan(0.25));
    expect(r.finalLoss).toBeLessThan(r.history.loss[0]! / 10);
  });
});
