/**
 * fromOnnx on models exported by torch.onnx.export (opsets 13 and 17): the imported network
 * predicts what PyTorch computed, in float64 (PyTorch's model.double() with the same float32
 * weights) to 1e-12 and against PyTorch's float32 run to float32 precision, for batches of 5
 * and 1: MLPs, CNNs (Conv2d, BatchNorm2d, pooling, a fused Conv + BatchNorm), BatchNorm1d and
 * LayerNorm models. read-onnx.test.ts checks the specs and weights these files hold.
 */
import { MLArray, ValueError } from '@smolml/core';
import { binaryCrossEntropy, categoricalCrossEntropy, mseLoss } from '@smolml/losses';
import { DenseLayer } from '@smolml/nn';
import { Adam } from '@smolml/optim';
import { describe, expect, it } from 'vitest';
import { fromOnnx } from '../../src/index.js';
import { OPSETS, denseLayers, expectClose, rows, torchFixture, torchModel } from '../fixtures.js';

const MLPS = [
  'mlp_relu',
  'mlp_leakyrelu',
  'mlp_leakyrelu02',
  'mlp_elu',
  'mlp_sigmoid',
  'mlp_tanh',
  'mlp_softmax',
  'mlp_matmul_add',
  'mlp_flatten_first',
];

describe('fromOnnx predicts like PyTorch', () => {
  for (const name of MLPS) {
    for (const opset of OPSETS) {
      it(`${name}, opset ${opset}`, () => {
        const f = torchFixture(name);
        const net = fromOnnx(torchModel(name, opset));
        const y = net.predict(f.input);
        expectClose(y, f.output64, 1e-12, 1e-14);
        expectClose(y, f.output32, 1e-4, 1e-6);
        // batch size 1
        expectClose(net.predict(rows(f.input, 2, 3)), rows(f.output64, 2, 3), 1e-12, 1e-14);
      });
    }
  }

  it('reads through a Dropout (ratio and training_mode inputs) and an Identity spliced into the graph', () => {
    const f = torchFixture('mlp_relu');
    for (const opset of OPSETS) {
      const net = fromOnnx(torchModel('mlp_relu_dropout_nodes', opset));
      // the Dropout node before the Relu keeps its place: dense, Dropout, Activation (a Dropout predicts as the identity)
      expect(net.layers.map((l) => l.toString())).toEqual(['DenseLayer(5 -> 8, linear)', 'Dropout(0.3)', 'Activation(relu)', 'DenseLayer(8 -> 3, linear)']);
      expectClose(net.predict(f.input), f.output64, 1e-12, 1e-14);
    }
  });
});

describe('fromOnnx of convolutional and normalized models predicts like PyTorch', () => {
  const cases: [name: string, opsets: readonly (13 | 17)[], layers: string[]][] = [
    [
      'cnn',
      OPSETS,
      ['Conv2D(1 -> 4, 3x3, padding 1, relu)', 'BatchNorm(4)', 'MaxPool2D(2x2)', 'Conv2D(4 -> 6, 3x2, stride [1, 2], padding [1, 0], sigmoid)', 'AvgPool2D(2x2)', 'Flatten()', 'DenseLayer(12 -> 5, softmax)'],
    ],
    // Conv2d + BatchNorm2d fused by the exporter into one Conv; MaxPool2d with padding; x.view(n, -1) read as a flatten
    ['cnn_fused_view', OPSETS, ['Conv2D(3 -> 4, 3x3, stride 2, padding 1, elu)', 'MaxPool2D(3x3, stride 2, padding 1)', 'Flatten()', 'DenseLayer(36 -> 4, custom:leakyRelu(0.1))']],
    // eval-mode Dropout is not exported
    ['mlp_batchnorm_dropout', OPSETS, ['DenseLayer(5 -> 8, linear)', 'BatchNorm(8)', 'Activation(relu)', 'DenseLayer(8 -> 3, linear)']],
    ['mlp_layernorm', [17], ['DenseLayer(6 -> 8, linear)', 'LayerNorm([8])', 'Activation(tanh)', 'DenseLayer(8 -> 2, linear)']],
  ];
  for (const [name, opsets, layers] of cases) {
    // PyTorch's float64 run uses the unfused layers; the file holds the fused weights rounded to float32
    const rtol64 = name === 'cnn_fused_view' ? 1e-5 : 1e-10;
    for (const opset of opsets) {
      it(`${name}, opset ${opset}: batches of 5 and 1`, () => {
        const f = torchFixture(name);
        const net = fromOnnx(torchModel(name, opset));
        expect(net.layers.map(String)).toEqual(layers);
        const y = net.predict(f.input);
        expectClose(y, f.output64, rtol64, rtol64 * 1e-2);
        expectClose(y, f.output32, 1e-4, 1e-6);
        expectClose(net.predict(rows(f.input, 4, 5)), rows(f.output64, 4, 5), rtol64, rtol64 * 1e-2);
      });
    }
  }
});

describe('the imported network', () => {
  it('has smolml layouts: (in, out) weights (PyTorch Linear weights transposed), (1, out) biases', () => {
    const f = torchFixture('mlp_relu');
    const net = fromOnnx(torchModel('mlp_relu', 17));
    const dense = f.params.filter((p) => p.kind === 'dense');
    denseLayers(net).forEach((layer, i) => {
      const p = dense[i]!;
      const w = p.weights as { shape: number[]; data: number[] };
      const b = p.bias as { shape: number[]; data: number[] };
      expect(layer.weights.shape).toEqual(w.shape);
      expect(Array.from(layer.weights.data)).toEqual(w.data);
      expect(layer.biases.shape).toEqual([1, b.shape[0]]);
      expect(Array.from(layer.biases.data)).toEqual(b.data);
      expect(layer.weights.requiresGrad && layer.biases.requiresGrad).toBe(true);
    });
  });

  it('uses the built-in activations by name, and a named function for another alpha', () => {
    expect(denseLayers(fromOnnx(torchModel('mlp_leakyrelu', 13)))[0]!.activationName).toBe('leakyRelu');
    expect(denseLayers(fromOnnx(torchModel('mlp_elu', 13)))[0]!.activationName).toBe('elu');
    const custom = denseLayers(fromOnnx(torchModel('mlp_leakyrelu02', 13)))[0]!;
    expect(custom.activationName).toBe('custom:leakyRelu(0.2)');
    expect(custom.activation(MLArray.from([-1, 2])).toArray()).toEqual([-0.2, 2]);
  });

  it('gets a loss that fits its output (or the one passed) and can be fine-tuned', () => {
    expect(fromOnnx(torchModel('mlp_softmax', 17)).lossFunction).toBe(categoricalCrossEntropy);
    expect(fromOnnx(torchModel('mlp_sigmoid', 17)).lossFunction).toBe(binaryCrossEntropy);
    expect(fromOnnx(torchModel('mlp_relu', 17)).lossFunction).toBe(mseLoss);
    const f = torchFixture('mlp_softmax');
    const optimizer = new Adam({ lr: 0.01 });
    const net = fromOnnx(torchModel('mlp_softmax', 17), { optimizer });
    expect(net.optimizer).toBe(optimizer);
    const y = MLArray.from([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0]]);
    const history = net.train(f.input, y, { epochs: 30 });
    expect(history.loss.at(-1)!).toBeLessThan(history.loss[0]! * 0.8);
    expect(fromOnnx(torchModel('mlp_softmax', 17), { loss: mseLoss }).lossFunction).toBe(mseLoss);
  });

  it('is a plain smolml network: it saves and loads', () => {
    const net = fromOnnx(torchModel('mlp_tanh', 13));
    expect(net.layers.every((l) => l instanceof DenseLayer)).toBe(true);
    const f = torchFixture('mlp_tanh');
    const copy = (net.constructor as typeof import('@smolml/nn').NeuralNetwork).fromJSON(JSON.stringify(net));
    expect(Array.from(copy.predict(f.input).data)).toEqual(Array.from(net.predict(f.input).data));
  });

  it('refuses unknown options and non-byte input with ValueError', () => {
    const bytes = torchModel('mlp_relu', 13);
    expect(() => fromOnnx(bytes, { los: mseLoss } as never)).toThrow(/unknown option 'los'; did you mean 'loss'/);
    expect(() => fromOnnx('model.onnx' as never)).toThrow(ValueError);
    expect(() => fromOnnx([1, 2, 3] as never)).toThrow(/expected the model's bytes as a Uint8Array/);
  });

  it('accepts an ArrayBuffer as well as a Uint8Array (or Node Buffer)', () => {
    const bytes = torchModel('mlp_relu', 13);
    const copy = bytes.slice().buffer;
    const f = torchFixture('mlp_relu');
    expectClose(fromOnnx(copy as never).predict(f.input), f.output64, 1e-12, 1e-14);
  });
});
