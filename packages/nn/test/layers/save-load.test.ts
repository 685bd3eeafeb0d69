/**
 * Save/load of every built-in layer and of a registered custom layer: predictions after loading
 * are bit-identical, and training resumed from the saved model follows the uninterrupted run
 * exactly (Adam state, Dropout's random-number state, BatchNorm's running statistics).
 */
import { describe, expect, it } from 'vitest';
import { MLArray, ValueError, createRng } from '@smolml/core';
import { Adam } from '@smolml/optim';
import {
  Activation, AvgPool2D, BatchNorm, Conv2D, DenseLayer, Dropout, Flatten, type Layer, type LayerJSON, LayerNorm, MaxPool2D, NeuralNetwork, layerTypes, registerLayer,
} from '../../src/index.js';
import { expectBitIdentical } from '../helpers.js';

function allLayers(): NeuralNetwork {
  const rng = createRng(5);
  return new NeuralNetwork(
    [
      new Conv2D(2, 4, 3, { padding: 1, rng }),
      new BatchNorm(4),
      new Activation('relu'),
      new MaxPool2D(3, { stride: 2, padding: 1 }),
      new Conv2D(4, 3, [2, 1], { stride: [1, 2], bias: false, activation: 'tanh', rng }),
      new AvgPool2D(2, { stride: 1 }),
      new Dropout(0.3, { rng }),
      new Flatten(),
      new LayerNorm(3),
      new DenseLayer(3, 5, 'elu', { rng }),
      new BatchNorm(5, { momentum: 0.3, eps: 1e-3 }),
      new Dropout(0.5, { seed: 9 }),
      new DenseLayer(5, 3, 'linear', { rng }),
    ],
    'sparseCategoricalCrossEntropyFromLogits',
    new Adam({ lr: 0.01 }),
    { inputShape: [2, 6, 6] },
  );
}

const rng = createRng(1);
const X = MLArray.randn([10, 2, 6, 6], rng);
const y = Array.from({ length: 10 }, (_, i) => i % 3);
const opts = { epochs: 2, batchSize: 4, shuffle: true, seed: 3 } as const;

describe('saving and loading every built-in layer', () => {
  it('knows every built-in type', () => {
    expect(layerTypes().slice(0, 9)).toEqual(['dense', 'conv2d', 'maxPool2d', 'avgPool2d', 'flatten', 'dropout', 'batchNorm', 'layerNorm', 'activation']);
  });

  it('gives bit-identical predictions, and resumed training follows the uninterrupted run exactly', () => {
    const net = allLayers();
    net.train(X, y, opts);
    const copy = NeuralNetwork.fromJSON(JSON.stringify(net));
    expect(copy.layers.map(String)).toEqual(net.layers.map(String));
    expectBitIdentical(copy.predict(X).data, net.predict(X).data, 'predictions after load');
    // both continue: dropout masks, batch statistics and Adam's moments must all agree
    const a = net.train(X, y, opts);
    const b = copy.train(X, y, opts);
    expect(b.loss).toEqual(a.loss);
    net.parameters().forEach((p, i) => expectBitIdentical(copy.parameters()[i]!.data, p.data, `parameter ${i}`));
    net.buffers().forEach((p, i) => expectBitIdentical(copy.buffers()[i]!.data, p.data, `buffer ${i}`));
    expectBitIdentical(copy.predict(X).data, net.predict(X).data, 'predictions after resumed training');
    expect(JSON.stringify(copy)).toBe(JSON.stringify(net));
  });

  it('saves the running statistics and the dropout state, not just the weights', () => {
    const net = allLayers();
    net.train(X, y, opts);
    const json = net.toJSON();
    const bn = json.layers[1] as LayerJSON;
    expect(bn.runningMean).toEqual(Array.from((net.layers[1] as BatchNorm).runningMean.data));
    expect((bn.runningMean as number[]).some((v) => v !== 0)).toBe(true);
    const drop = json.layers[6] as LayerJSON;
    expect(drop).toEqual({ type: 'dropout', p: 0.3, rngState: (net.layers[6] as Dropout).rng.getState().slice(0, 4).map((w) => w >>> 0) });
    expect(json.inputShape).toEqual([2, 6, 6]);
  });

  it('refuses corrupted layer fields with the place in the file', () => {
    const json = allLayers().toJSON() as unknown as { layers: Record<string, unknown>[] };
    const bad = (i: number, patch: Record<string, unknown>): object => ({ ...json, layers: json.layers.map((l, k) => (k === i ? { ...l, ...patch } : l)) });
    expect(() => NeuralNetwork.fromJSON(bad(0, { weights: [1, 2] }))).toThrow('NeuralNetwork.fromJSON: layers[0].weights has 2 numbers, expected 72');
    expect(() => NeuralNetwork.fromJSON(bad(1, { runningVar: [1, -1, 1, 1] }))).toThrow(/layers\[1\]\.runningVar\[1\]/);
    expect(() => NeuralNetwork.fromJSON(bad(6, { p: 1 }))).toThrow(/layers\[6\]\.p/);
    expect(() => NeuralNetwork.fromJSON(bad(6, { rngState: [1, 2, 3] }))).toThrow(/layers\[6\]\.rngState must be the 4 words/);
    expect(() => NeuralNetwork.fromJSON(bad(8, { normalizedShape: [7] }))).toThrow(ValueError);
    expect(() => NeuralNetwork.fromJSON(bad(4, { inChannels: 5 }))).toThrow(/layers\[4\]\.weights has 24 numbers, expected 30/);
  });
});

/** A worked custom layer: y = x * s with a trainable scalar s. */
class Scale implements Layer {
  readonly type = 'test-scale';
  readonly s: MLArray;
  constructor(s = 1) {
    this.s = MLArray.from([s], { requiresGrad: true });
  }
  forward(x: MLArray): MLArray {
    return x.mul(this.s);
  }
  parameters(): MLArray[] {
    return [this.s];
  }
  toJSON(): { type: string; s: number } {
    return { type: this.type, s: this.s.item() };
  }
}

describe('custom layers', () => {
  it('save and load once registered, and train in a network', () => {
    const net = new NeuralNetwork([new DenseLayer(3, 2, 'tanh', { seed: 2 }), new Scale(0.5)], 'mse', new Adam({ lr: 0.05 }));
    const Xc = MLArray.randn([6, 3], createRng(4));
    const yc = MLArray.randn([6, 2], createRng(5));
    net.train(Xc, yc, { epochs: 3 });
    expect((net.layers[1] as Scale).s.item()).not.toBe(0.5);
    const saved = JSON.stringify(net);
    expect(() => NeuralNetwork.fromJSON(saved)).toThrow(/layers\[1\]\.type "test-scale" \(string\) is not a known layer type \(built-in: dense, conv2d, maxPool2d, avgPool2d, flatten, dropout, batchNorm, layerNorm, activation; registered: /);
    registerLayer('test-scale', (json) => new Scale(json.s as number));
    expect(layerTypes()).toContain('test-scale');
    const copy = NeuralNetwork.fromJSON(saved);
    expect(copy.layers[1]).toBeInstanceOf(Scale);
    expectBitIdentical(copy.predict(Xc).data, net.predict(Xc).data, 'custom layer predictions');
    expect(copy.train(Xc, yc, { epochs: 2 }).loss).toEqual(net.train(Xc, yc, { epochs: 2 }).loss);
  });

  it('summary probes a custom layer without outputShape', () => {
    const net = new NeuralNetwork([new Flatten(), new Scale(), new DenseLayer(4, 1)], 'mse', new Adam(), { inputShape: [2, 2] });
    expect(net.outputShapes([7, 2, 2])).toEqual([[7, 4], [7, 4], [7, 1]]);
    expect(net.summary()).toMatch(/1 +Scale|1 +type 'test-scale' +\(batch, 4\) +1/);
  });

  it('registry lookups use own entries only, and registration is checked', () => {
    const base = new NeuralNetwork([new Flatten(), new DenseLayer(2, 1)], 'mse').toJSON() as unknown as { layers: unknown[] };
    for (const type of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const json = { ...base, layers: [{ type }, base.layers[1]] };
      expect(() => NeuralNetwork.fromJSON(json)).toThrow(/is not a known layer type/);
    }
    expect(() => registerLayer('dense', () => new Flatten())).toThrow("registerLayer: 'dense' is a built-in layer type and cannot be replaced");
    expect(() => registerLayer('', () => new Flatten())).toThrow(ValueError);
    expect(() => registerLayer('x', 3 as never)).toThrow('registerLayer: fromJSON must be a function');
    registerLayer('test-wrong', () => new Flatten());
    const json = { ...base, layers: [{ type: 'test-wrong' }, base.layers[1]] };
    expect(() => NeuralNetwork.fromJSON(json)).toThrow("layers[0]: the fromJSON registered for 'test-wrong' returned Flatten() of type \"flatten\"");
  });
});
