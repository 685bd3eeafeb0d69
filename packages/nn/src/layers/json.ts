/**
 * Reading a saved layer: every field checked (own properties only) with a message naming the
 * file position (`NeuralNetwork.fromJSON: layers[2].stride ...`), and every array's declared size
 * checked against MAX_LAYER_ELEMENTS and against the numbers actually present before anything
 * is allocated. Each built-in layer's `fromJSON` reads its fields through a LayerReader.
 */
import { ValueError, formatShape, type Shape } from '@smolml/core';
import { type Interval, checkInteger, checkNumber, describeValue, inInterval, toPair } from '@smolml/core/internal';
import type { ActivationFunction } from '../activations.js';
import type { Layer, LayerJSON } from '../layer.js';

/** The most numbers one array of a saved layer may declare (2 GiB of float64): far above any model this library trains. */
export const MAX_LAYER_ELEMENTS = 2 ** 28;

/** What a layer's `fromJSON` gets besides its JSON: where it is, and how to resolve activations. */
export interface LayerJSONContext {
  /** The operation, for messages: `'NeuralNetwork.fromJSON'`. */
  readonly op: string;
  /** Where the layer is in the saved model, for messages: `'layers[2]'`. */
  readonly at: string;
  /** The function of a saved activation name: a built-in, or a custom one passed to `fromJSON`'s options. */
  activation(name: unknown, field?: string): ActivationFunction;
}

/** Rebuilds a layer from its `toJSON()` (what `registerLayer` takes). */
export type LayerFromJSON = (json: LayerJSON, context: LayerJSONContext) => Layer;

/**
 * Typed, checked access to the fields of one saved layer, for a custom layer's `fromJSON`: each
 * getter throws a ValueError naming the field's place in the file (`layers[2].scale must be ...`).
 * @example
 * registerLayer('scale', (json, context) => {
 *   const r = new LayerReader(json, context);
 *   const size = r.integer('size');
 *   return new Scale(size, r.numbers('scale', [size]));
 * });
 */
export class LayerReader {
  constructor(
    readonly json: LayerJSON,
    readonly context: LayerJSONContext,
  ) {}

  /** `layers[2].key`, for messages. */
  path(key: string): string {
    return `${this.context.at}.${key}`;
  }

  /** Throws a ValueError `<op>: <message>` (the message should name the field, e.g. with `path`). */
  fail(message: string): never {
    throw new ValueError(`${this.context.op}: ${message}`);
  }

  /** The own property `key` (never an inherited one such as `constructor`). */
  get(key: string): unknown {
    return Object.hasOwn(this.json, key) ? this.json[key] : undefined;
  }

  /** The integer `key`, at least `min`. */
  integer(key: string, min = 1): number {
    return checkInteger(this.context.op, this.path(key), this.get(key), min);
  }

  /** The finite number `key`, within `range`. */
  number(key: string, range: Interval): number {
    return checkNumber(this.context.op, this.path(key), this.get(key), range);
  }

  /** The boolean `key`. */
  boolean(key: string): boolean {
    const v = this.get(key);
    if (typeof v !== 'boolean') this.fail(`${this.path(key)} must be true or false, got ${describeValue(v)}`);
    return v;
  }

  /** A size saved as `[h, w]` (or one number for both). */
  pair(key: string, min: number): readonly [number, number] {
    return toPair(this.context.op, this.path(key), this.get(key), min, null);
  }

  /** A shape: a non-empty array of at most 8 integers >= 1 whose product is at most MAX_LAYER_ELEMENTS. */
  shape(key: string): number[] {
    const v = this.get(key);
    if (!Array.isArray(v) || v.length === 0 || v.length > 8) this.fail(`${this.path(key)} must be an array of 1 to 8 sizes, got ${describeValue(v)}`);
    v.forEach((d: unknown, i) => checkInteger(this.context.op, `${this.path(key)}[${i}]`, d));
    this.checkSize(key, v as number[]);
    return v as number[];
  }

  /** The activation saved under `key` (default `activation`). */
  activation(key = 'activation'): ActivationFunction {
    return this.context.activation(this.get(key), this.path(key));
  }

  /** Throws unless an array of `shape` may be allocated (at most MAX_LAYER_ELEMENTS numbers). */
  checkSize(key: string, shape: Shape): number {
    const n = shape.reduce((a, b) => a * b, 1);
    if (n > MAX_LAYER_ELEMENTS) {
      this.fail(`${this.path(key)} declares ${formatShape(shape)} = ${n} numbers, more than the ${MAX_LAYER_ELEMENTS} an array may hold; the file is corrupted or not a smolml model`);
    }
    return n;
  }

  /**
   * The flat, row-major numbers of an array of `shape`: the saved array must hold exactly that
   * many finite numbers (within `range` when given). Returns the saved array itself (no copy).
   */
  numbers(key: string, shape: Shape, range?: Interval): number[] {
    const n = this.checkSize(key, shape);
    return checkRow(this.context.op, this.path(key), this.get(key), n, range);
  }

  /** `rows` arrays of `cols` finite numbers (DenseLayer's nested weights); `label` says what sets `rows`. */
  rows(key: string, rows: number, cols: number, label = ''): number[][] {
    this.checkSize(key, [rows, cols]);
    const v = this.get(key);
    if (!Array.isArray(v) || v.length !== rows) {
      this.fail(`${this.path(key)} must be an array of ${rows} rows${label === '' ? '' : ` (${label})`}, got ${Array.isArray(v) ? `${v.length} rows` : describeValue(v)}`);
    }
    v.forEach((row: unknown, r: number) => checkRow(this.context.op, `${this.path(key)}[${r}]`, row, cols));
    return v as number[][];
  }
}

/** Checks that `v` is an array of `length` finite numbers (in `range`), without copying anything. */
export function checkRow(op: string, path: string, v: unknown, length: number, range?: Interval): number[] {
  if (!Array.isArray(v)) throw new ValueError(`${op}: ${path} must be an array of ${length} numbers, got ${describeValue(v)}`);
  if (v.length !== length) throw new ValueError(`${op}: ${path} has ${v.length} numbers, expected ${length}`);
  for (let j = 0; j < length; j++) {
    const x: unknown = v[j];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new ValueError(`${op}: ${path}[${j}] must be a finite number, got ${describeValue(x)}`);
    if (range !== undefined && !inInterval(x, range)) checkNumber(op, `${path}[${j}]`, x, range);
  }
  return v as number[];
}
