/**
 * Layer specs to ONNX operators, one emitter per spec kind (a typed, exhaustive table: a new
 * kind without its emitter does not compile). Each emitter takes the name of its input value
 * and returns the name of its output value.
 */
import type { LayerKind, SpecOf } from '../ir.js';
import { type GraphBuilder, attr } from './builder.js';

type Emitter<K extends LayerKind> = (spec: SpecOf<K>, x: string, g: GraphBuilder) => string;

const pads = (p: readonly [number, number]) => [p[0], p[1], p[0], p[1]];

/** The first opset with LayerNormalization; before it, layer norm is written out with ReduceMean. */
export const LAYER_NORMALIZATION_OPSET = 17;

export const emitters: { [K in LayerKind]: Emitter<K> } = {
  // Gemm with transB = 0 takes smolml's (in, out) weights as they are: y = x W + b.
  dense: (s, x, g) => g.node('Gemm', [x, g.weight('weight', s.weights), g.weight('bias', s.bias)]),
  conv: (s, x, g) => {
    const [, , kh = 0, kw = 0] = s.weights.shape;
    const inputs = [x, g.weight('weight', s.weights)];
    if (s.bias !== null) inputs.push(g.weight('bias', s.bias));
    return g.node('Conv', inputs, [attr.ints('kernel_shape', [kh, kw]), attr.ints('strides', s.stride), attr.ints('pads', pads(s.padding))]);
  },
  maxpool: (s, x, g) => g.node('MaxPool', [x], [attr.ints('kernel_shape', s.kernel), attr.ints('strides', s.stride), attr.ints('pads', pads(s.padding))]),
  avgpool: (s, x, g) => g.node('AveragePool', [x], [attr.ints('kernel_shape', s.kernel), attr.ints('strides', s.stride)]),
  flatten: (_s, x, g) => g.node('Flatten', [x], [attr.int('axis', 1)]),
  batchnorm: (s, x, g) =>
    g.node(
      'BatchNormalization',
      [x, g.weight('weight', s.gamma), g.weight('bias', s.beta), g.weight('running_mean', s.mean), g.weight('running_var', s.variance)],
      [attr.float('epsilon', s.eps)],
    ),
  layernorm: (s, x, g) => {
    const k = s.gamma.ndim;
    const gamma = g.weight('weight', s.gamma);
    const beta = g.weight('bias', s.beta);
    if (g.opset >= LAYER_NORMALIZATION_OPSET) {
      return g.node('LayerNormalization', [x, gamma, beta], [attr.int('axis', -k), attr.float('epsilon', s.eps)]);
    }
    // (x - mean) / sqrt(var + eps) * gamma + beta over the last k axes, with the biased variance.
    const axes = attr.ints('axes', Array.from({ length: k }, (_, i) => i - k));
    const d = g.node('Sub', [x, g.node('ReduceMean', [x], [axes])]);
    const variance = g.node('ReduceMean', [g.node('Mul', [d, d])], [axes]);
    const std = g.node('Sqrt', [g.node('Add', [variance, g.weight('eps', { shape: [], data: [s.eps] })])]);
    return g.node('Add', [g.node('Mul', [g.node('Div', [d, std]), gamma]), beta]);
  },
  activation: (s, x, g) => {
    switch (s.name) {
      case 'relu':
        return g.node('Relu', [x]);
      case 'leakyRelu':
        return g.node('LeakyRelu', [x], [attr.float('alpha', s.alpha ?? 0.01)]);
      case 'elu':
        return g.node('Elu', [x], [attr.float('alpha', s.alpha ?? 1)]);
      case 'sigmoid':
        return g.node('Sigmoid', [x]);
      case 'tanh':
        return g.node('Tanh', [x]);
      case 'softmax':
        // Opset 13 made Softmax work along one axis (before, it flattened from `axis` on).
        return g.node('Softmax', [x], [attr.int('axis', -1)]);
    }
  },
  // Inference computes the identity: nothing to write.
  dropout: (_s, x) => x,
};

/** Emits one spec (dispatching on its kind) and returns its output's name. */
export function emit<K extends LayerKind>(spec: SpecOf<K>, x: string, g: GraphBuilder): string {
  return (emitters[spec.kind] as Emitter<K>)(spec, x, g);
}
