/**
 * fromOnnx on models exported by torch.onnx.export (opsets 13 and 17): the imported network
 * predicts what PyTorch computed, in float64 (PyTorch's model.double() with the same float32
 * weights) to 1e-12 and against PyTorch's float32 run to float32 precision, for batches of 5
 * and 1. Models whose layers @smolml/nn lacks today are covered by read-onnx.test.ts.
 */
import { MLArray, ValueError } from '@smolml/core';
import { binaryCrossEntropy, categoricalCrossEntropy, mseLoss } from '@smolml/losses';
import { DenseLayer } from '@smolml/nn';
import { Adam } from '@smolml/optim';
import { describe, expect, it } from 'vitest';
import { fromOnnx } from '../../src/index.js';
import { OPSETS, expectClose, rows, torchFixture, torchModel } from '../fixtures.js';

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
      expect(net.layers.map((l) => l.toString())).toEqual(['DenseLayer(5 -> 8, relu)', 'DenseLayer(8 -> 3, linear)']);
      expectClose(net.predict(f.input), f.output64, 1e-12, 1e-14);
    }
  });
});

describe('the imported network', () => {
  it('has smolml layouts: (in, out) weights (PyTorch Linear weights transposed), (1, out) biases', () => {
    const f = torchFixture('mlp_relu');
    const net = fromOnnx(torchModel('mlp_relu', 17));
    const dense = f.params.filter((p) => p.kind === 'dense');
    net.layers.forEach((layer, i) => {
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
    expect(fromOnnx(torchModel('mlp_leakyrelu', 13)).layers[0]!.activationName).toBe('leakyRelu');
    expect(fromOnnx(torchModel('mlp_elu', 13)).layers[0]!.activationName).toBe('elu');
    const custom = fromOnnx(torchModel('mlp_leakyrelu02', 13)).layers[0]!;
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
