/**
 * readOnnx on PyTorch exports: the layer specs (kinds, shapes, attributes) and every weight
 * against the parameters PyTorch holds (test/fixtures/generate.py writes them in smolml's
 * layouts; a Conv2d + BatchNorm2d pair, which the exporter fuses into one Conv, is fused there
 * in float64, so the file's float32 weights match it to float32 precision).
 */
import { describe, expect, it } from 'vitest';
import { type LayerSpec, readOnnx } from '../../src/index.js';
import { OPSETS, type TorchParam, torchModel } from '../fixtures.js';
import { torchFixture } from '../fixtures.js';

function summary(l: LayerSpec): string {
  switch (l.kind) {
    case 'activation':
      return l.alpha === undefined ? l.name : `${l.name}(${l.alpha})`;
    case 'dense':
      return `dense(${l.weights.shape.join('x')})`;
    case 'conv':
      return `conv(${l.weights.shape.join('x')}, s${l.stride.join('x')}, p${l.padding.join('x')}${l.bias === null ? ', no bias' : ''})`;
    case 'maxpool':
      return `maxpool(k${l.kernel.join('x')}, s${l.stride.join('x')}, p${l.padding.join('x')})`;
    case 'avgpool':
      return `avgpool(k${l.kernel.join('x')}, s${l.stride.join('x')})`;
    case 'batchnorm':
      return `batchnorm(${l.gamma.shape[0]}, eps ${l.eps})`;
    case 'layernorm':
      return `layernorm(${l.gamma.shape.join('x')}, eps ${l.eps})`;
    case 'dropout':
      return `dropout(${l.p})`;
    case 'flatten':
      return 'flatten';
  }
}

/** Every weight of the specs equals PyTorch's (exactly, or to `rtol` for fused ones). */
function expectParams(layers: LayerSpec[], params: TorchParam[], rtol: number): void {
  const withWeights = layers.filter((l) => ['dense', 'conv', 'batchnorm', 'layernorm'].includes(l.kind));
  expect(withWeights.map((l) => l.kind)).toEqual(params.map((p) => p.kind));
  withWeights.forEach((layer, i) => {
    const p = params[i]!;
    for (const [key, value] of Object.entries(p)) {
      if (key === 'kind') continue;
      const got = (layer as unknown as Record<string, unknown>)[key];
      if (typeof value === 'object' && !Array.isArray(value)) {
        const a = got as { shape: number[]; data: Float64Array };
        expect(a.shape, `${layer.kind} ${key}`).toEqual(value.shape);
        value.data.forEach((v, j) => {
          if (Math.abs(a.data[j]! - v) > rtol * Math.abs(v) + 1e-7 * rtol) throw new Error(`${layer.kind} ${key}[${j}]: ${a.data[j]} vs PyTorch ${v}`);
        });
      } else {
        expect(got, `${layer.kind} ${key}`).toEqual(value);
      }
    }
  });
}

describe('readOnnx: layer specs of PyTorch exports', () => {
  for (const opset of OPSETS) {
    it(`cnn (Conv2d/ReLU/BatchNorm2d/MaxPool2d/Conv2d/Sigmoid/AvgPool2d/Flatten/Linear/Softmax), opset ${opset}`, () => {
      const spec = readOnnx(torchModel('cnn', opset));
      expect(spec.inputShape).toEqual([1, 10, 10]);
      expect(spec.layers.map(summary)).toEqual([
        'conv(4x1x3x3, s1x1, p1x1)',
        'relu',
        'batchnorm(4, eps 0.00001)',
        'maxpool(k2x2, s2x2, p0x0)',
        'conv(6x4x3x2, s1x2, p1x0)',
        'sigmoid',
        'avgpool(k2x2, s2x2)', // the exporter's zero Pad before it is the identity
        'flatten',
        'dense(12x5)',
        'softmax',
      ]);
      expectParams(spec.layers, torchFixture('cnn').params, 0);
      // trained: the running statistics are not PyTorch's initial 0 and 1
      const bn = spec.layers[2] as Extract<LayerSpec, { kind: 'batchnorm' }>;
      expect(Array.from(bn.mean.data).every((v) => v !== 0)).toBe(true);
      expect(Array.from(bn.variance.data).every((v) => v !== 1)).toBe(true);
    });

    it(`cnn_fused_view (Conv2d+BatchNorm2d fused, ELU, MaxPool2d with padding, x.view(n, -1), Dropout, Linear, LeakyReLU), opset ${opset}`, () => {
      const spec = readOnnx(torchModel('cnn_fused_view', opset));
      expect(spec.inputShape).toEqual([3, 9, 9]);
      // Shape -> Gather -> Unsqueeze -> Concat -> Reshape is read as one flatten; eval-mode Dropout is not exported.
      expect(spec.layers.map(summary)).toEqual(['conv(4x3x3x3, s2x2, p1x1)', 'elu(1)', 'maxpool(k3x3, s2x2, p1x1)', 'flatten', 'dense(36x4)', 'leakyRelu(0.1)']);
      expectParams(spec.layers, torchFixture('cnn_fused_view').params, 1e-6);
    });

    it(`mlp_batchnorm_dropout (Linear, BatchNorm1d, ReLU, Dropout, Linear), opset ${opset}`, () => {
      const spec = readOnnx(torchModel('mlp_batchnorm_dropout', opset));
      expect(spec.inputShape).toEqual([5]);
      expect(spec.layers.map(summary)).toEqual(['dense(5x8)', 'batchnorm(8, eps 0.00001)', 'relu', 'dense(8x3)']);
      expectParams(spec.layers, torchFixture('mlp_batchnorm_dropout').params, 0);
    });
  }

  it('mlp_layernorm at opset 17 (LayerNormalization)', () => {
    const spec = readOnnx(torchModel('mlp_layernorm', 17));
    expect(spec.layers.map(summary)).toEqual(['dense(6x8)', 'layernorm(8, eps 0.00001)', 'tanh', 'dense(8x2)']);
    expectParams(spec.layers, torchFixture('mlp_layernorm').params, 0);
  });

  it('refuses the ReduceMean/Sub/Pow/... form PyTorch writes for LayerNorm below opset 17, naming the node', () => {
    expect(() => readOnnx(torchModel('mlp_layernorm', 13))).toThrow(/node '\/1\/ReduceMean' \(ReduceMean\): the operator ReduceMean is not supported/);
  });

  it('names the source node of every spec', () => {
    const spec = readOnnx(torchModel('mlp_matmul_add', 13));
    expect(spec.layers.map((l) => l.source)).toEqual([
      "node '/0/MatMul' (MatMul) + node '/0/Add' (Add)",
      "node '/1/Relu' (Relu)",
      "node '/2/MatMul' (MatMul)",
    ]);
  });

  it('the Dropout node (ratio 0.3) becomes a dropout spec', () => {
    expect(readOnnx(torchModel('mlp_relu_dropout_nodes', 17)).layers.map(summary)).toEqual(['dense(5x8)', 'dropout(0.3)', 'relu', 'dense(8x3)']);
  });
});
