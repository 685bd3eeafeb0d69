import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { MLArray } from '@smolml/core';

export interface FixtureTensor { shape: number[]; data: number[] }

export interface OptimFixture {
  problem: {
    W0: FixtureTensor;
    b0: FixtureTensor;
    grads: { step: number; gW: FixtureTensor; gb: FixtureTensor }[];
  };
  optimizers: {
    name: string;
    hyperparams: Record<string, number>;
    trajectory: { step: number; W: FixtureTensor; b: FixtureTensor }[];
    final_state_torch: Record<'W' | 'b', Record<string, FixtureTensor | number>>;
  }[];
}

export const fixture = JSON.parse(readFileSync(new URL('./fixtures/optim.json', import.meta.url), 'utf8')) as OptimFixture;

export function fromFixture(t: FixtureTensor, requiresGrad = false): MLArray {
  return MLArray.from(t.data, { shape: t.shape, requiresGrad });
}

/** Fresh W, b parameters of the fixture problem. */
export function problemParams(): [MLArray, MLArray] {
  return [fromFixture(fixture.problem.W0, true), fromFixture(fixture.problem.b0, true)];
}

/** Sets the fixture's gradients of step `t` (1-based) on W and b. */
export function setGrads(W: MLArray, b: MLArray, t: number): void {
  const g = fixture.problem.grads[t - 1]!;
  W.grad = fromFixture(g.gW);
  b.grad = fromFixture(g.gb);
}

/** numpy.allclose-style check with a readable failure message. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-9, atol = 1e-12, label = ''): void {
  expect(actual.length, `${label} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e) || a === e)) expect.fail(`${label}[${i}]: got ${a}, expected ${e} (rtol ${rtol}, atol ${atol})`);
  }
}

export const snapshot = (xs: readonly MLArray[]): number[][] => xs.map((x) => Array.from(x.data));
