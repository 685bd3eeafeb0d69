/**
 * A 2-d convolution layer on NCHW images: `y = activation(conv2d(x, W) + b)`, `W` of shape
 * `(out, in, kH, kW)` (PyTorch's layout) and `b` of shape `(out)` added to every position.
 * The convolution is core's `conv2d` primitive (im2col + GEMM, so a faster backend speeds it up).
 */
import { type Initializer, MLArray, type Optimizer, type Rng, type Shape, type Size2d, ValueError } from '@smolml/core';
import { checkInteger, checkOptions, clip, describeValue, toPair } from '@smolml/core/internal';
import { HeUniform, Zeros } from '@smolml/init';
import { type ActivationFunction, type ActivationLike, activationToJSON, linear, relu, resolveActivation } from '../activations.js';
import type { ForwardOptions, Layer, LayerJSON } from '../layer.js';
import { type Pair, formatPair, imageWindow } from './check.js';
import { type LayerJSONContext, LayerReader } from './json.js';
import { initialWeights, resolveRng } from './options.js';

/** Options of Conv2D. */
export interface Conv2DOptions {
  /** Step between windows (default 1). */
  stride?: Size2d | null;
  /** Zeros added on each side of the input (default 0). */
  padding?: Size2d | null;
  /** Applied to the output (default linear). */
  activation?: ActivationLike | null;
  /** Default `new HeUniform()` (fans of `(out, in, kH, kW)`: fanIn = in·kH·kW). */
  weightInitializer?: Initializer | null;
  /** Add a trainable bias per output channel (default true). */
  bias?: boolean | null;
  /** Seed of a fresh random source for the initializer (ignored when `rng` is given). */
  seed?: number | null;
  /** Random source for the initializer (shared across layers for a reproducible network). */
  rng?: Rng | null;
}

/** A saved Conv2D. Weights are flat, row-major `(outChannels, inChannels, kH, kW)`. */
export interface Conv2DJSON {
  type: 'conv2d';
  inChannels: number;
  outChannels: number;
  kernelSize: [number, number];
  stride: [number, number];
  padding: [number, number];
  activation: string;
  bias: boolean;
  weights: number[];
  /** `outChannels` numbers, or null without bias. */
  biases: number[] | null;
}

const KEYS = ['stride', 'padding', 'activation', 'weightInitializer', 'bias', 'seed', 'rng'];

/**
 * 2-d convolution over `(batch, inChannels, height, width)` images.
 * @example
 * const conv = new Conv2D(1, 8, 3, { padding: 1, activation: 'relu', seed: 0 });
 * conv.forward(MLArray.zeros([2, 1, 28, 28])).shape; // [2, 8, 28, 28]
 */
export class Conv2D implements Layer {
  readonly type = 'conv2d';
  readonly inChannels: number;
  readonly outChannels: number;
  /** `[kH, kW]`. */
  readonly kernelSize: Pair;
  readonly stride: Pair;
  readonly padding: Pair;
  /** `(outChannels, inChannels, kH, kW)`, requiresGrad. */
  readonly weights: MLArray;
  /** `(outChannels)`, zeros at first, requiresGrad; null with `bias: false`. */
  readonly biases: MLArray | null;
  readonly activation: ActivationFunction;
  /** A built-in activation name, or `custom:<function name>`. */
  readonly activationName: string;

  constructor(inChannels: number, outChannels: number, kernelSize: Size2d, options?: Conv2DOptions | null) {
    const op = 'Conv2D';
    this.inChannels = checkInteger(op, 'inChannels', inChannels);
    this.outChannels = checkInteger(op, 'outChannels', outChannels);
    this.kernelSize = toPair(op, 'kernelSize', kernelSize, 1, null);
    const o = checkOptions<Conv2DOptions>(op, options, KEYS);
    this.stride = toPair(op, 'stride', o.stride, 1, [1, 1]);
    this.padding = toPair(op, 'padding', o.padding, 0, [0, 0]);
    ({ fn: this.activation, name: this.activationName } = resolveActivation(op, o.activation ?? linear));
    if (o.bias != null && typeof o.bias !== 'boolean') throw new ValueError(`${op}: options.bias must be true or false, got ${describeValue(o.bias)}`);
    const shape = [outChannels, inChannels, ...this.kernelSize];
    this.weights = initialWeights(op, o.weightInitializer ?? new HeUniform(), shape, resolveRng(op, o.rng, o.seed), 'new HeUniform()');
    this.biases = o.bias === false ? null : MLArray.zeros([outChannels], { requiresGrad: true });
  }

  /** `activation(conv2d(x, W) + b)` for `x` of shape `(batch, inChannels, height, width)`. */
  forward(x: MLArray, _opts?: ForwardOptions): MLArray {
    this.outputShape(x.shape);
    // bias and relu run inside conv2d's own pass (the same numbers as adding and applying them after)
    const fused = this.activation === relu;
    const y = x.conv2d(this.weights, { stride: this.stride, padding: this.padding, bias: this.biases, relu: fused });
    return fused ? y : this.activation(y);
  }

  /** `(batch, outChannels, Hout, Wout)` with `Hout = floor((H + 2 padding - kH) / stride) + 1`. */
  outputShape(inputShape: Shape, _opts?: ForwardOptions): Shape {
    const [oh, ow] = imageWindow('Conv2D', inputShape, this.inChannels, this.kernelSize, this.stride, this.padding);
    return [inputShape[0]!, this.outChannels, oh, ow];
  }

  /** `[weights, biases]`, or `[weights]` without bias. */
  parameters(): MLArray[] {
    return this.biases === null ? [this.weights] : [this.weights, this.biases];
  }

  /** Lets `optimizer` update this layer's parameters from their gradients (the seed's per-layer step). */
  update(optimizer: Optimizer): void {
    optimizer.step(this.parameters());
  }

  /** `Conv2D(1 -> 8, 3x3, stride 2, padding 1, relu)` (stride and padding shown when not the default). */
  toString(): string {
    const parts = [`${this.inChannels} -> ${this.outChannels}`, formatPair(this.kernelSize)];
    if (this.stride[0] !== 1 || this.stride[1] !== 1) parts.push(`stride ${formatSize(this.stride)}`);
    if (this.padding[0] !== 0 || this.padding[1] !== 0) parts.push(`padding ${formatSize(this.padding)}`);
    if (this.biases === null) parts.push('no bias');
    parts.push(clip(this.activationName, 40));
    return `Conv2D(${parts.join(', ')})`;
  }

  toJSON(): Conv2DJSON {
    return {
      type: 'conv2d',
      inChannels: this.inChannels,
      outChannels: this.outChannels,
      kernelSize: [...this.kernelSize],
      stride: [...this.stride],
      padding: [...this.padding],
      activation: activationToJSON({ fn: this.activation, name: this.activationName }),
      bias: this.biases !== null,
      weights: Array.from(this.weights.data),
      biases: this.biases === null ? null : Array.from(this.biases.data),
    };
  }

  /** Rebuilds a layer saved by `toJSON()`, every field checked (the layer registry calls it for type 'conv2d'). */
  static fromJSON(json: Conv2DJSON | LayerJSON, context: LayerJSONContext): Conv2D {
    const r = new LayerReader(json as LayerJSON, context);
    const inChannels = r.integer('inChannels');
    const outChannels = r.integer('outChannels');
    const kernelSize = r.pair('kernelSize', 1);
    const bias = r.boolean('bias');
    const weights = r.numbers('weights', [outChannels, inChannels, ...kernelSize]);
    const biases = bias ? r.numbers('biases', [outChannels]) : null;
    if (!bias && r.get('biases') !== null) r.fail(`${r.path('biases')} must be null when bias is false`);
    const layer = new Conv2D(inChannels, outChannels, kernelSize, {
      stride: r.pair('stride', 1),
      padding: r.pair('padding', 0),
      activation: r.activation(),
      bias,
      weightInitializer: new Zeros(),
    });
    layer.weights.data.set(weights);
    if (biases !== null) layer.biases!.data.set(biases);
    return layer;
  }
}

/** `2` for `[2, 2]`, else `[2, 1]`. */
export function formatSize([h, w]: Pair): string {
  return h === w ? String(h) : `[${h}, ${w}]`;
}
