/**
 * A CNN with BatchNorm trained by NeuralNetwork.train follows PyTorch step by step (fixture
 * `cnn_sgd_train` of layers-extra.json): losses, parameters, running statistics, predictions.
 */
import { readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import { SGD } from '@smolml/optim';
import { Activation, BatchNorm, Conv2D, DenseLayer, Flatten, MaxPool2D, NeuralNetwork } from '../../src/index.js';
import { type FixtureTensor, expectClose, fromFixture } from '../helpers.js';

type Params = Record<'conv_w' | 'conv_b' | 'gamma' | 'beta' | 'dense_w' | 'dense_b', FixtureTensor>;
interface TrainCase {
  name: string;
  initial_params: Params;
  final_params: Params;
  x: FixtureTensor;
  y: number[];
  loss_per_step: number[];
  running_mean: FixtureTensor;
  running_var: FixtureTensor;
  predict: FixtureTensor;
}

const { cases } = JSON.parse(readFileSync(new URL('../fixtures/layers-extra.json', import.meta.url), 'utf8')) as { cases: TrainCase[] };
const c = cases.find((k) => k.name === 'cnn_sgd_train')!;
const RTOL = 1e-7;
const ATOL = 1e-9;

describe('training a CNN with BatchNorm', () => {
  it('follows PyTorch: per-step losses, final parameters, running statistics, predictions', () => {
    const conv = new Conv2D(1, 3, 3, { padding: 1 });
    const bn = new BatchNorm(3);
    const dense = new DenseLayer(27, 3);
    const net = new NeuralNetwork([conv, bn, new Activation('relu'), new MaxPool2D(2), new Flatten(), dense], 'sparseCategoricalCrossEntropyFromLogits', new SGD({ lr: 0.1 }), {
      inputShape: [1, 6, 6],
    });
    const arrays = (): Record<keyof Params, Float64Array> => ({
      conv_w: conv.weights.data, conv_b: conv.biases!.data, gamma: bn.gamma.data, beta: bn.beta.data, dense_w: dense.weights.data, dense_b: dense.biases.data,
    });
    for (const [k, t] of Object.entries(c.initial_params)) arrays()[k as keyof Params].set(t.data);
    const losses: number[] = [];
    net.train(fromFixture(c.x), c.y, { epochs: 3, batchSize: 4, callbacks: { onBatchEnd: (_s, logs) => losses.push(logs.loss) } });
    expectClose(losses, c.loss_per_step, RTOL, ATOL, 'loss per step');
    for (const [k, t] of Object.entries(c.final_params)) expectClose(arrays()[k as keyof Params], t.data, RTOL, ATOL, k);
    expectClose(bn.runningMean.data, c.running_mean.data, RTOL, ATOL, 'runningMean');
    expectClose(bn.runningVar.data, c.running_var.data, RTOL, ATOL, 'runningVar');
    expectClose(net.predict(fromFixture(c.x)).data, c.predict.data, RTOL, ATOL, 'predict (inference mode)');
  });
});
