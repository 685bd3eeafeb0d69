/**
 * toOnnx of networks built from @smolml/nn's layers beyond DenseLayer, checked in ONNX Runtime
 * (onnxruntime-web's WebAssembly build under Node): a CNN with BatchNorm trained a little (so
 * its running statistics are not the initial 0 and 1), batches of 1 and 5, float32 to rtol 1e-4;
 * MaxPool2D with padding, AvgPool2D, LayerNorm (LayerNormalization, and its decomposition below
 * opset 17), Dropout (not exported), Activation; float64 where ONNX Runtime has double kernels;
 * the round trip fromOnnx(toOnnx(net)); and the errors.
 */
import { MLArray, ValueError, createRng } from '@smolml/core';
import { Adam } from '@smolml/optim';
import { Activation, AvgPool2D, type Layer, BatchNorm, Conv2D, DenseLayer, Dropout, Flatten, LayerNorm, MaxPool2D, NeuralNetwork, oneHot } from '@smolml/nn';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromOnnx, toOnnx } from '../../src/index.js';
import { expectClose, rows } from '../fixtures.js';
import { inspect } from '../models.js';
import { runOnnx } from '../ort.js';

const rng = createRng(7);
/** 20 images (1, 8, 8) and one-hot labels of 3 classes. */
const IMAGES = MLArray.randn([20, 1, 8, 8], rng);
const LABELS = oneHot(Array.from({ length: 20 }, (_, i) => i % 3), 3);
const X = rows(IMAGES, 0, 5);

function cnn(): NeuralNetwork {
  const r = createRng(3);
  const layers = [
    new Conv2D(1, 4, 3, { padding: 1, activation: 'relu', rng: r }), // (4, 8, 8)
    new BatchNorm(4),
    new MaxPool2D(2), // (4, 4, 4)
    new Conv2D(4, 6, [3, 2], { stride: [1, 2], activation: 'elu', rng: r }), // (6, 2, 2)
    new AvgPool2D(2), // (6, 1, 1)
    new Flatten(),
    new Dropout(0.3, { seed: 1 }),
    new DenseLayer(6, 3, 'softmax', undefined, { rng: r }),
  ];
  return new NeuralNetwork(layers, 'categoricalCrossEntropy', new Adam({ lr: 0.01 }), { inputShape: [1, 8, 8] });
}

let trained: NeuralNetwork;
beforeAll(() => {
  trained = cnn();
  trained.train(IMAGES, LABELS, { epochs: 3, batchSize: 5 });
});

describe('toOnnx of a CNN: ONNX Runtime computes net.predict', () => {
  it('the trained CNN with BatchNorm: float32, batches of 5 and 1', async () => {
    const bn = trained.layers[1] as BatchNorm;
    // trained: the running statistics moved away from 0 and 1
    expect(Array.from(bn.runningMean.data).every((v) => Math.abs(v) > 1e-3)).toBe(true);
    expect(Array.from(bn.runningVar.data).every((v) => Math.abs(v - 1) > 1e-3)).toBe(true);
    const bytes = toOnnx(trained);
    expect(inspect(bytes).nodes.map((n) => n.op)).toEqual(['Conv', 'Relu', 'BatchNormalization', 'MaxPool', 'Conv', 'Elu', 'AveragePool', 'Flatten', 'Gemm', 'Softmax']);
    expect(inspect(bytes).inputs[0]!.dims).toEqual(['batch', 1, 8, 8]); // the network's inputShape
    expectClose(await runOnnx(bytes, X), trained.predict(X), 1e-4, 1e-6);
    expectClose(await runOnnx(bytes, rows(X, 2, 3)), trained.predict(rows(X, 2, 3)), 1e-4, 1e-6);
  });

  it('MaxPool2D with padding, LayerNorm (opsets 17 and 13), Activation layers, a conv without bias, symbolic image size', async () => {
    const r = createRng(11);
    const norm = new LayerNorm([3, 3, 3], { eps: 1e-3 });
    norm.gamma.assign(MLArray.rand([3, 3, 3], r).add(0.5).data);
    norm.beta.assign(MLArray.randn([3, 3, 3], r).data);
    const net = new NeuralNetwork(
      [
        new Conv2D(2, 3, 3, { stride: 2, padding: 1, bias: false, rng: r }), // (3, 5, 5) from 9x9
        new Activation('leakyRelu'),
        new MaxPool2D(3, { stride: 2, padding: 1 }), // (3, 3, 3)
        norm,
        new Activation('tanh'),
        new Flatten(),
        new DenseLayer(27, 2, 'sigmoid', undefined, { rng: r }),
      ],
      'mse',
    );
    const x = MLArray.randn([5, 2, 9, 9], r).mul(2);
    const opset17 = toOnnx(net); // no inputShape: height and width stay symbolic
    expect(inspect(opset17).inputs[0]!.dims).toEqual(['batch', 2, 'height', 'width']);
    expect(inspect(opset17).nodes.map((n) => n.op)).toContain('LayerNormalization');
    const maxPool = inspect(opset17).nodes.find((n) => n.op === 'MaxPool')!;
    expect(maxPool.attrs).toEqual({ kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] });
    expectClose(await runOnnx(opset17, x), net.predict(x), 1e-4, 1e-6);
    expectClose(await runOnnx(opset17, rows(x, 1, 2)), net.predict(rows(x, 1, 2)), 1e-4, 1e-6);
    const opset13 = toOnnx(net, { opset: 13, inputShape: [2, 9, 9] });
    expect(inspect(opset13).nodes.map((n) => n.op)).not.toContain('LayerNormalization');
    expectClose(await runOnnx(opset13, x), net.predict(x), 1e-4, 1e-6);
  });

  it("dtype 'float64' works without Conv/AveragePool/Elu (BatchNorm, MaxPool, LayerNorm, Dropout, Activation) to 1e-12", async () => {
    const r = createRng(5);
    const bn = new BatchNorm(2);
    bn.runningMean.assign([0.3, -0.2]);
    bn.runningVar.assign([2, 0.5]);
    bn.gamma.assign([1.5, -0.7]);
    const net = new NeuralNetwork(
      [bn, new MaxPool2D(2, { padding: 1 }), new Flatten(), new DenseLayer(18, 4, 'linear', undefined, { rng: r }), new LayerNorm(4), new Dropout(0.5), new Activation('relu'), new DenseLayer(4, 2, 'softmax', undefined, { rng: r })],
      'categoricalCrossEntropy',
    );
    const x = MLArray.randn([5, 2, 4, 4], r);
    const bytes = toOnnx(net, { dtype: 'float64', inputShape: [2, 4, 4] });
    expect(inspect(bytes).nodes.map((n) => n.op)).toEqual(['BatchNormalization', 'MaxPool', 'Flatten', 'Gemm', 'LayerNormalization', 'Relu', 'Gemm', 'Softmax']);
    // eps is stored as a float32 attribute: 1e-5 becomes 9.99999975e-6
    expectClose(await runOnnx(bytes, x, 'float64'), net.predict(x), 1e-9, 1e-12);
    expectClose(await runOnnx(bytes, rows(x, 4, 5), 'float64'), net.predict(rows(x, 4, 5)), 1e-9, 1e-12);
  });
});

describe('fromOnnx(toOnnx(cnn)) predicts like the CNN', () => {
  it('same layers (but the Dropout), predictions to float32 precision, and it trains further', () => {
    const back = fromOnnx(toOnnx(trained));
    // Dropout is not exported, so it does not come back
    expect(back.layers.map(String)).toEqual(trained.layers.filter((l) => !(l instanceof Dropout)).map(String));
    expectClose(back.predict(X), trained.predict(X), 1e-5, 1e-7);
    const bn = back.layers[1] as BatchNorm;
    expectClose(bn.runningVar, (trained.layers[1] as BatchNorm).runningVar, 1e-7);
    // the imported network trains further
    const before = back.evaluate(IMAGES, LABELS).loss;
    back.train(IMAGES, LABELS, { epochs: 5, batchSize: 5 });
    expect(back.evaluate(IMAGES, LABELS).loss).toBeLessThan(before);
  });
});

describe('toOnnx of layers: errors', () => {
  it("dtype 'float64' for the CNN: ValueError naming the Conv2D layer (ONNX Runtime has no double Conv)", () => {
    expect(() => toOnnx(trained, { dtype: 'float64' })).toThrow(ValueError);
    expect(() => toOnnx(trained, { dtype: 'float64' })).toThrow(
      /toOnnx: layer 0 \(Conv2D\(1 -> 4, 3x3, padding 1, relu\)\) exports to the ONNX operator Conv, which ONNX Runtime runs in float32 only/,
    );
    const pool = new NeuralNetwork([new AvgPool2D(2), new Flatten(), new DenseLayer(4, 1)], 'mse');
    expect(() => toOnnx(pool, { dtype: 'float64', inputShape: [1, 4, 4] })).toThrow(/layer 0 \(AvgPool2D\(2x2\)\) exports to the ONNX operator AveragePool/);
  });

  it('a custom registered layer without an ONNX mapping: ValueError naming it', () => {
    class Scale implements Layer {
      readonly type = 'scale';
      readonly scale = MLArray.full([1], 2, { requiresGrad: true });
      forward(x: MLArray) {
        return x.mul(this.scale);
      }
      parameters() {
        return [this.scale];
      }
      toJSON() {
        return { type: this.type, scale: this.scale.item() };
      }
      toString() {
        return 'Scale(2)';
      }
    }
    const net = new NeuralNetwork([new Conv2D(1, 2, 3, { seed: 1 }), new Flatten(), new Scale(), new DenseLayer(2 * 6 * 6, 1)], 'mse');
    expect(() => toOnnx(net, { inputShape: [1, 8, 8] })).toThrow(ValueError);
    expect(() => toOnnx(net, { inputShape: [1, 8, 8] })).toThrow(/toOnnx: layer 2 \(type 'scale'\) has no ONNX mapping; @smolml\/onnx exports dense, conv2d, /);
  });
});
