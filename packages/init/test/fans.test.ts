import { describe, expect, it } from 'vitest';
import { ShapeError } from '@smolml/core';
import { computeFans } from '../src/index.js';

describe('computeFans', () => {
  it('uses the (in, out) layout for 2-d weights', () => {
    expect(computeFans([784, 128])).toEqual({ fanIn: 784, fanOut: 128 });
  });

  it('gives fanIn = fanOut = n for a 1-d shape and 1 for 0-d', () => {
    expect(computeFans([7])).toEqual({ fanIn: 7, fanOut: 7 });
    expect(computeFans([])).toEqual({ fanIn: 1, fanOut: 1 });
  });

  // Expected values printed by PyTorch 1.13's torch.nn.init._calculate_fan_in_and_fan_out on
  // torch.empty(*shape): fan_in = size(1) * receptive, fan_out = size(0) * receptive.
  it.each([
    [[16, 3, 5, 5], 75, 400],
    [[128, 64, 3, 3], 576, 1152],
    [[2, 3, 1, 1], 3, 2],
    [[8, 4, 3], 12, 24],
    [[6, 2, 3, 3, 3], 54, 162],
  ])('follows PyTorch for the (out, in, ...kernel) layout of %j', (shape, fanIn, fanOut) => {
    expect(computeFans(shape)).toEqual({ fanIn, fanOut });
  });

  it('by hand: a (out 16, in 3, 5x5) kernel has 3 * 25 inputs per unit and feeds 16 * 25', () => {
    const { fanIn, fanOut } = computeFans([16, 3, 5, 5]);
    expect(fanIn).toBe(3 * 5 * 5);
    expect(fanOut).toBe(16 * 5 * 5);
  });

  it('refuses shapes that are not arrays of non-negative integers', () => {
    expect(() => computeFans([2, -1])).toThrow(ShapeError);
    expect(() => computeFans([1.5])).toThrow(/computeFans/);
  });
});
