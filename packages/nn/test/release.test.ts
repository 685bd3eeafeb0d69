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
import { Adam, SGD } from '@smolml/optim';
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

/** Every array the steps took was given back, exactly once. */
function expectAllReleased(spy: ReturnType<typeof spyBackend>): void {
  expect(spy.made.size).toBeGreaterThan(0);
  expect(spy.released).toHaveLength(spy.made.size);
  expect(new Set(spy.released)).toEqual(spy.made);
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
    expectAllReleased(spy);
  });

  it("and the optimizer's state, lent to a backend with update kernels for the run, comes back the same numbers", () => {
    // Adam's m and v, their spares and its pending update, on a backend that declines every update
    const plain = net();
    const withAdam = (n: NeuralNetwork) => new NeuralNetwork(n.layers, mseLoss, new Adam({ lr: 0.01 }));
    setBackend(jsBackend);
    const reference = withAdam(plain);
    reference.train(x, y, { epochs: 2, batchSize: 8 });
    const spy = { ...spyBackend(), updateKernels: {} };
    setBackend(spy);
    const lent = withAdam(net());
    lent.train(x, y, { epochs: 2, batchSize: 8 });
    expectAllReleased(spy);
    const stepsOnly = spyBackend(); // without update kernels nothing is lent: only the steps' buffers
    setBackend(stepsOnly);
    withAdam(net()).train(x, y, { epochs: 2, batchSize: 8 });
    expect(spy.made.size - stepsOnly.made.size).toBe(5 * lent.parameters().length); // m, v, their spares, the pending update
    // the state is back in ordinary arrays, with the numbers it had: training on continues exactly
    setBackend(jsBackend);
    reference.train(x, y, { epochs: 1, batchSize: 8 });
    lent.train(x, y, { epochs: 1, batchSize: 8 });
    expect(lent.optimizer instanceof Adam && (lent.optimizer as Adam).toJSON(lent.parameters())).toEqual((reference.optimizer as Adam).toJSON(reference.parameters()));
    lent.parameters().forEach((p, i) => expect([...p.data]).toEqual([...reference.parameters()[i]!.data]));
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
