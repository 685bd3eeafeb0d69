/**
 * Fan-in and fan-out: how many inputs feed one unit, and how many units one input feeds. They set
 * the scale of the variance-scaling initializers, so they depend on how a weight array is laid out.
 */
import type { Shape } from '@smolml/core';
import { checkShape } from '@smolml/core/internal';

/** `fanIn`, `fanOut`: how many inputs feed one unit, and how many units one input feeds. */
export interface Fans {
  fanIn: number;
  fanOut: number;
}

/**
 * Fans of a weight array, by its number of dimensions:
 * - 0-d: fanIn = fanOut = 1 (a single weight).
 * - 1-d `(n,)` (e.g. a bias vector): fanIn = fanOut = n (PyTorch refuses fewer than 2 dimensions;
 *   this is Keras' rule).
 * - 2-d `(in, out)`: fanIn = in, fanOut = out — smolml's dense layout (`y = x @ W`), the
 *   transpose of PyTorch's `Linear` weight `(out, in)`.
 * - 3-d and more `(out, in, k1, ..., kn)`: PyTorch's (and ONNX's) convolution layout, e.g.
 *   `(out, in, kH, kW)` for a 2-d convolution; with the receptive field r = k1 · ... · kn,
 *   fanIn = in · r and fanOut = out · r, exactly PyTorch's `_calculate_fan_in_and_fan_out`.
 * @example
 * computeFans([784, 128]);     // { fanIn: 784, fanOut: 128 }
 * computeFans([16, 3, 5, 5]);  // { fanIn: 75, fanOut: 400 }
 */
export function computeFans(shape: Shape): Fans {
  checkShape('computeFans', shape);
  const n = shape.length;
  if (n === 0) return { fanIn: 1, fanOut: 1 };
  if (n === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  if (n === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  let receptive = 1;
  for (let i = 2; i < n; i++) receptive *= shape[i]!;
  return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive };
}

/** Which fan a variance-scaling initializer divides by: fanIn, fanOut or their mean. */
export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';

/** The fan that `mode` picks for `shape`. */
export function fanOf(shape: Shape, mode: FanMode): number {
  const { fanIn, fanOut } = computeFans(shape);
  // (fanIn + fanOut) / 2 is exact (a halving), so scale / fanAvg rounds like 2 * scale / (fanIn + fanOut)
  return mode === 'fanIn' ? fanIn : mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
}
