/**
 * Bad input to the new layers: a typed error naming the layer index and the expected and
 * received shapes, thrown before anything is updated.
 */
import { describe, expect, it } from 'vitest';
import { MLArray, ShapeError, ValueError, createRng } from '@smolml/core';
import { Adam } from '@smolml/optim';
import { AvgPool2D, BatchNorm, Conv2D, DenseLayer, Dropout, Flatten, LayerNorm, MaxPool2D, NeuralNetwork } from '../../src/index.js';
import { snapshot } from '../helpers.js';

const rng = createRng(2);
const cnn = (): NeuralNetwork =>
  new NeuralNetwork([new Conv2D(3, 4, 3, { seed: 1 }), new MaxPool2D(2), new Flatten(), new DenseLayer(16, 2, 'linear', { seed: 1 })], 'sparseCategoricalCrossEntropyFromLogits', new Adam());

describe('errors of the layers', () => {
  it('wrong rank or channel count: ShapeError naming the layer index, expected and received shapes, before any update', () => {
    const net = cnn();
    const before = snapshot(net.parameters());
    const channels = MLArray.randn([4, 1, 6, 6], rng);
    expect(() => net.train(channels, [0, 1, 0, 1])).toThrow(ShapeError);
    expect(() => net.train(channels, [0, 1, 0, 1])).toThrow('layer 0 (Conv2D(3 -> 4, 3x3, linear)): Conv2D.forward: expected input of shape (batch, 3, height, width), received (1, 1, 6, 6): 1 channel where the layer takes 3');
    expect(() => net.predict(MLArray.randn([2, 3, 6], rng))).toThrow('NeuralNetwork.forward: layer 0 (Conv2D(3 -> 4, 3x3, linear)): Conv2D.forward: expected input of shape (batch, 3, height, width), received (2, 3, 6); a single image needs a batch axis');
    expect(() => net.predict(MLArray.randn([2, 3, 8, 8], rng))).toThrow('layer 3 (DenseLayer(16 -> 2, linear)): DenseLayer.forward: expected input of shape (batch, 16), received (2, 36)');
    net.parameters().forEach((p, i) => expect(p.data).toEqual(before[i]));
    // a declared input shape is checked at construction
    expect(() => new NeuralNetwork(cnn().layers.map((l) => l), 'mse', new Adam(), { inputShape: [3, 8, 8] })).toThrow(ShapeError);
    expect(() => new BatchNorm(3).forward(MLArray.zeros([4, 2]))).toThrow('BatchNorm.forward: expected input of shape (batch, 3) or (batch, 3, height, width), received (4, 2): 2 channels where the layer takes 3');
    expect(() => new LayerNorm([2, 3]).forward(MLArray.zeros([4, 3, 2]))).toThrow('LayerNorm.forward: expected input of shape (batch, ..., 2, 3), received (4, 3, 2)');
    expect(() => new Flatten().forward(MLArray.zeros([4]))).toThrow(ShapeError);
    expect(() => new AvgPool2D(2).forward(MLArray.zeros([4, 4, 4]))).toThrow('AvgPool2D.forward: expected input of shape (batch, channels, height, width), received (4, 4, 4)');
  });

  it('a kernel larger than the padded input: ShapeError with both sizes', () => {
    const net = cnn();
    expect(() => net.predict(MLArray.randn([2, 3, 2, 2], rng))).toThrow(
      'NeuralNetwork.forward: layer 0 (Conv2D(3 -> 4, 3x3, linear)): Conv2D.forward: the 3x3 kernel is larger than the input 2x2 (input (2, 3, 2, 2), padding 0x0)',
    );
    expect(() => new Conv2D(1, 1, 5, { padding: 1 }).forward(MLArray.zeros([1, 1, 2, 2]))).toThrow('the 5x5 kernel is larger than the padded input 4x4');
    expect(() => new MaxPool2D(3).forward(MLArray.zeros([1, 1, 2, 5]))).toThrow(ShapeError);
  });

  it('stride 0, padding too large, p outside [0, 1), bad options: ValueError', () => {
    expect(() => new Conv2D(1, 1, 3, { stride: 0 })).toThrow('Conv2D: stride must be an integer >= 1 or a pair [h, w] of them, got 0');
    expect(() => new MaxPool2D(2, { stride: 0 })).toThrow(ValueError);
    expect(() => new AvgPool2D(2, { stride: [1, 0] })).toThrow(ValueError);
    expect(() => new MaxPool2D(2, { padding: 2 })).toThrow(/MaxPool2D: padding 2 must be at most half of the kernel size 2x2/);
    for (const p of [1, -0.1, NaN, 1.5, '0.5']) expect(() => new Dropout(p as number)).toThrow(/^Dropout: p must be/);
    expect(() => new BatchNorm(3, { momentum: 1.5 })).toThrow(ValueError);
    expect(() => new BatchNorm(3, { eps: 0 })).toThrow(ValueError);
    expect(() => new BatchNorm(3, { momentun: 0.1 } as never)).toThrow("did you mean 'momentum'");
    expect(() => new LayerNorm([])).toThrow(ValueError);
    expect(() => new Conv2D(0, 1, 3)).toThrow(ValueError);
  });

  it('BatchNorm with one value per channel in training: ValueError before any update', () => {
    const bn = new BatchNorm(4);
    const net = new NeuralNetwork([new DenseLayer(3, 4, 'relu', { seed: 1 }), bn, new DenseLayer(4, 2, 'linear', { seed: 1 })], 'sparseCategoricalCrossEntropyFromLogits');
    const before = snapshot([...net.parameters(), ...net.buffers()]);
    const X = MLArray.randn([5, 3], rng);
    expect(() => net.train(X, [0, 1, 0, 1, 0], { batchSize: 4 })).toThrow(
      'train: the last batch of each epoch (1 sample: 5 samples, batchSize 4): layer 1 (BatchNorm(4)): BatchNorm.forward: training needs more than one value per channel to compute a variance, received (1, 4) (expected (batch, 4) with batch >= 2); choose a batchSize that leaves no such batch (e.g. 5)',
    );
    expect(() => net.train(X.take([0]), [0])).toThrow(ValueError);
    expect(() => net.forward(X.take([0]), { training: true })).toThrow('NeuralNetwork.forward: layer 1 (BatchNorm(4)): BatchNorm.forward: training needs more than one value per channel');
    [...net.parameters(), ...net.buffers()].forEach((p, i) => expect(p.data).toEqual(before[i]));
    // inference on one sample is fine (running statistics), and 2x2 images of one sample train (4 values per channel)
    expect(net.predict(X.take([0])).shape).toEqual([1, 2]);
    expect(new BatchNorm(2).forward(MLArray.randn([1, 2, 2, 2], rng), { training: true }).shape).toEqual([1, 2, 2, 2]);
    expect(() => new BatchNorm(2).forward(MLArray.randn([1, 2, 1, 1], rng), { training: true })).toThrow(ValueError);
  });

  it('forward options are checked', () => {
    expect(() => cnn().forward(MLArray.zeros([1, 3, 6, 6]), { training: 'yes' } as never)).toThrow('NeuralNetwork.forward: options.training must be true or false');
    expect(() => cnn().forward(MLArray.zeros([1, 3, 6, 6]), { trainng: true } as never)).toThrow("did you mean 'training'");
  });
});
