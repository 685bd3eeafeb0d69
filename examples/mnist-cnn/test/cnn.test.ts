import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Backend, getBackend, setBackend } from '@smolml/core';
import { NeuralNetwork } from '@smolml/nn';
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
      [5, 12, 28, 28], [5, 12, 28, 28], [5, 12, 28, 28], [5, 12, 14, 14],
      [5, 24, 14, 14], [5, 24, 14, 14], [5, 24, 14, 14], [5, 24, 7, 7],
      [5, 1176], [5, 1176], [5, 64], [5, 64], [5, 10],
    ]);
    // conv weights and biases, BatchNorm gamma and beta, dense weights and biases
    expect(net.parameterCount).toBe(12 * 9 + 12 + 2 * 12 + 24 * 12 * 9 + 24 + 2 * 24 + 1176 * 64 + 64 + 64 * 10 + 10);
  });

  it('a short run on a subset (two epochs of 1,800 digits) reaches >= 80% test accuracy and saves a reloadable model', async () => {
    const r = await run({ trainSize: 2000, testSize: 500, epochs: 2, quiet: true, outDir: dir });
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.8); // 0.834 with these seeds (a reduced budget: the full run trains 8 epochs of 7,200)
    expect(r.history.valAccuracy).toHaveLength(2);
    expect(r.batchLosses).toHaveLength(2 * Math.ceil(1800 / 64));
    expect(r.batchLosses.at(-1)!).toBeLessThan(r.batchLosses[0]! / 3);
    expect(existsSync(r.files.svg!)).toBe(true);
    const text = readFileSync(r.files.model!, 'utf8');
    expect(JSON.parse(text).layers.map((l: { type: string }) => l.type)).toEqual([
      'conv2d', 'batchNorm', 'activation', 'maxPool2d', 'conv2d', 'batchNorm', 'activation', 'maxPool2d', 'flatten', 'dropout', 'dense', 'dropout', 'dense',
    ]);
    const reloaded = NeuralNetwork.fromJSON(text);
    expect(Array.from(reloaded.predict(r.test.X).data)).toEqual(Array.from(r.net.predict(r.test.X).data));
  }, 300_000); // about 30 s on a quiet two-core machine; the shared CI machine can be several times slower
});
