/** Average pooling over windows of NCHW images (core's `avgPool2d`). */
import type { MLArray, Shape, Size2d } from '@smolml/core';
import { checkOptions, toPair } from '@smolml/core/internal';
import type { ForwardOptions, Layer, LayerJSON } from '../layer.js';
import { type Pair, imageWindow } from './check.js';
import { type LayerJSONContext, LayerReader } from './json.js';
import { windowText } from './max-pool2d.js';

/** Options of AvgPool2D. */
export interface AvgPool2DOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Size2d | null;
}

/** A saved AvgPool2D. */
export interface AvgPool2DJSON {
  type: 'avgPool2d';
  kernelSize: [number, number];
  stride: [number, number];
}

/**
 * The mean of each window, per channel: `(batch, C, H, W)` to `(batch, C, Hout, Wout)`.
 * @example
 * new AvgPool2D(2).forward(MLArray.ones([1, 1, 4, 4])).shape; // [1, 1, 2, 2]
 */
export class AvgPool2D implements Layer {
  readonly type = 'avgPool2d';
  readonly kernelSize: Pair;
  readonly stride: Pair;

  constructor(kernelSize: Size2d, options?: AvgPool2DOptions | null) {
    const o = checkOptions<AvgPool2DOptions>('AvgPool2D', options, ['stride']);
    this.kernelSize = toPair('AvgPool2D', 'kernelSize', kernelSize, 1, null);
    this.stride = toPair('AvgPool2D', 'stride', o.stride, 1, this.kernelSize);
  }

  forward(x: MLArray, _opts?: ForwardOptions): MLArray {
    this.outputShape(x.shape);
    return x.avgPool2d(this.kernelSize, { stride: this.stride });
  }

  outputShape(inputShape: Shape, _opts?: ForwardOptions): Shape {
    const [oh, ow] = imageWindow('AvgPool2D', inputShape, null, this.kernelSize, this.stride, [0, 0]);
    return [inputShape[0]!, inputShape[1]!, oh, ow];
  }

  parameters(): MLArray[] {
    return [];
  }

  /** `AvgPool2D(2x2)`, `AvgPool2D(3x3, stride 1)`. */
  toString(): string {
    return `AvgPool2D(${windowText(this.kernelSize, this.stride)})`;
  }

  toJSON(): AvgPool2DJSON {
    return { type: 'avgPool2d', kernelSize: [...this.kernelSize], stride: [...this.stride] };
  }

  /** Rebuilds a layer saved by `toJSON()`, every field checked (the layer registry calls it for type 'avgPool2d'). */
  static fromJSON(json: AvgPool2DJSON | LayerJSON, context: LayerJSONContext): AvgPool2D {
    const r = new LayerReader(json as LayerJSON, context);
    return new AvgPool2D(r.pair('kernelSize', 1), { stride: r.pair('stride', 1) });
  }
}
