/**
 * Inverted dropout: in training, each element is zeroed with probability `p` and the survivors
 * are scaled by `1/(1-p)`, so the expected output equals the input and inference (the identity)
 * needs no rescaling. The masks come from the layer's own seeded random source, whose state is
 * saved with the model so that resumed training draws the same masks as an uninterrupted run.
 */
import { MLArray, type Rng, type Shape, ValueError, createRng } from '@smolml/core';
import { checkNumber, checkOptions, describeValue, real, unitOpenRight } from '@smolml/core/internal';
import type { ForwardOptions, Layer, LayerJSON } from '../layer.js';
import { inputError } from './check.js';
import { type LayerJSONContext, LayerReader } from './json.js';
import { isRng } from './options.js';

/** Options of Dropout. */
export interface DropoutOptions {
  /** Seed of the layer's random source (default: a random seed). */
  seed?: number | null;
  /**
   * A random source to draw the layer's seed from (one draw, at construction), so a network
   * built from one `createRng(seed)` is reproducible; the layer then keeps its own stream.
   */
  rng?: Rng | null;
}

/** A saved Dropout: `p` and the state of its random source (the four 32-bit words of `Rng.getState()`). */
export interface DropoutJSON {
  type: 'dropout';
  p: number;
  rngState: [number, number, number, number];
}

/** The seeds are 32-bit: createRng folds larger ones anyway. */
const SEEDS = 4294967296;

/**
 * Zeroes a random fraction `p` of its input in training (scaling the rest by `1/(1-p)`); the
 * identity in inference.
 * @example
 * const drop = new Dropout(0.5, { seed: 1 });
 * drop.forward(MLArray.ones([1, 6]), { training: true }).toArray(); // e.g. [[2, 0, 2, 2, 0, 0]]
 * drop.forward(MLArray.ones([1, 6])).toArray(); // [[1, 1, 1, 1, 1, 1]]
 */
export class Dropout implements Layer {
  readonly type = 'dropout';
  /** The probability of zeroing an element, in [0, 1). */
  readonly p: number;
  /** The layer's own random source (masks are drawn from it, one `uniform()` per element). */
  readonly rng: Rng;

  constructor(p: number, options?: DropoutOptions | null) {
    const op = 'Dropout';
    this.p = checkNumber(op, 'p', p, unitOpenRight);
    const o = checkOptions<DropoutOptions>(op, options, ['seed', 'rng']);
    let seed: number;
    if (o.rng != null) {
      if (!isRng(o.rng)) throw new ValueError(`${op}: options.rng must be a random source from createRng(seed), got ${describeValue(o.rng)}`);
      seed = o.rng.int(SEEDS);
    } else {
      seed = o.seed == null ? Math.floor(Math.random() * SEEDS) : checkNumber(op, 'options.seed', o.seed, real);
    }
    this.rng = createRng(seed);
  }

  /** Training: `x * mask / (1 - p)` with a fresh mask; otherwise `x` itself. */
  forward(x: MLArray, opts?: ForwardOptions): MLArray {
    this.outputShape(x.shape);
    if (opts?.training !== true || this.p === 0) return x;
    const keep = 1 / (1 - this.p);
    const mask = new Float64Array(x.size);
    for (let i = 0; i < mask.length; i++) mask[i] = this.rng.uniform() < this.p ? 0 : keep;
    return x.mul(new MLArray(mask, [...x.shape]));
  }

  /** The input's shape (any array with a batch axis). */
  outputShape(inputShape: Shape, _opts?: ForwardOptions): Shape {
    if (inputShape.length === 0) throw inputError('Dropout', '(batch, ...)', inputShape);
    return inputShape;
  }

  parameters(): MLArray[] {
    return [];
  }

  /** `Dropout(0.5)` */
  toString(): string {
    return `Dropout(${this.p})`;
  }

  toJSON(): DropoutJSON {
    // The fifth number of getState() is a cached normal() draw, always empty (NaN) here: masks use uniform() only.
    const [a, b, c, d] = this.rng.getState().map((w) => w >>> 0) as [number, number, number, number];
    return { type: 'dropout', p: this.p, rngState: [a, b, c, d] };
  }

  /** Rebuilds a layer saved by `toJSON()`, every field checked (the layer registry calls it for type 'dropout'). */
  static fromJSON(json: DropoutJSON | LayerJSON, context: LayerJSONContext): Dropout {
    const r = new LayerReader(json as LayerJSON, context);
    const layer = new Dropout(r.number('p', unitOpenRight), { seed: 0 });
    const state = r.get('rngState');
    const words = Array.isArray(state) && state.length === 4 && state.every((w) => Number.isInteger(w) && (w as number) >= 0 && (w as number) < SEEDS);
    if (!words || (state as number[]).every((w) => w === 0)) {
      r.fail(`${r.path('rngState')} must be the 4 words (integers in [0, 2^32), not all 0) of the saved random-number state, got ${describeValue(state)}`);
    }
    layer.rng.setState([...(state as number[]), NaN]);
    return layer;
  }
}
