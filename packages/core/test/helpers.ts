import type { FixtureTensor } from '@smolml/test-utils';
import { expect } from 'vitest';
import { MLArray, SmolMLError } from '../src/index.js';

/** A fixture tensor as an MLArray. */
export function fromFixture(t: FixtureTensor, requiresGrad = false): MLArray {
  return MLArray.from(t.data, { shape: t.shape, requiresGrad });
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
