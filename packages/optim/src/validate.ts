/**
 * Argument checks shared by the optimizers, schedules and clipGradNorm. Every message names the
 * function and the offending value.
 */
import { MLArray, ValueError } from '@smolml/core';

/** Throws unless `options` is an object whose keys are all in `known` (catches typos like `learningRate`). */
export function checkOptions(op: string, options: unknown, known: readonly string[]): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValueError(`${op}: options must be an object, got ${options === null ? 'null' : typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new ValueError(`${op}: unknown option '${key}'; known options: ${known.join(', ')}`);
  }
}

/** A finite number in the interval described by `lo`, `hi` and whether each end is included. */
export function checkNumber(op: string, name: string, x: unknown, lo: number, hi: number, loOpen: boolean, hiOpen: boolean): number {
  const ok = typeof x === 'number' && Number.isFinite(x) && (loOpen ? x > lo : x >= lo) && (hiOpen ? x < hi : x <= hi);
  if (!ok) {
    const range = `${loOpen ? '(' : '['}${lo}, ${hi}${hiOpen ? ')' : ']'}`;
    throw new ValueError(`${op}: ${name} must be a finite number in ${range}, got ${String(x)}`);
  }
  return x;
}

/** A finite number > 0. */
export function checkPositive(op: string, name: string, x: unknown): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0) {
    throw new ValueError(`${op}: ${name} must be a finite number > 0, got ${String(x)}`);
  }
  return x;
}

/** Throws unless `params` is an array of distinct MLArrays (a repeated array would be updated twice). */
export function checkParams(op: string, params: readonly MLArray[]): void {
  if (!Array.isArray(params)) throw new ValueError(`${op}: params must be an array of MLArrays, got ${typeof params}`);
  for (let i = 0; i < params.length; i++) {
    if (!(params[i] instanceof MLArray)) throw new ValueError(`${op}: params[${i}] is not an MLArray`);
    // O(n^2) but allocation-free; n is the number of parameter arrays (2 per layer).
    if (params.indexOf(params[i]!) !== i) throw new ValueError(`${op}: params[${i}] is the same array as params[${params.indexOf(params[i]!)}]; pass each parameter once`);
  }
}
