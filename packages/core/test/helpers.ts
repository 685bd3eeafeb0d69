import type { FixtureTensor } from '@smolml/test-utils';
import { MLArray } from '../src/index.js';

/** A fixture tensor as an MLArray. */
export function fromFixture(t: FixtureTensor, requiresGrad = false): MLArray {
  return MLArray.from(t.data, { shape: t.shape, requiresGrad });
}
