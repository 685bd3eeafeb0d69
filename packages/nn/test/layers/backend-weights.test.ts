/**
 * Weights live where the backend wants them: a layer built while a backend with `allocate` is
 * set (e.g. @smolml/wasm on threads, whose products read such arrays in place) takes its weights'
 * array from it. The numbers are the initializer's, and training gives the same bits as with
 * ordinary arrays.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Backend, MLArray, createRng, getBackend, jsBackend, setBackend } from '@smolml/core';
import { mseLoss } from '@smolml/losses';
import { SGD } from '@smolml/optim';
import { Conv2D } from '../../src/layers/conv2d.js';
import { DenseLayer } from '../../src/layers/dense.js';
import { NeuralNetwork } from '../../src/network.js';
import { expectBitIdentical } from '../helpers.js';

/** jsBackend plus an allocate whose arrays are views of one buffer of its own, remembered. */
function spyBackend(): Backend & { made: Set<Float64Array> } {
  const made = new Set<Float64Array>();
  const memory = new ArrayBuffer(1 << 20);
  let top = 0;
  return {
    name: 'allocate-spy',
    gemm: jsBackend.gemm,
    made,
    allocate(length: number) {
      const x = new Float64Array(memory, top, length);
      top += length * 8;
      made.add(x);
      return x;
    },
  };
}

const before = getBackend();
afterEach(() => setBackend(before));

function net(seed: number): NeuralNetwork {
  return new NeuralNetwork([new DenseLayer(3, 8, 'tanh', { seed }), new DenseLayer(8, 2, 'linear', { seed: seed + 1 })], mseLoss, new SGD({ lr: 0.1 }));
}

describe("layers' weights and the backend's allocate", () => {
  it('DenseLayer and Conv2D take their weights from it, holding the initializer numbers', () => {
    setBackend(jsBackend);
    const plainDense = new DenseLayer(4, 3, 'relu', { seed: 7 });
    const plainConv = new Conv2D(2, 3, 3, { seed: 8 });
    const spy = spyBackend();
    setBackend(spy);
    const dense = new DenseLayer(4, 3, 'relu', { seed: 7 });
    const conv = new Conv2D(2, 3, 3, { seed: 8 });
    expect(spy.made.has(dense.weights.data)).toBe(true);
    expect(spy.made.has(conv.weights.data)).toBe(true);
    expect(spy.made.has(plainDense.weights.data)).toBe(false);
    expectBitIdentical(dense.weights.data, plainDense.weights.data, 'dense weights');
    expectBitIdentical(conv.weights.data, plainConv.weights.data, 'conv weights');
    expect(dense.weights.requiresGrad).toBe(true);
  });

  it('training gives the bits of weights in ordinary arrays', () => {
    const rng = createRng(3);
    const x = MLArray.randn([32, 3], rng);
    const y = MLArray.randn([32, 2], rng);
    setBackend(jsBackend);
    const plain = net(1);
    plain.train(x, y, { epochs: 4, batchSize: 8 });
    setBackend(spyBackend());
    const placed = net(1);
    placed.train(x, y, { epochs: 4, batchSize: 8 });
    placed.layers.forEach((layer, i) => {
      const [w, p] = [(layer as DenseLayer).weights.data, (plain.layers[i] as DenseLayer).weights.data];
      expectBitIdentical(w, p, `layer ${i} weights`);
    });
  });
});
