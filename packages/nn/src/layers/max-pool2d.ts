/** Max pooling over windows of NCHW images (core's `maxPool2d`; padding counts as −∞). */
import { type MLArray, type Shape, type Size2d, ValueError } from '@smolml/core';
import { checkOptions, toPair } from '@smolml/core/internal';
import type { ForwardOptions, Layer, LayerJSON } from '../layer.js';
import { type Pair, formatPair, imageWindow } from './check.js';
import { formatSize } from './conv2d.js';
import { type LayerJSONContext, LayerReader } from './json.js';

/** Options of MaxPool2D. */
export interface MaxPool2DOptions {
  /** Step between windows (default: the kernel size, so windows tile the input). */
  stride?: Size2d | null;
  /** −∞ added on each side (default 0); at most half the kernel size, as in PyTorch. */
  padding?: Size2d | null;
}

/** A saved MaxPool2D. */
export interface MaxPool2DJSON {
  type: 'maxPool2d';
  kernelSize: [number, number];
  stride: [number, number];
  padding: [number, number];
}

/**
 * The largest value of each window, per channel: `(batch, C, H, W)` to `(batch, C, Hout, Wout)`.
 * @example
 * new MaxPool2D(2).forward(MLArray.zeros([1, 8, 28, 28])).shape; // [1, 8, 14, 14]
 */
export class MaxPool2D implements Layer {
  readonly type = 'maxPool2d';
  readonly kernelSize: Pair;
  readonly stride: Pair;
  readonly padding: Pair;

  constructor(kernelSize: Size2d, options?: MaxPool2DOptions | null) {
    const op = 'MaxPool2D';
    const o = checkOptions<MaxPool2DOptions>(op, options, ['stride', 'padding']);
    this.kernelSize = toPair(op, 'kernelSize', kernelSize, 1, null);
    this.stride = toPair(op, 'stride', o.stride, 1, this.kernelSize);
    this.padding = toPair(op, 'padding', o.padding, 0, [0, 0]);
    const [kh, kw] = this.kernelSize;
    if (2 * this.padding[0] > kh || 2 * this.padding[1] > kw) {
      throw new ValueError(
        `${op}: padding ${formatSize(this.padding)} must be at most half of the kernel size ${formatPair(this.kernelSize)} ` +
          `(as in PyTorch, so that every window holds a real number); use padding <= [${Math.floor(kh / 2)}, ${Math.floor(kw / 2)}]`,
      );
    }
  }

  forward(x: MLArray, _opts?: ForwardOptions): MLArray {
    this.outputShape(x.shape);
    return x.maxPool2d(this.kernelSize, { stride: this.stride, padding: this.padding });
  }

  outputShape(inputShape: Shape, _opts?: ForwardOptions): Shape {
    const [oh, ow] = imageWindow('MaxPool2D', inputShape, null, this.kernelSize, this.stride, this.padding);
    return [inputShape[0]!, inputShape[1]!, oh, ow];
  }

  parameters(): MLArray[] {
    return [];
  }

  /** `MaxPool2D(2x2)`, `MaxPool2D(3x3, stride 2, padding 1)`. */
  toString(): string {
    return `MaxPool2D(${windowText(this.kernelSize, this.stride, this.padding)})`;
  }

  toJSON(): MaxPool2DJSON {
    return { type: 'maxPool2d', kernelSize: [...this.kernelSize], stride: [...this.stride], padding: [...this.padding] };
  }

  /** Rebuilds a layer saved by `toJSON()`, every field checked (the layer registry calls it for type 'maxPool2d'). */
  static fromJSON(json: MaxPool2DJSON | LayerJSON, context: LayerJSONContext): MaxPool2D {
    const r = new LayerReader(json as LayerJSON, context);
    return new MaxPool2D(r.pair('kernelSize', 1), { stride: r.pair('stride', 1), padding: r.pair('padding', 0) });
  }
}

/** `3x3, stride 2, padding 1`: the kernel, and stride and padding when not their defaults. */
export function windowText(kernel: Pair, stride: Pair, padding: Pair = [0, 0]): string {
  const parts = [formatPair(kernel)];
  if (stride[0] !== kernel[0] || stride[1] !== kernel[1]) parts.push(`stride ${formatSize(stride)}`);
  if (padding[0] !== 0 || padding[1] !== 0) parts.push(`padding ${formatSize(padding)}`);
  return parts.join(', ');
}
