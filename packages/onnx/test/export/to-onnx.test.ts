/**
 * toOnnx, checked by running the exported models in ONNX Runtime (onnxruntime-web's WebAssembly
 * build under Node): an MLP of every activation, batches of 1 and 5, in float32 (rtol 1e-4) and
 * in float64 where ONNX Runtime has double kernels; the graph's interface; round trips through
 * fromOnnx; and the errors.
 */
import { MLArray, ShapeError, ValueError, createRng } from '@smolml/core';
import { HeUniform } from '@smolml/init';
import { mseLoss } from '@smolml/losses';
import { type ActivationName, DenseLayer, NeuralNetwork } from '@smolml/nn';
import { describe, expect, it } from 'vitest';
import { fromOnnx, readOnnx, toOnnx, writeOnnx } from '../../src/index.js';
import { DataType, inspect } from '../models.js';
import { denseLayers, expectClose, rows } from '../fixtures.js';
import { runOnnx } from '../ort.js';

const ACTIVATIONS: ActivationName[] = ['linear', 'relu', 'leakyRelu', 'elu', 'sigmoid', 'tanh', 'softmax'];

function mlp(activation: ActivationName | ((x: MLArray) => MLArray), seed = 1): NeuralNetwork<DenseLayer> {
  const rng = createRng(seed);
  const layers = [new DenseLayer(4, 6, activation, new HeUniform(), { rng }), new DenseLayer(6, 3, activation, new HeUniform(), { rng })];
  // non-zero biases, so a bias lost on the way would show
  for (const l of layers) l.biases.data.set(MLArray.randn(l.biases.shape, rng).data);
  return new NeuralNetwork(layers, mseLoss);
}

const X = MLArray.randn([5, 4], createRng(42)).mul(2);

describe('toOnnx: ONNX Runtime computes net.predict', () => {
  for (const act of ACTIVATIONS) {
    it(`MLP with ${act}: float32, batches of 5 and 1`, async () => {
      const net = mlp(act);
      const bytes = toOnnx(net);
      expectClose(await runOnnx(bytes, X), net.predict(X), 1e-4, 1e-6);
      expectClose(await runOnnx(bytes, rows(X, 3, 4)), net.predict(rows(X, 3, 4)), 1e-4, 1e-6);
    });

    if (act === 'elu') continue; // no float64 Elu kernel in ONNX Runtime: see the error test below
    it(`MLP with ${act}: float64, batches of 5 and 1`, async () => {
      const net = mlp(act);
      const bytes = toOnnx(net, { dtype: 'float64' });
      // ONNX stores LeakyRelu's alpha as a float32 attribute: 0.01 becomes 0.0099999998
      const rtol = act === 'leakyRelu' ? 1e-7 : 1e-12;
      expectClose(await runOnnx(bytes, X, 'float64'), net.predict(X), rtol, 1e-15);
      expectClose(await runOnnx(bytes, rows(X, 0, 1), 'float64'), net.predict(rows(X, 0, 1)), rtol, 1e-15);
    });
  }

  it('every opset from 13 to 17 runs and gives the same numbers', async () => {
    const net = mlp('softmax');
    for (let opset = 13; opset <= 17; opset++) {
      expectClose(await runOnnx(toOnnx(net, { opset }), X), net.predict(X), 1e-4, 1e-6);
    }
  });

  it('a network imported with another LeakyRelu alpha exports it back', async () => {
    const net = mlp((x) => x.leakyRelu(0.01)); // custom: cannot export
    expect(() => toOnnx(net)).toThrow(ValueError);
    // via ONNX: build an alpha-0.3 LeakyRelu network from a model with that attribute
    const spec = readOnnx(toOnnx(mlp('leakyRelu'), { dtype: 'float64' }));
    const layers = spec.layers.map((l) => (l.kind === 'activation' ? { ...l, alpha: 0.3 } : l));
    const imported = fromOnnx(writeOnnx({ ...spec, layers }, { dtype: 'float64' }));
    expect(denseLayers(imported)[0]!.activationName).toBe('custom:leakyRelu(0.3)');
    const again = toOnnx(imported);
    const alphas = inspect(again).nodes.filter((n) => n.op === 'LeakyRelu').map((n) => n.attrs['alpha']);
    expect(alphas).toEqual([Math.fround(0.3), Math.fround(0.3)]);
    expectClose(await runOnnx(again, X), imported.predict(X), 1e-4, 1e-6);
  });
});

describe('toOnnx: the model', () => {
  it("has one input 'input' (batch, features) with a symbolic batch, one output 'output', opset 17 and IR 8", () => {
    const m = inspect(toOnnx(mlp('relu')));
    expect(m.irVersion).toBe(8);
    expect(m.opset).toEqual([17]);
    expect(m.inputs).toEqual([{ name: 'input', elemType: DataType.FLOAT, dims: ['batch', 4] }]);
    expect(m.outputs).toEqual([{ name: 'output', elemType: DataType.FLOAT, dims: ['batch', 3] }]);
    expect(m.nodes.map((n) => [n.op, n.inputs, n.outputs])).toEqual([
      ['Gemm', ['input', 'layer0.weight', 'layer0.bias'], ['layer0/Gemm_0']],
      ['Relu', ['layer0/Gemm_0'], ['layer0/Relu_1']],
      ['Gemm', ['layer0/Relu_1', 'layer1.weight', 'layer1.bias'], ['layer1/Gemm_0']],
      ['Relu', ['layer1/Gemm_0'], ['output']],
    ]);
    expect(m.initializers).toEqual([
      { name: 'layer0.weight', dims: [4, 6], dataType: DataType.FLOAT },
      { name: 'layer0.bias', dims: [6], dataType: DataType.FLOAT },
      { name: 'layer1.weight', dims: [6, 3], dataType: DataType.FLOAT },
      { name: 'layer1.bias', dims: [3], dataType: DataType.FLOAT },
    ]);
  });

  it('writes IR 7 for opsets 13 and 14, IR 8 from opset 15, and doubles with dtype float64', () => {
    expect([13, 14, 15, 16, 17].map((opset) => inspect(toOnnx(mlp('relu'), { opset })).irVersion)).toEqual([7, 7, 8, 8, 8]);
    const m = inspect(toOnnx(mlp('relu'), { dtype: 'float64' }));
    expect([...m.inputs, ...m.outputs].map((v) => v.elemType)).toEqual([DataType.DOUBLE, DataType.DOUBLE]);
    expect(m.initializers.every((t) => t.dataType === DataType.DOUBLE)).toBe(true);
  });

  it('softmax along the last axis; leakyRelu and elu with their alphas', () => {
    const attrs = (act: ActivationName) => inspect(toOnnx(mlp(act))).nodes.filter((n) => n.op !== 'Gemm').map((n) => [n.op, n.attrs]);
    expect(attrs('softmax')[0]).toEqual(['Softmax', { axis: -1 }]);
    expect(attrs('leakyRelu')[0]).toEqual(['LeakyRelu', { alpha: Math.fround(0.01) }]);
    expect(attrs('elu')[0]).toEqual(['Elu', { alpha: 1 }]);
    expect(attrs('linear')).toEqual([]);
  });

  it('returns a plain Uint8Array, the same bytes every time', () => {
    const net = mlp('tanh');
    const a = toOnnx(net);
    expect(Object.getPrototypeOf(a)).toBe(Uint8Array.prototype);
    expect(Array.from(toOnnx(net))).toEqual(Array.from(a));
  });
});

describe('fromOnnx(toOnnx(net)) predicts like net', () => {
  for (const act of ACTIVATIONS) {
    it(`${act}: float64 exactly, float32 to float32 precision`, () => {
      const net = mlp(act, 3);
      const back32 = fromOnnx(toOnnx(net));
      expect(denseLayers(back32).map((l) => l.activationName)).toEqual([act, act]);
      expectClose(back32.predict(X), net.predict(X), 1e-5, 1e-7);
      if (act === 'elu') return; // no float64 Elu in ONNX Runtime, so no float64 export
      const back64 = fromOnnx(toOnnx(net, { dtype: 'float64' }));
      expect(Array.from(back64.predict(X).data)).toEqual(Array.from(net.predict(X).data));
    });
  }
});

describe('toOnnx: errors', () => {
  it('a custom activation: ValueError naming the layer and the function', () => {
    const net = new NeuralNetwork([new DenseLayer(4, 2, function swish(x) { return x.mul(x.sigmoid()); })], mseLoss);
    expect(() => toOnnx(net)).toThrow(ValueError);
    expect(() => toOnnx(net)).toThrow(/toOnnx: layer 0 \(DenseLayer\(4 -> 2, custom:swish\)\): the activation 'custom:swish' is a custom function, which has no ONNX form/);
  });

  it("dtype 'float64' with Elu: ValueError naming the layer (ONNX Runtime has no double Elu)", () => {
    expect(() => toOnnx(mlp('elu'), { dtype: 'float64' })).toThrow(
      /toOnnx: layer 0 \(DenseLayer\(4 -> 6, elu\)\) exports to the ONNX operator Elu, which ONNX Runtime runs in float32 only/,
    );
  });

  it('bad options: ValueError; an inputShape that does not fit the first layer: ShapeError', () => {
    const net = mlp('relu');
    expect(() => toOnnx(net, { dtype: 'float16' as never })).toThrow(/dtype must be 'float32' or 'float64'/);
    expect(() => toOnnx(net, { opset: 12 })).toThrow(/opset must be an integer from 13 to 17, got 12/);
    expect(() => toOnnx(net, { opset: 18 })).toThrow(ValueError);
    expect(() => toOnnx(net, { inputShape: [0] })).toThrow(/inputShape must be a non-empty array of positive integers/);
    expect(() => toOnnx(net, { inputShpe: [4] } as never)).toThrow(/unknown option 'inputShpe'; did you mean 'inputShape'/);
    expect(() => toOnnx(net, { inputShape: [5] })).toThrow(ShapeError);
    expect(() => toOnnx(net, { inputShape: [5] })).toThrow(/toOnnx: layer 0 \(DenseLayer\(4 -> 6, relu\)\): expected input of shape \(batch, 4\), received \(\?, 5\)/);
    expect(toOnnx(net, { inputShape: [4] }).length).toBeGreaterThan(0);
  });

  it('not a network, or weights beyond float32 range in a float32 export: ValueError', () => {
    expect(() => toOnnx({ layers: [] } as never)).toThrow(/toOnnx: expected a NeuralNetwork/);
    const net = mlp('relu');
    net.layers[1]!.weights.data[0] = 1e300;
    expect(() => toOnnx(net)).toThrow(/toOnnx: layer 1 \(DenseLayer\(6 -> 3, relu\)\): weight holds 1e\+300, beyond float32's range/);
    expect(toOnnx(net, { dtype: 'float64' }).length).toBeGreaterThan(0);
    net.layers[1]!.weights.data[0] = NaN;
    expect(() => toOnnx(net, { dtype: 'float64' })).toThrow(/toOnnx: layer 1 \(DenseLayer\(6 -> 3, relu\)\): weights holds NaN or Infinity/);
  });
});
