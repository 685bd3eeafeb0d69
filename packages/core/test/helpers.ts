import { expect } from 'vitest';
import { MLArray, SmolMLError } from '../src/index.js';

export interface FixtureTensor { shape: number[]; data: number[] }

export function fromFixture(t: FixtureTensor, requiresGrad = false): MLArray {
  return MLArray.from(t.data, { shape: t.shape, requiresGrad });
}

/** numpy.allclose-style check with a readable failure message. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-9, atol = 1e-12, label = ''): void {
  expect(actual.length, `${label} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const ok = Math.abs(a - e) <= atol + rtol * Math.abs(e) || (Number.isNaN(a) && Number.isNaN(e)) || a === e;
    if (!ok) expect.fail(`${label}[${i}]: got ${a}, expected ${e} (rtol ${rtol}, atol ${atol})`);
  }
}

/** Expects `fn` to throw a smolml error of `type` whose message matches `message`. */
export function expectError(fn: () => unknown, type: new (...a: never[]) => Error, message: RegExp | string): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected an error').toBeInstanceOf(type);
  expect(caught).toBeInstanceOf(SmolMLError);
  expect((caught as Error).message).toMatch(message);
}
