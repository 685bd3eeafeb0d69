/**
 * outputShape (used by summary() and the checks before training) agrees with what forward
 * really returns, and both refuse the same inputs: fast-check over image layer configurations.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MLArray, ShapeError } from '@smolml/core';
import { AvgPool2D, Conv2D, type Layer, MaxPool2D } from '../../src/index.js';

/** forward's shape, or the ShapeError message both must throw. */
function outcome(f: () => readonly number[]): readonly number[] | string {
  try {
    return f();
  } catch (e) {
    expect(e).toBeInstanceOf(ShapeError);
    return (e as Error).message;
  }
}

function agree(layer: Layer, shape: number[]): void {
  const fromForward = outcome(() => layer.forward(MLArray.zeros(shape)).shape);
  const fromShape = outcome(() => layer.outputShape!(shape));
  expect(fromShape).toEqual(fromForward);
}

const size = fc.integer({ min: 1, max: 4 });

describe('outputShape equals the shape forward returns (or both throw the same ShapeError)', () => {
  it('Conv2D: floor((H + 2 padding - k) / stride) + 1', () => {
    fc.assert(
      fc.property(size, size, fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 3 }), (k, s, p, h, w, c) => {
        const conv = new Conv2D(2, 3, k, { stride: s, padding: p, seed: 1 });
        agree(conv, [2, c, h, w]);
        if (c === 2 && h + 2 * p >= k && w + 2 * p >= k) expect(conv.outputShape([2, 2, h, w])).toEqual([2, 3, Math.floor((h + 2 * p - k) / s) + 1, Math.floor((w + 2 * p - k) / s) + 1]);
      }),
      { seed: 3, numRuns: 120 },
    );
  });

  it('MaxPool2D and AvgPool2D', () => {
    fc.assert(
      fc.property(size, size, fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }), (k, s, p, h, w) => {
        if (2 * p <= k) agree(new MaxPool2D(k, { stride: s, padding: p }), [1, 2, h, w]);
        agree(new AvgPool2D(k, { stride: s }), [1, 2, h, w]);
        agree(new AvgPool2D([k, 1], { stride: [1, s] }), [3, 1, h, w]);
      }),
      { seed: 4, numRuns: 120 },
    );
  });
});
