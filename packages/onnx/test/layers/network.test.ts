import { MLArray, ValueError } from '@smolml/core';
import { mseLoss } from '@smolml/losses';
import { DenseLayer, NeuralNetwork, elu, leakyRelu, relu } from '@smolml/nn';
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
      new ValueError("toOnnx: layer 1 (type 'scale') has no ONNX mapping; @smolml/onnx exports dense layers. Replace the layer with built-in ones, or export the parts before and after it separately"),
    );
    // a layer that claims to be dense but is not a DenseLayer
    expect(() => networkToSpecs([{ type: 'dense' }], 'toOnnx')).toThrow(/layer 0 \(\[object Object\]\) has no ONNX mapping/);
    expect(() => networkToSpecs([42], 'toOnnx')).toThrow(/layer 0 \(type 42\) has no ONNX mapping/);
  });
});

describe('specsToLayers', () => {
  const build = (layers: LayerSpec[], inputShape: ModelSpec['inputShape'] = [2]) => specsToLayers({ inputShape, layers }, 'fromOnnx');

  it('folds each activation into the dense layer before it, across dropouts', () => {
    const layers = build([dense(2, 3), { kind: 'dropout', p: 0.2 }, { kind: 'activation', name: 'tanh' }, dense(3, 1), { kind: 'dropout', p: 0.5 }]);
    expect(layers.map(String)).toEqual(['DenseLayer(2 -> 3, tanh)', 'DenseLayer(3 -> 1, linear)']);
    expect(Array.from(layers[0]!.biases.data)).toEqual([0.1, 0.1, 0.1]);
    expect(layers[0]!.biases.shape).toEqual([1, 3]);
  });

  it('drops a flatten of (batch, features); the network predicts with the given weights', () => {
    const layers = build([{ kind: 'flatten' }, dense(2, 1, 2)]);
    const net = new NeuralNetwork(layers, mseLoss);
    expect(net.predict([[1, 3]]).toArray()).toEqual([[8.1]]);
  });

  it("kinds whose @smolml/nn layer does not exist yet: ValueError naming the layer and the class", () => {
    expect(() => build([{ kind: 'flatten' }, dense(4, 1)], [1, 2, 2])).toThrow(/fromOnnx: layer 0 \(flatten\) needs @smolml\/nn's Flatten layer/);
    expect(() => build([dense(2, 2), { kind: 'activation', name: 'relu' }, { kind: 'activation', name: 'sigmoid' }])).toThrow(/layer 2 \(activation\) needs @smolml\/nn's Activation layer/);
    expect(() => build([{ kind: 'layernorm', gamma: MLArray.ones([2]), beta: MLArray.zeros([2]), eps: 1e-5 }, dense(2, 1)])).toThrow(/LayerNorm layer/);
    expect(() => build([{ kind: 'dropout', p: 0.1 }])).toThrow(/the model has no layer with weights \(only dropout\)/);
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
