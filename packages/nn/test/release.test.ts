/**
 * The compiled steps of a `train` or `fit` call give their buffers back to the backend when the
 * call ends, however it ends: a backend with memory of its own (@smolml/wasm's shared memory on
 * threads, which its `allocate` hands out) then reuses it at once, even in a synchronous loop of
 * `train` calls, where garbage-collection callbacks cannot run.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type RecordingAllocator, recordingAllocator } from '@smolml/test-utils';
import { type Backend, MLArray, createRng, getBackend, jsBackend, setBackend } from '@smolml/core';
import { mseLoss } from '@smolml/losses';
import { SGD } from '@smolml/optim';
import { DenseLayer } from '../src/layers/dense.js';
import { NeuralNetwork } from '../src/network.js';

/** jsBackend plus an allocate and a release that record the arrays they see. */
const spyBackend = (): Backend & RecordingAllocator => ({ name: 'allocate-spy', gemm: jsBackend.gemm, ...recordingAllocator() });

const before = getBackend();
afterEach(() => setBackend(before));

const rng = createRng(4);
const x = MLArray.randn([30, 3], rng);
const y = MLArray.randn([30, 2], rng);
const net = () => new NeuralNetwork([new DenseLayer(3, 8, 'tanh', { seed: 1 }), new DenseLayer(8, 2, 'linear', { seed: 2 })], mseLoss, new SGD({ lr: 0.05 }));

/**
 * Every array the steps took was given back, exactly once. The only arrays kept are the SGD
 * optimizers' pending updates (one per parameter, which the optimizer keeps between steps and
 * calls: its state, not the step's), `nets` networks' worth.
 */
function expectAllReleased(spy: ReturnType<typeof spyBackend>, nets = 1): void {
  expect(spy.made.size).toBeGreaterThan(0);
  expect(new Set(spy.released).size).toBe(spy.released.length);
  for (const a of spy.released) expect(spy.made.has(a)).toBe(true);
  const kept = [...spy.made].filter((a) => !spy.released.includes(a));
  const sizes = net().parameters().map((p) => p.size);
  expect(kept.map((a) => a.length).sort((p, q) => p - q)).toEqual(Array.from({ length: nets }, () => sizes).flat().sort((p, q) => p - q));
}

describe('train and fit give their compiled steps back to the backend', () => {
  it('when train returns (a full batch and a smaller last one: two steps)', () => {
    const spy = spyBackend();
    setBackend(spy);
    net().train(x, y, { epochs: 3, batchSize: 8 });
    expectAllReleased(spy);
  });

  it('when train throws from a callback', () => {
    const spy = spyBackend();
    setBackend(spy);
    expect(() =>
      net().train(x, y, {
        epochs: 3,
        batchSize: 8,
        callbacks: {
          onBatchEnd: (step) => {
            if (step === 5) throw new Error('stop here');
          },
        },
      }),
    ).toThrow('stop here');
    expectAllReleased(spy);
  });

  it('when fit resolves, and when it is aborted', async () => {
    const spy = spyBackend();
    setBackend(spy);
    await net().fit(x, y, { epochs: 2, batchSize: 8 });
    expectAllReleased(spy);
    const controller = new AbortController();
    const aborted = net().fit(x, y, {
      epochs: 5,
      batchSize: 8,
      signal: controller.signal,
      callbacks: {
        onBatchEnd: (step) => {
          if (step === 6) controller.abort();
        },
      },
    });
    await expect(aborted).rejects.toThrow();
    expectAllReleased(spy, 2);
  });

  it('gives the same numbers as with ordinary buffers', () => {
    setBackend(jsBackend);
    const plain = net();
    plain.train(x, y, { epochs: 3, batchSize: 8 });
    setBackend(spyBackend());
    const spied = net();
    spied.train(x, y, { epochs: 3, batchSize: 8 });
    spied.parameters().forEach((p, i) => {
      const q = plain.parameters()[i]!;
      for (let k = 0; k < p.size; k++) if (!Object.is(p.data[k], q.data[k])) expect.fail(`parameter ${i}[${k}]: ${p.data[k]} vs ${q.data[k]}`);
    });
  });
});
