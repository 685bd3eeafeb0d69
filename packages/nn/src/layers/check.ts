/**
 * Input checks shared by the built-in layers, so that `forward` and `outputShape` throw the same
 * message: `Conv2D.forward: expected input of shape (batch, 3, height, width), received (8, 1, 28, 28)`.
 * The network puts the layer's index in front.
 */
import { ShapeError, formatShape, type Shape } from '@smolml/core';
import { windowCount } from '@smolml/core/internal';

/** `[h, w]`: a size of an image layer. */
export type Pair = readonly [number, number];

/** A ShapeError `<layer>.forward: expected input of shape <expected>, received <shape><hint>`. */
export function inputError(layer: string, expected: string, received: Shape, hint = ''): ShapeError {
  return new ShapeError(`${layer}.forward: expected input of shape ${expected}, received ${formatShape(received)}${hint}`);
}

/** `3x3` */
export function formatPair([h, w]: Pair): string {
  return `${h}x${w}`;
}

/**
 * Checks a batch of images `(batch, channels, height, width)` (`channels` null: any) against a
 * window (kernel, stride, padding) and returns the output's `(height, width)`.
 */
export function imageWindow(layer: string, x: Shape, channels: number | null, kernel: Pair, stride: Pair, padding: Pair): Pair {
  const expected = `(batch, ${channels ?? 'channels'}, height, width)`;
  if (x.length !== 4) {
    const hint = x.length === 3 ? `; a single image needs a batch axis: reshape it to (1, ${x.join(', ')})` : x.length === 2 ? '; flat rows need reshaping to images first' : '';
    throw inputError(layer, expected, x, hint);
  }
  if (channels !== null && x[1] !== channels) {
    throw inputError(layer, expected, x, `: ${x[1]} channel${x[1] === 1 ? '' : 's'} where the layer takes ${channels}`);
  }
  if (x[1] === 0 || x[2] === 0 || x[3] === 0) throw inputError(layer, expected, x, '; channels, height and width must be >= 1');
  const h = x[2]! + 2 * padding[0];
  const w = x[3]! + 2 * padding[1];
  if (kernel[0] > h || kernel[1] > w) {
    const pad = padding[0] + padding[1] > 0 ? ` padded` : '';
    throw new ShapeError(
      `${layer}.forward: the ${formatPair(kernel)} kernel is larger than the${pad} input ${h}x${w} (input ${formatShape(x)}, padding ${formatPair(padding)}); ` +
        'use a smaller kernel, more padding or larger images',
    );
  }
  return [windowCount(x[2]!, kernel[0], stride[0], padding[0]), windowCount(x[3]!, kernel[1], stride[1], padding[1])];
}
