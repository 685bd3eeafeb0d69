import { readFileSync } from 'node:fs';

/** A tensor as the PyTorch reference fixtures write it: flat row-major `data` and its `shape`. */
export interface FixtureTensor {
  shape: number[];
  data: number[];
}

/**
 * Reads and parses a JSON fixture relative to the calling test file.
 * @example
 * const cases = loadFixture<OpCase[]>(import.meta.url, 'fixtures/ops.json');
 */
export function loadFixture<T>(base: string | URL, relativePath: string): T {
  return JSON.parse(readFileSync(new URL(relativePath, base), 'utf8')) as T;
}
