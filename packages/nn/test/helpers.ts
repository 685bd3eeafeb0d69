import { expect } from 'vitest';
import { MLArray } from '@smolml/core';
import { DenseLayer, type DenseLayerJSON, type NetworkJSON, type NeuralNetwork } from '../src/index.js';

export interface FixtureTensor { shape: number[]; data: number[] }

export function fromFixture(t: FixtureTensor): MLArray {
  return MLArray.from(t.data, { shape: t.shape });
}

/** numpy.allclose-style comparison with a readable failure message. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number, label = ''): void {
  expect(actual.length, `${label} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) expect.fail(`${label}[${i}]: got ${a}, expected ${e} (rtol ${rtol}, atol ${atol})`);
  }
}

/** Copies of the numbers of some arrays (to compare before/after). */
export function snapshot(arrays: readonly MLArray[]): Float64Array[] {
  return arrays.map((a) => a.data.slice());
}

/** Exact, bit-for-bit equality of float64 data (Object.is: NaN equals NaN, -0 differs from 0). */
export function expectBitIdentical(actual: ArrayLike<number>, expected: ArrayLike<number>, label = ''): void {
  expect(actual.length, `${label} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) expect.fail(`${label}[${i}]: got ${actual[i]}, expected exactly ${expected[i]}`);
  }
}

/** A loaded network whose layers are all DenseLayers (checked), typed as such. */
export function denseNetwork(net: NeuralNetwork): NeuralNetwork<DenseLayer> {
  net.layers.forEach((l, i) => expect(l, `layer ${i}`).toBeInstanceOf(DenseLayer));
  return net as NeuralNetwork<DenseLayer>;
}

/** A saved network made of dense layers only, typed as such. */
export type DenseNetworkJSON = Omit<NetworkJSON, 'layers'> & { layers: DenseLayerJSON[] };
