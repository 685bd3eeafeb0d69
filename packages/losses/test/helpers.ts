import { MLArray } from '@smolml/core';
import type { FixtureTensor } from '@smolml/test-utils';

/** A fixture tensor as an MLArray. */
export function fromFixture(t: FixtureTensor, requiresGrad = false): MLArray {
  return MLArray.from(t.data, { shape: t.shape, requiresGrad });
}

/** Value and gradient wrt yPred of loss(yPred, yTrue). */
export function valueAndGrad(loss: (p: MLArray, t: MLArray) => MLArray, yPred: ArrayLike<number>, shape: number[], yTrue: MLArray): { value: number; grad: Float64Array; shape: readonly number[] } {
  const p = MLArray.from(Array.from(yPred), { shape, requiresGrad: true });
  const out = loss(p, yTrue);
  out.backward();
  return { value: out.item(), grad: p.grad!.data, shape: out.shape };
}
