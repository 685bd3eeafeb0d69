import { expect } from 'vitest';
import { MLArray } from '@smolml/core';

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
    const ok = Math.abs(a - e) <= atol + rtol * Math.abs(e) || a === e;
    if (!ok) expect.fail(`${label}[${i}]: got ${a}, expected ${e} (rtol ${rtol}, atol ${atol})`);
  }
}

/** Value and gradient wrt yPred of loss(yPred, yTrue). */
export function valueAndGrad(loss: (p: MLArray, t: MLArray) => MLArray, yPred: ArrayLike<number>, shape: number[], yTrue: MLArray): { value: number; grad: Float64Array; shape: readonly number[] } {
  const p = MLArray.from(Array.from(yPred), { shape, requiresGrad: true });
  const out = loss(p, yTrue);
  out.backward();
  return { value: out.item(), grad: p.grad!.data, shape: out.shape };
}
