/**
 * The PyTorch fixtures (test/fixtures/torch/, written by test/fixtures/generate.py with torch
 * 1.13 and onnx 1.12): each model exported at opsets 13 and 17, an input batch, PyTorch's
 * outputs in float32 and float64, and the parameters in smolml's layouts.
 */
import { readFileSync } from 'node:fs';
import { MLArray } from '@smolml/core';
import { DenseLayer, type NeuralNetwork } from '@smolml/nn';

const dir = new URL('./fixtures/torch/', import.meta.url);

export interface TorchParam {
  kind: string;
  [key: string]: { shape: number[]; data: number[] } | number[] | number | string;
}

export interface TorchFixture {
  name: string;
  model: string;
  inputShape: number[];
  ops: Record<'13' | '17', string[]>;
  batch: number;
  outputShape: number[];
  input: MLArray;
  output32: MLArray;
  output64: MLArray;
  params: TorchParam[];
}

export const OPSETS = [13, 17] as const;

export function torchModel(name: string, opset: 13 | 17): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`${name}.opset${opset}.onnx`, dir)));
}

export function torchFixture(name: string): TorchFixture {
  const raw = JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')) as Omit<TorchFixture, 'input' | 'output32' | 'output64'> & {
    input: number[];
    output32: number[];
    output64: number[];
  };
  const inShape = [raw.batch, ...raw.inputShape];
  return {
    ...raw,
    input: MLArray.from(raw.input, { shape: inShape }),
    output32: MLArray.from(raw.output32, { shape: raw.outputShape }),
    output64: MLArray.from(raw.output64, { shape: raw.outputShape }),
  };
}

/** Rows `[from, to)` of a batch. */
export function rows(x: MLArray, from: number, to: number): MLArray {
  return x.take(Array.from({ length: to - from }, (_, i) => from + i));
}

/** max |a - b| / (atol + rtol |b|) <= 1 elementwise, with a readable failure. */
export function expectClose(actual: MLArray, expected: MLArray, rtol: number, atol = 0): void {
  if (actual.shape.join() !== expected.shape.join()) throw new Error(`shape (${actual.shape}) != expected (${expected.shape})`);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.size; i++) {
    const a = actual.data[i]!;
    const e = expected.data[i]!;
    const r = Math.abs(a - e) / (atol + rtol * Math.abs(e));
    if (!(r <= worst)) [worst, at] = [Number.isNaN(r) ? Infinity : r, i];
  }
  if (worst > 1) {
    throw new Error(`element ${at}: ${actual.data[at]} vs expected ${expected.data[at]} (|diff| = ${Math.abs(actual.data[at]! - expected.data[at]!)}, rtol ${rtol}, atol ${atol})`);
  }
}

/** The layers of an imported network, checked to be DenseLayers (fromOnnx returns NeuralNetwork<Layer>). */
export function denseLayers(net: NeuralNetwork): DenseLayer[] {
  return net.layers.map((l, i) => {
    if (!(l instanceof DenseLayer)) throw new Error(`layer ${i} is ${String(l)}, not a DenseLayer`);
    return l;
  });
}
