import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Backend, getBackend, setBackend } from '@smolml/core';
import { NeuralNetwork } from '@smolml/nn';
import { fromOnnx } from '@smolml/onnx';
import { createWasmBackend } from '@smolml/wasm';
import { buildCnn, run } from '../src/cnn.js';

const dir = mkdtempSync(join(tmpdir(), 'smolml-mnist-cnn-'));
let previous: Backend;
beforeAll(async () => {
  previous = getBackend();
  setBackend(await createWasmBackend()); // as `start` does
});
afterAll(() => {
  setBackend(previous);
  rmSync(dir, { recursive: true, force: true });
});

describe('mnist-cnn example', () => {
  it('shows the shape of every layer before training', () => {
    const net = buildCnn(1, 1e-3, 10);
    expect(net.outputShapes([5, 1, 28, 28])).toEqual([
      [5, 16, 28, 28], [5, 16, 28, 28], [5, 16, 28, 28], [5, 16, 14, 14],
      [5, 32, 14, 14], [5, 32, 14, 14], [5, 32, 14, 14], [5, 32, 7, 7],
      [5, 1568], [5, 128], [5, 128], [5, 10],
    ]);
    // conv weights and biases, BatchNorm gamma and beta, dense weights and biases
    expect(net.parameterCount).toBe(16 * 9 + 16 + 2 * 16 + 32 * 16 * 9 + 32 + 2 * 32 + 1568 * 128 + 128 + 128 * 10 + 10);
  });

  it('a short run on a subset (two epochs of 1,800 digits) reaches >= 80% test accuracy and saves a reloadable model', async () => {
    const r = await run({ trainSize: 2000, testSize: 500, epochs: 2, quiet: true, outDir: dir, onnx: join(dir, 'onnx', 'cnn.onnx') });
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.8); // a reduced budget: the full run trains 10 epochs of 7,200
    expect(r.history.valAccuracy).toHaveLength(2);
    expect(r.batchLosses).toHaveLength(2 * Math.ceil(1800 / 64));
    expect(r.batchLosses.at(-1)!).toBeLessThan(r.batchLosses[0]! / 3);
    expect(existsSync(r.files.svg!)).toBe(true);
    const text = readFileSync(r.files.model!, 'utf8');
    expect(JSON.parse(text).layers.map((l: { type: string }) => l.type)).toEqual([
      'conv2d', 'batchNorm', 'activation', 'maxPool2d', 'conv2d', 'batchNorm', 'activation', 'maxPool2d', 'flatten', 'dense', 'dropout', 'dense',
    ]);
    const reloaded = NeuralNetwork.fromJSON(text);
    expect(Array.from(reloaded.predict(r.test.X).data)).toEqual(Array.from(r.net.predict(r.test.X).data));
    // --onnx: the ONNX model (float32 weights) read back computes the same logits to float32 precision
    const fromFile = fromOnnx(readFileSync(r.files.onnx!));
    const [a, b] = [fromFile.predict(r.test.X), r.net.predict(r.test.X)];
    expect(a.shape).toEqual([500, 10]);
    expect(a.data.every((v, i) => Math.abs(v - b.data[i]!) <= 1e-3 * (1 + Math.abs(b.data[i]!)))).toBe(true);
  }, 300_000); // about 30 s on a quiet two-core machine; the shared CI machine can be several times slower
});
