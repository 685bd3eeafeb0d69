import { MLArray } from '@smolml/core';
import { describe, expect, it } from 'vitest';
import { DOUBLE_KERNELS, FLOAT_ONLY_KERNELS } from '../../src/export/builder.js';
import type { ActivationKind, LayerKind, ModelSpec } from '../../src/ir.js';
import { writeOnnx } from '../../src/index.js';
import { inspect } from '../models.js';

/** One spec of every kind (and every activation), shaped to chain on (batch, 2, 6, 6). */
const everything: ModelSpec = {
  inputShape: [2, 6, 6],
  layers: [
    { kind: 'conv', weights: MLArray.full([3, 2, 3, 3], 0.1), bias: null, stride: [1, 1], padding: [1, 1] },
    { kind: 'batchnorm', gamma: MLArray.ones([3]), beta: MLArray.zeros([3]), mean: MLArray.zeros([3]), variance: MLArray.ones([3]), eps: 1e-5 },
    ...(['relu', 'leakyRelu', 'elu', 'sigmoid', 'tanh', 'softmax'] as ActivationKind[]).map((name) => ({ kind: 'activation' as const, name })),
    { kind: 'maxpool', kernel: [2, 2], stride: [1, 1], padding: [1, 1] },
    { kind: 'avgpool', kernel: [2, 2], stride: [2, 2] },
    { kind: 'layernorm', gamma: MLArray.ones([3, 3]), beta: MLArray.zeros([3, 3]), eps: 1e-5 },
    { kind: 'dropout', p: 0.5 },
    { kind: 'flatten' },
    { kind: 'dense', weights: MLArray.full([27, 2], 0.5), bias: MLArray.zeros([2]) },
  ],
};

describe('emitters', () => {
  it('the test model holds every spec kind', () => {
    const kinds: LayerKind[] = ['dense', 'conv', 'maxpool', 'avgpool', 'flatten', 'batchnorm', 'layernorm', 'activation', 'dropout'];
    expect(new Set(everything.layers.map((l) => l.kind))).toEqual(new Set(kinds));
  });

  it('every operator any spec exports to is classified as float64-capable or float-only', () => {
    const ops = new Set([13, 17].flatMap((opset) => inspect(writeOnnx(everything, { opset })).nodes.map((n) => n.op)));
    const classified = new Set([...DOUBLE_KERNELS, ...FLOAT_ONLY_KERNELS]);
    expect([...ops].filter((op) => !classified.has(op))).toEqual([]);
    expect(ops.size).toBeGreaterThanOrEqual(15);
  });

  it('writes the attributes of every operator', () => {
    const nodes = inspect(writeOnnx(everything)).nodes;
    const attrs = Object.fromEntries(nodes.map((n) => [n.op, n.attrs]));
    expect(attrs).toEqual({
      Conv: { kernel_shape: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1] },
      BatchNormalization: { epsilon: Math.fround(1e-5) },
      Relu: {},
      LeakyRelu: { alpha: Math.fround(0.01) },
      Elu: { alpha: 1 },
      Sigmoid: {},
      Tanh: {},
      Softmax: { axis: -1 },
      MaxPool: { kernel_shape: [2, 2], strides: [1, 1], pads: [1, 1, 1, 1] },
      AveragePool: { kernel_shape: [2, 2], strides: [2, 2] },
      LayerNormalization: { axis: -2, epsilon: Math.fround(1e-5) },
      Flatten: { axis: 1 },
      Gemm: {},
    });
    expect(nodes.find((n) => n.op === 'Conv')!.inputs).toEqual(['input', 'layer0.weight']); // bias: null -> no third input
  });
});
