/**
 * Layer normalisation (PyTorch's LayerNorm): each sample is normalised over its trailing
 * `normalizedShape` dims with their mean and biased variance, then scaled by `gamma` and shifted
 * by `beta` (both of that shape). The same in training and inference: no running statistics.
 */
import { MLArray, type Optimizer, type Shape, ValueError } from '@smolml/core';
import { checkInteger, checkNumber, checkOptions, describeValue, positive } from '@smolml/core/internal';
import type { ForwardOptions, Layer, LayerJSON } from '../layer.js';
import { inputError } from './check.js';
import { type LayerJSONContext, LayerReader } from './json.js';

/** Options of LayerNorm. */
export interface LayerNormOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number | null;
}

/** A saved LayerNorm. `gamma` and `beta` are flat, row-major, of `normalizedShape`. */
export interface LayerNormJSON {
  type: 'layerNorm';
  normalizedShape: number[];
  eps: number;
  gamma: number[];
  beta: number[];
}

/**
 * Normalises every sample over its last dims.
 * @example
 * const ln = new LayerNorm(3);
 * ln.forward(MLArray.from([[1, 2, 3]])).toArray(); // ≈ [[-1.2247, 0, 1.2247]]
 */
export class LayerNorm implements Layer {
  readonly type = 'layerNorm';
  /** The trailing dims normalised over, e.g. `[64]` or `[8, 14, 14]`. */
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  /** Scale of `normalizedShape`, ones at first, requiresGrad. */
  readonly gamma: MLArray;
  /** Shift of `normalizedShape`, zeros at first, requiresGrad. */
  readonly beta: MLArray;

  constructor(normalizedShape: number | readonly number[], options?: LayerNormOptions | null) {
    const op = 'LayerNorm';
    const dims = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape;
    if (!Array.isArray(dims) || dims.length === 0 || dims.length > 7) {
      throw new ValueError(`${op}: normalizedShape must be a size or an array of 1 to 7 sizes (the trailing dims), got ${describeValue(normalizedShape)}`);
    }
    this.normalizedShape = dims.map((d: unknown, i) => checkInteger(op, `normalizedShape[${i}]`, d));
    const o = checkOptions<LayerNormOptions>(op, options, ['eps']);
    this.eps = o.eps == null ? 1e-5 : checkNumber(op, 'options.eps', o.eps, positive);
    this.gamma = MLArray.ones([...this.normalizedShape], { requiresGrad: true });
    this.beta = MLArray.zeros([...this.normalizedShape], { requiresGrad: true });
  }

  /** `gamma * (x - mean) / sqrt(var + eps) + beta` over the trailing dims of each sample. */
  forward(x: MLArray, opts?: ForwardOptions): MLArray {
    this.outputShape(x.shape, opts);
    const k = this.normalizedShape.length;
    const axes = Array.from({ length: k }, (_, i) => x.ndim - k + i);
    const mean = x.mean(axes, true);
    const variance = x.variance(axes, true);
    return x.sub(mean).div(variance.add(this.eps).sqrt()).mul(this.gamma).add(this.beta);
  }

  /** The input's shape, which must end with `normalizedShape` after a batch axis. */
  outputShape(inputShape: Shape, _opts?: ForwardOptions): Shape {
    const k = this.normalizedShape.length;
    const tail = inputShape.slice(inputShape.length - k);
    if (inputShape.length <= k || tail.some((d, i) => d !== this.normalizedShape[i])) {
      throw inputError('LayerNorm', `(batch, ..., ${this.normalizedShape.join(', ')})`, inputShape);
    }
    return inputShape;
  }

  /** `[gamma, beta]`. */
  parameters(): MLArray[] {
    return [this.gamma, this.beta];
  }

  /** Lets `optimizer` update `gamma` and `beta` (the seed's per-layer step). */
  update(optimizer: Optimizer): void {
    optimizer.step(this.parameters());
  }

  /** `LayerNorm([8, 14, 14])`, `LayerNorm([64], eps 0.001)`. */
  toString(): string {
    return `LayerNorm([${this.normalizedShape.join(', ')}]${this.eps !== 1e-5 ? `, eps ${this.eps}` : ''})`;
  }

  toJSON(): LayerNormJSON {
    return { type: 'layerNorm', normalizedShape: [...this.normalizedShape], eps: this.eps, gamma: Array.from(this.gamma.data), beta: Array.from(this.beta.data) };
  }

  /** Rebuilds a layer saved by `toJSON()`, every field checked (the layer registry calls it for type 'layerNorm'). */
  static fromJSON(json: LayerNormJSON | LayerJSON, context: LayerJSONContext): LayerNorm {
    const r = new LayerReader(json as LayerJSON, context);
    const shape = r.shape('normalizedShape');
    const layer = new LayerNorm(shape, { eps: r.number('eps', positive) });
    layer.gamma.data.set(r.numbers('gamma', shape));
    layer.beta.data.set(r.numbers('beta', shape));
    return layer;
  }
}
