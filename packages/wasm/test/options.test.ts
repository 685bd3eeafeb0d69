/** createWasmBackend's options: defaults, and clear ValueErrors for bad values. */
import { describe, expect, it } from 'vitest';
import { ValueError } from '@smolml/core';
import { createWasmBackend } from '../src/index.js';

describe('createWasmBackend options', () => {
  it('null and undefined mean defaults', async () => {
    for (const o of [undefined, null, {}]) {
      const b = await createWasmBackend(o);
      expect([b.name, b.threads, b.precision, b.threadsNote, b.fma, b.fmaNote]).toEqual(['wasm-simd', 1, 'float64', undefined, false, undefined]);
    }
  });

  it.each([
    [{ thread: 2 }, /unknown option 'thread'; did you mean 'threads'\?/],
    [{ precision: 'float16' }, /precision must be 'float64' or 'float32', got "float16" \(string\)/],
    [{ precision: 'Float32' }, /did you mean 'float32'\?/],
    [{ threads: 0 }, /threads/],
    [{ threads: 1.5 }, /threads/],
    [{ threads: '2' }, /threads/],
    [{ threads: 65 }, /threads must be at most 64, got 65/],
    [{ minWork: -1 }, /minWork/],
    [{ minWork: Number.NaN }, /minWork/],
    [{ fma: 'yes' }, /fma must be true or false, got "yes" \(string\)/],
    [{ fma: 1 }, /fma must be true or false, got 1/],
    [{ fmad: true }, /unknown option 'fmad'; did you mean 'fma'\?/],
  ])('%j throws a ValueError', async (options, message) => {
    const error = await createWasmBackend(options as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValueError);
    expect((error as Error).message).toMatch(/^createWasmBackend/);
    expect((error as Error).message).toMatch(message);
  });
});
