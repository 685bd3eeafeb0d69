/**
 * writeOnnx on the layer specs readOnnx makes of PyTorch's exports: convolution, pooling,
 * BatchNorm (trained running statistics), LayerNorm (as LayerNormalization at opset 17 and
 * written out with ReduceMean below) and flatten, run in ONNX Runtime, reproduce PyTorch's
 * outputs. This covers the export of every spec kind while @smolml/nn's layers for them are
 * still being written (toOnnx of those layers will go through the same emitters).
 */
import { MLArray, ValueError, createRng } from '@smolml/core';
import { describe, expect, it } from 'vitest';
import { type ModelSpec, readOnnx, writeOnnx } from '../../src/index.js';
import { OPSETS, expectClose, rows, torchFixture, torchModel } from '../fixtures.js';
import { inspect } from '../models.js';
import { runOnnx } from '../ort.js';

describe('writeOnnx(readOnnx(PyTorch export)) runs in ONNX Runtime like PyTorch', () => {
  for (const name of ['cnn', 'cnn_fused_view', 'mlp_batchnorm_dropout']) {
    for (const opset of OPSETS) {
      it(`${name} from opset ${opset}, written at opsets 13 and 17, batches of 5 and 1`, async () => {
        const f = torchFixture(name);
        const spec = readOnnx(torchModel(name, opset));
        for (const out of [13, 17]) {
          const bytes = writeOnnx(spec, { opset: out });
          expectClose(await runOnnx(bytes, f.input), f.output32, 1e-4, 1e-6);
          expectClose(await runOnnx(bytes, rows(f.input, 4, 5)), rows(f.output32, 4, 5), 1e-4, 1e-6);
        }
      });
    }
  }

  it('mlp_batchnorm_dropout in float64 matches PyTorch float64 closely', async () => {
    const f = torchFixture('mlp_batchnorm_dropout');
    const bytes = writeOnnx(readOnnx(torchModel('mlp_batchnorm_dropout', 17)), { dtype: 'float64' });
    // BatchNormalization's epsilon is a float32 attribute (1e-5 -> 9.99999974e-6)
    expectClose(await runOnnx(bytes, f.input, 'float64'), f.output64, 1e-9, 1e-12);
  });

  it('mlp_layernorm: LayerNormalization (opset 17) and its ReduceMean form (opset 13), float32 and float64', async () => {
    const f = torchFixture('mlp_layernorm');
    const spec = readOnnx(torchModel('mlp_layernorm', 17));
    const ops = (opset: number) => inspect(writeOnnx(spec, { opset })).nodes.map((n) => n.op);
    expect(ops(17)).toEqual(['Gemm', 'LayerNormalization', 'Tanh', 'Gemm']);
    expect(ops(13)).toEqual(['Gemm', 'ReduceMean', 'Sub', 'Mul', 'ReduceMean', 'Add', 'Sqrt', 'Div', 'Mul', 'Add', 'Tanh', 'Gemm']);
    for (const opset of [13, 16, 17]) {
      expectClose(await runOnnx(writeOnnx(spec, { opset }), f.input), f.output32, 1e-4, 1e-6);
      expectClose(await runOnnx(writeOnnx(spec, { opset, dtype: 'float64' }), f.input, 'float64'), f.output64, 1e-9, 1e-12);
    }
  });
});

describe('writeOnnx: image models', () => {
  it('without a fixed input size: symbolic height and width, and the model runs on other sizes', async () => {
    const spec = readOnnx(torchModel('cnn_fused_view', 17));
    const conv = spec.layers.slice(0, 3); // conv, elu, maxpool: no flatten, so any size works
    const open: ModelSpec = { inputShape: [3, null, null], layers: conv };
    const m = inspect(writeOnnx(open));
    expect(m.inputs[0]!.dims).toEqual(['batch', 3, 'height', 'width']);
    expect(m.outputs[0]!.dims).toEqual(['batch', 4, null, null]);
    const fixed = inspect(writeOnnx({ inputShape: [3, 9, 9], layers: conv }));
    expect(fixed.outputs[0]!.dims).toEqual(['batch', 4, 3, 3]);
    // 9x9 gives what the full model's first layers give; 13x11 runs too: (13+2-3)/2+1 = 7, maxpool 4
    const x = MLArray.randn([2, 3, 13, 11], createRng(3));
    const y = await runOnnx(writeOnnx(open), x);
    expect(y.shape).toEqual([2, 4, 4, 3]);
  });

  it("dtype 'float64' with a convolution: ValueError naming the layer (ONNX Runtime has no double Conv or AveragePool)", () => {
    const spec = readOnnx(torchModel('cnn', 17));
    expect(() => writeOnnx(spec, { dtype: 'float64' })).toThrow(ValueError);
    expect(() => writeOnnx(spec, { dtype: 'float64' })).toThrow(/writeOnnx: layer 0 \(conv from node '\/0\/Conv' \(Conv\)\) exports to the ONNX operator Conv/);
    const pool = { inputShape: [1, 4, 4], layers: [{ kind: 'avgpool', kernel: [2, 2], stride: [2, 2] }] } as ModelSpec;
    expect(() => writeOnnx(pool, { dtype: 'float64' })).toThrow(/layer 0 \(avgpool\) exports to the ONNX operator AveragePool/);
    const max = { inputShape: [1, 4, 4], layers: [{ kind: 'maxpool', kernel: [2, 2], stride: [2, 2], padding: [1, 1] }] } as ModelSpec;
    expect(inspect(writeOnnx(max, { dtype: 'float64' })).nodes.map((n) => [n.op, n.attrs])).toEqual([
      ['MaxPool', { kernel_shape: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1] }],
    ]);
  });

  it('a model whose first layer does not fix the input shape needs inputShape', () => {
    const spec = readOnnx(torchModel('cnn', 17));
    const afterConv = spec.layers.slice(1);
    expect(() => writeOnnx({ inputShape: undefined as never, layers: afterConv })).toThrow(/the first layers do not fix the input shape/);
    expect(inspect(writeOnnx({ inputShape: [4, 10, 10], layers: afterConv })).outputs[0]!.dims).toEqual(['batch', 5]);
    expect(() => writeOnnx({ inputShape: [4, 12, 12], layers: afterConv })).toThrow(/layer 7 \(dense from node '\/8\/Gemm' \(Gemm\)\): expected input of shape \(batch, 12\), received \(\?, 18\)/);
  });

  it('a dropout-only model is an Identity from input to output', async () => {
    const bytes = writeOnnx({ inputShape: [3], layers: [{ kind: 'dropout', p: 0.5 }] });
    expect(inspect(bytes).nodes.map((n) => [n.op, n.inputs, n.outputs])).toEqual([['Identity', ['input'], ['output']]]);
    const x = MLArray.from([[1, -2, 3]]);
    expect((await runOnnx(bytes, x)).toArray()).toEqual([[1, -2, 3]]);
  });
});
