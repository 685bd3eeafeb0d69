/**
 * Constructor arguments shared by the layers with weights: the random source (`rng` or `seed`)
 * and the weight initializer, checked once here with the same messages for every layer.
 */
import { MLArray, ShapeError, ValueError, createRng, formatShape, type Initializer, type Rng, type Shape } from '@smolml/core';
import { checkNumber, describeValue, real } from '@smolml/core/internal';

/** Whether `v` looks like an Initializer (has `initialize(shape, rng?)`). */
export function isInitializer(v: unknown): v is Initializer {
  return v !== null && typeof v === 'object' && typeof (v as { initialize?: unknown }).initialize === 'function';
}

/** Whether `v` is a random source from `createRng` (Dropout also needs its state, to save it). */
export function isRng(v: unknown): v is Rng {
  if (v === null || typeof v !== 'object') return false;
  const r = v as Record<string, unknown>;
  return typeof r.uniform === 'function' && typeof r.getState === 'function' && typeof r.setState === 'function';
}

/**
 * The random source of a layer: `rng` when given (shared, so several layers draw from one
 * stream), else a fresh `createRng(seed)`, else undefined (the initializer's own default).
 */
export function resolveRng(op: string, rng: unknown, seed: unknown): Rng | undefined {
  if (rng != null) {
    if (!isRng(rng)) throw new ValueError(`${op}: options.rng must be a random source from createRng(seed), got ${describeValue(rng)}`);
    return rng;
  }
  return seed == null ? undefined : createRng(checkNumber(op, 'options.seed', seed, real));
}

/**
 * Fresh trainable weights of `shape` from `init` (checked to be an initializer returning that
 * shape). The numbers are copied into a new leaf, whatever array the initializer returned.
 */
export function initialWeights(op: string, init: unknown, shape: Shape, rng: Rng | undefined, example: string): MLArray {
  if (!isInitializer(init)) {
    throw new ValueError(`${op}: weightInitializer must have an initialize(shape, rng?) method, e.g. ${example}; got ${describeValue(init)}`);
  }
  const w = init.initialize(shape, rng);
  if (!(w instanceof MLArray) || formatShape(w.shape) !== formatShape(shape)) {
    const got = w instanceof MLArray ? formatShape(w.shape) : describeValue(w);
    throw new ShapeError(`${op}: the initializer returned ${got}, expected an MLArray of shape ${formatShape(shape)}`);
  }
  return new MLArray(w.data.slice(), shape, true);
}
