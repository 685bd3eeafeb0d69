import { describe, expect, it } from 'vitest';
import { MLArray, createRng } from '@smolml/core';
import { XavierUniform } from '@smolml/init';
import { mseLoss } from '@smolml/losses';
import { Adam } from '@smolml/optim';
import { DenseLayer, NeuralNetwork } from '../src/index.js';

/** Heap in use after full garbage collections (the config runs workers with --expose-gc). */
function heapAfterGC(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') throw new Error('memory test needs node --expose-gc (see vitest.config.ts)');
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

describe('memory', () => {
  it('100,000 training steps do not grow the heap (graphs are released every step)', () => {
    const rng = createRng(0);
    const net = new NeuralNetwork(
      [new DenseLayer(2, 4, 'tanh', new XavierUniform(), { rng }), new DenseLayer(4, 1, 'linear', new XavierUniform(), { rng })],
      mseLoss,
      new Adam({ lr: 1e-3 }),
    );
    const X = MLArray.from([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const y = MLArray.from([[0], [1], [1], [0]]);
    // batch of 2: 2 steps per epoch; warm up first so lazily created state is in the baseline
    net.train(X, y, { epochs: 500, batchSize: 2 });
    const before = heapAfterGC();
    let steps = 0;
    for (let chunk = 0; chunk < 10; chunk++) {
      net.train(X, y, { epochs: 5000, batchSize: 2, callbacks: { onBatchEnd: () => void steps++ } });
    }
    const after = heapAfterGC();
    expect(steps).toBe(100_000);
    expect(net.parameters().every((p) => p.grad === null && p.data.every(Number.isFinite))).toBe(true);
    expect((after - before) / before).toBeLessThan(0.2);
  });
});
