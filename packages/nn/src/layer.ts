/**
 * The Layer protocol: what `NeuralNetwork`, the training loop and save/load need from a layer.
 * Four members are required (SPEC: `type`, `forward`, `parameters`, `toJSON`); two optional ones
 * let a layer take part in the checks made before anything runs (`outputShape`) and declare
 * state that is saved but not trained (`buffers`). Built-in layers implement all six; a custom
 * layer can start with the four and add the others when it wants the up-front checks.
 */
import type { MLArray, Shape } from '@smolml/core';
import { clip, describeValue } from '@smolml/core/internal';

/** Options of `Layer.forward` and `Layer.outputShape`. */
export interface ForwardOptions {
  /**
   * Training mode (default false): Dropout drops units and BatchNorm normalises with (and
   * updates its running statistics from) the batch. `train`/`fit` pass true; `predict`,
   * `evaluate` and `forward` pass false.
   */
  training?: boolean | undefined;
}

/** `{ training: true }`, shared (frozen) so passing it costs no check. */
export const TRAINING: ForwardOptions = Object.freeze({ training: true });
/** `{ training: false }`, shared (frozen). */
export const INFERENCE: ForwardOptions = Object.freeze({ training: false });

/** A saved layer: a plain JSON object whose `type` names the layer's `fromJSON` in the registry. */
export type LayerJSON = { type: string } & Record<string, unknown>;

/**
 * A layer of a `NeuralNetwork`. Input and output arrays carry the batch on axis 0.
 * @example
 * // y = scale * x with a trainable scale: forward, parameters and toJSON are all it needs
 * class Scale implements Layer {
 *   readonly type = 'scale';
 *   readonly scale = MLArray.ones([1], { requiresGrad: true });
 *   forward(x: MLArray) { return x.mul(this.scale); }
 *   parameters() { return [this.scale]; }
 *   toJSON() { return { type: this.type, scale: this.scale.item() }; }
 * }
 */
export interface Layer {
  /** The name of the layer's `fromJSON` in the registry (`registerLayer`); `toJSON().type` equals it. */
  readonly type: string;
  /**
   * The layer's output for a batch `x`, recording the graph (unless inside `noGrad`). Throws a
   * ShapeError for an input it cannot take.
   */
  forward(x: MLArray, opts?: ForwardOptions): MLArray;
  /** The trainable arrays (`requiresGrad`), always the same arrays in the same order. */
  parameters(): MLArray[];
  /** A JSON-safe object holding everything needed to rebuild the layer and resume training. */
  toJSON(): { type: string } & object;
  /**
   * Optional: the output shape for an input shape (batch axis first), throwing the same error
   * `forward` would, without computing anything. `summary()` and the checks before training use
   * it; a layer without it is probed once with zeros in inference mode instead.
   */
  outputShape?(inputShape: Shape, opts?: ForwardOptions): Shape;
  /**
   * Optional: arrays of state that is not trained but belongs to the model (BatchNorm's running
   * statistics). A failed training step puts them back as they were; `summary()` counts them as
   * non-trainable. Save them in `toJSON`.
   */
  buffers?(): MLArray[];
}

const REQUIRED = ['forward', 'parameters', 'toJSON'] as const;
const OPTIONAL = ['outputShape', 'buffers'] as const;

/** What keeps `v` from being a Layer (for an error message), or null when it is one. */
export function layerProblem(v: unknown): string | null {
  if (v === null || typeof v !== 'object') return `expected a layer object, got ${describeValue(v)}`;
  const l = v as Record<string, unknown>;
  if (typeof l.type !== 'string' || l.type === '') return `its type must be a non-empty string, got ${describeValue(l.type)}`;
  const missing = REQUIRED.filter((m) => typeof l[m] !== 'function');
  if (missing.length > 0) return `it has no ${missing.map((m) => `${m}()`).join(', ')} method${missing.length > 1 ? 's' : ''}`;
  const bad = OPTIONAL.find((m) => l[m] !== undefined && typeof l[m] !== 'function');
  if (bad !== undefined) return `its ${bad} must be a method when present, got ${describeValue(l[bad])}`;
  return null;
}

/** How messages name a layer: its own `toString()` (cut short), else its type. Never throws. */
export function describeLayer(layer: Layer): string {
  let text = '';
  try {
    if (layer.toString !== Object.prototype.toString) text = String(layer);
  } catch {
    // a throwing toString: fall back to the type
  }
  return text !== '' ? clip(text, 80) : `type '${clip(String(layer.type), 40)}'`;
}
