import { describe, expect, it } from 'vitest';
import { computeFans } from '../src/index.js';

describe('computeFans', () => {
  it('uses the (in, out) layout for 2-d weights', () => {
    expect(computeFans([784, 128])).toEqual({ fanIn: 784, fanOut: 128 });
  });
  it('gives fanIn = fanOut = n for a 1-d shape and 1 for 0-d', () => {
    expect(computeFans([7])).toEqual({ fanIn: 7, fanOut: 7 });
    expect(computeFans([])).toEqual({ fanIn: 1, fanOut: 1 });
  });
  it('multiplies by the receptive field (leading axes) for n-d shapes', () => {
    expect(computeFans([3, 5, 16, 32])).toEqual({ fanIn: 16 * 15, fanOut: 32 * 15 });
  });
});
