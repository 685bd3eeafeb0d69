/**
 * The one argument check of this package without a twin in `@smolml/core/internal`: a list of
 * parameter arrays, each an MLArray, none repeated.
 */
import { MLArray, ValueError } from '@smolml/core';
import { describeValue } from '@smolml/core/internal';

/** Throws unless `params` is an array of distinct MLArrays (a repeated array would be updated twice). */
export function checkParams(op: string, params: readonly MLArray[]): void {
  if (!Array.isArray(params)) throw new ValueError(`${op}: params must be an array of MLArrays, got ${describeValue(params)}`);
  for (let i = 0; i < params.length; i++) {
    if (!(params[i] instanceof MLArray)) throw new ValueError(`${op}: params[${i}] is not an MLArray, got ${describeValue(params[i])}`);
    // O(n^2) but allocation-free; n is the number of parameter arrays (2 per layer).
    if (params.indexOf(params[i]!) !== i) throw new ValueError(`${op}: params[${i}] is the same array as params[${params.indexOf(params[i]!)}]; pass each parameter once`);
  }
}
