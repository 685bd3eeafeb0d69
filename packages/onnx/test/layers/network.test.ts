import { MLArray, ValueError } from '@smolml/core';
import { mseLoss } from '@smolml/losses';
import { type BatchNorm, type Conv2D, DenseLayer, type LayerNorm, NeuralNetwork, elu, leakyRelu, relu } from '@smolml/nn';
import { describe, expect, it } from 'vitest';
import type { LayerSpec, ModelSpec } from '../../src/ir.js';
import { activationFor, activationSpecs } from '../../src/layers/activations.js';
import { networkToSpecs, specsToLayers } from '../../src/layers/network.js';

const dense = (i: number, o: number, fill = 0.5): LayerSpec => ({ kind: 'dense', weights: MLArray.full([i, o], fill), bias: MLArray.full([o], 0.1) });

describe('networkToSpecs', () => {
  it('a DenseLayer is a dense spec with its (in, out) weights and (out) bias, then its activation', () => {
    const layer = new DenseLayer(2, 3, 'elu', undefined, { seed: 4 });
    layer.biases.data.set([1, 2, 3]);
    const specs = networkToSpecs([layer], 'op');
    expect(specs.map((s) => [s.layer, s.where, s.spec.kind])).toEqual([
      [0, 'layer 0 (DenseLayer(2 -> 3, elu))', 'dense'],
      [0, 'layer 0 (DenseLayer(2 -> 3, elu))', 'activation'],
    ]);
    const d = specs[0]!.spec as Extract<LayerSpec, { kind: 'dense' }>;
    expect([d.weights.shape, Array.from(d.weights.data)]).toEqual([[2, 3], Array.from(layer.weights.data)]);
    expect([d.bias.shape, Array.from(d.bias.data)]).toEqual([[3], [1, 2, 3]]);
    expect(specs[1]!.spec).toEqual({ kind: 'activation', name: 'elu', alpha: 1 });
  });

  it('a layer type without an ONNX mapping (a custom registered layer): ValueError naming it', () => {
    const scale = { type: 'scale', forward: (x: MLArray) => x.mul(2), parameters: () => [], toJSON: () => ({ type: 'scale' }) };
    expect(() => networkToSpecs([new DenseLayer(2, 2), scale], 'toOnnx')).toThrow(
      new ValueError("toOnnx: layer 1 (type 'scale') has no ONNX mapping; @smolml/onnx exports dense, conv2d, maxPool2d, avgPool2d, flatten, dropout, batchNorm, layerNorm, activation layers. Replace the layer with built-in ones, or export the parts before and after it separately"),
    );
    // a layer that claims to be dense but is not a DenseLayer
    expect(() => networkToSpecs([{ type: 'dense' }], 'toOnnx')).toThrow(/layer 0 \(\[object Object\]\) has no ONNX mapping/);
    expect(() => networkToSpecs([42], 'toOnnx')).toThrow(/layer 0 \(type 42\) has no ONNX mapping/);
  });
});

describe('specsToLayers', () => {
  const build = (layers: LayerSpec[], inputShape: ModelSpec['inputShape'] = [2]) => specsToLayers({ inputShape, layers }, 'fromOnnx');

  it('folds an activation into the dense layer right before it; keeps dropouts and lone activations as layers', () => {
    const layers = build([dense(2, 3), { kind: 'dropout', p: 0.2 }, { kind: 'activation', name: 'tanh' }, dense(3, 1), { kind: 'activation', name: 'sigmoid' }, { kind: 'dropout', p: 0.5 }]);
    expect(layers.map(String)).toEqual(['DenseLayer(2 -> 3, linear)', 'Dropout(0.2)', 'Activation(tanh)', 'DenseLayer(3 -> 1, sigmoid)', 'Dropout(0.5)']);
    const first = layers[0] as DenseLayer;
    expect(Array.from(first.biases.data)).toEqual([0.1, 0.1, 0.1]);
    expect(first.biases.shape).toEqual([1, 3]);
  });

  it('drops a flatten of (batch, features); the network predicts with the given weights', () => {
    const layers = build([{ kind: 'flatten' }, dense(2, 1, 2)]);
    const net = new NeuralNetwork(layers, mseLoss);
    expect(net.predict([[1, 3]]).toArray()).toEqual([[8.1]]);
  });

  it('every other kind becomes its @smolml/nn layer, with the spec\'s numbers', () => {
    const conv: LayerSpec = { kind: 'conv', weights: MLArray.full([2, 1, 3, 3], 0.25), bias: MLArray.from([1, -1]), stride: [1, 2], padding: [1, 0] };
    const bn: LayerSpec = { kind: 'batchnorm', gamma: MLArray.from([2, 3]), beta: MLArray.from([0.5, -0.5]), mean: MLArray.from([0.1, 0.2]), variance: MLArray.from([4, 9]), eps: 1e-3 };
    const layers = build(
      [
        conv,
        { kind: 'activation', name: 'elu', alpha: 0.5 },
        bn,
        { kind: 'maxpool', kernel: [3, 3], stride: [2, 2], padding: [1, 1] },
        { kind: 'avgpool', kernel: [2, 1], stride: [1, 1] },
        { kind: 'flatten' },
        { kind: 'layernorm', gamma: MLArray.full([4], 2), beta: MLArray.full([4], 1), eps: 1e-4 }, // (2, 2, 1) flattened
        { kind: 'activation', name: 'relu' },
        dense(4, 1),
      ],
      [1, 6, 5],
    );
    expect(layers.map(String)).toEqual([
      'Conv2D(1 -> 2, 3x3, stride [1, 2], padding [1, 0], custom:elu(0.5))',
      'BatchNorm(2, eps 0.001)',
      'MaxPool2D(3x3, stride 2, padding 1)',
      'AvgPool2D(2x1, stride 1)',
      'Flatten()',
      'LayerNorm([4], eps 0.0001)',
      'Activation(relu)',
      'DenseLayer(4 -> 1, linear)',
    ]);
    const c = layers[0] as Conv2D;
    expect([Array.from(c.weights.data), Array.from(c.biases!.data)]).toEqual([Array(18).fill(0.25), [1, -1]]);
    const b = layers[1] as BatchNorm;
    expect([b.gamma, b.beta, b.runningMean, b.runningVar].map((a) => Array.from(a.data))).toEqual([[2, 3], [0.5, -0.5], [0.1, 0.2], [4, 9]]);
    const n = layers[5] as LayerNorm;
    expect([n.normalizedShape, Array.from(n.gamma.data), Array.from(n.beta.data)]).toEqual([[4], Array(4).fill(2), Array(4).fill(1)]);
    // a conv without bias stays without
    expect((build([{ ...conv, bias: null }, { kind: 'flatten' }, dense(2 * 6 * 2, 1)], [1, 6, 5])[0] as Conv2D).biases).toBe(null);
  });

  it('a model without any weights: ValueError', () => {
    expect(() => build([{ kind: 'dropout', p: 0.1 }])).toThrow(/the model has no layer with weights \(only dropout\)/);
    expect(() => build([{ kind: 'maxpool', kernel: [2, 2], stride: [2, 2], padding: [0, 0] }], [1, 4, 4])).toThrow(/no layer with weights \(only maxpool\)/);
  });

  it('checks shapes first: ShapeError naming the layer', () => {
    expect(() => build([dense(2, 3), dense(4, 1)])).toThrow(/fromOnnx: layer 1 \(dense\): expected input of shape \(batch, 4\), received \(\?, 3\)/);
  });
});

describe('activations', () => {
  it('built-in names map to one spec each (none for linear); alphas are the built-ins\'', () => {
    expect(activationSpecs('linear', (x) => x, 'w')).toEqual([]);
    expect(activationSpecs('relu', relu, 'w')).toEqual([{ kind: 'activation', name: 'relu' }]);
    expect(activationSpecs('leakyRelu', leakyRelu, 'w')).toEqual([{ kind: 'activation', name: 'leakyRelu', alpha: 0.01 }]);
    expect(() => activationSpecs('custom:f', (x) => x, 'w at layer 3')).toThrow(/w at layer 3: the activation 'custom:f' is a custom function/);
  });

  it('activationFor: the built-in function for default alphas, a remembered named function otherwise', () => {
    expect(activationFor({ kind: 'activation', name: 'elu', alpha: 1 }).fn).toBe(elu);
    expect(activationFor({ kind: 'activation', name: 'leakyRelu' }).fn).toBe(leakyRelu);
    const { fn, name } = activationFor({ kind: 'activation', name: 'elu', alpha: 0.5 });
    expect([fn.name, name]).toEqual(['elu(0.5)', null]);
    expect(fn(MLArray.from([-1, 1])).toArray()).toEqual([0.5 * (Math.exp(-1) - 1), 1]);
    expect(activationSpecs('custom:elu(0.5)', fn, 'w')).toEqual([{ kind: 'activation', name: 'elu', alpha: 0.5 }]);
  });
});
