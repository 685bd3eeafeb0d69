/**
 * The layers beyond DenseLayer <-> specs: Conv2D, MaxPool2D, AvgPool2D, Flatten, Dropout,
 * BatchNorm, LayerNorm and Activation. Each maps to one spec (Conv2D and Activation add their
 * activation's spec), and each spec comes back as the same class with the same numbers.
 */
import { Activation, AvgPool2D, BatchNorm, Conv2D, Dropout, Flatten, LayerNorm, MaxPool2D } from '@smolml/nn';
import type { LayerSpec, SpecOf } from '../ir.js';
import { activationFor, activationSpecs } from './activations.js';
import { fixedWeights } from './dense.js';

// ---- export: layer -> specs

export function convToSpecs(c: Conv2D, where: string): LayerSpec[] {
  const conv: LayerSpec = { kind: 'conv', weights: c.weights.detach(), bias: c.biases?.detach() ?? null, stride: c.stride, padding: c.padding };
  return [conv, ...activationSpecs(c.activationName, c.activation, where)];
}

export const maxPoolToSpecs = (p: MaxPool2D): LayerSpec[] => [{ kind: 'maxpool', kernel: p.kernelSize, stride: p.stride, padding: p.padding }];
export const avgPoolToSpecs = (p: AvgPool2D): LayerSpec[] => [{ kind: 'avgpool', kernel: p.kernelSize, stride: p.stride }];
export const flattenToSpecs = (): LayerSpec[] => [{ kind: 'flatten' }];
export const dropoutToSpecs = (d: Dropout): LayerSpec[] => [{ kind: 'dropout', p: d.p }];

export function batchNormToSpecs(b: BatchNorm): LayerSpec[] {
  return [{ kind: 'batchnorm', gamma: b.gamma.detach(), beta: b.beta.detach(), mean: b.runningMean.detach(), variance: b.runningVar.detach(), eps: b.eps }];
}

export function layerNormToSpecs(n: LayerNorm): LayerSpec[] {
  return [{ kind: 'layernorm', gamma: n.gamma.detach(), beta: n.beta.detach(), eps: n.eps }];
}

export function activationLayerToSpecs(a: Activation, where: string): LayerSpec[] {
  return activationSpecs(a.activationName, a.activation, where);
}

// ---- import: specs -> layer

/** A Conv2D computing `spec` followed by `activation` (if any), as dense does. */
export function convFromSpecs(spec: SpecOf<'conv'>, activation: SpecOf<'activation'> | undefined): Conv2D {
  const [outC = 0, inC = 0, kh = 0, kw = 0] = spec.weights.shape;
  const layer = new Conv2D(inC, outC, [kh, kw], {
    stride: spec.stride,
    padding: spec.padding,
    activation: activation === undefined ? 'linear' : activationFor(activation).fn,
    bias: spec.bias !== null,
    weightInitializer: fixedWeights(spec.weights),
  });
  if (spec.bias !== null) layer.biases!.data.set(spec.bias.data);
  return layer;
}

/** ONNX MaxPool pads with -inf, as PyTorch and MaxPool2D do. */
export function maxPoolFromSpec(spec: SpecOf<'maxpool'>): MaxPool2D {
  return new MaxPool2D(spec.kernel, { stride: spec.stride, padding: spec.padding });
}

export function avgPoolFromSpec(spec: SpecOf<'avgpool'>): AvgPool2D {
  return new AvgPool2D(spec.kernel, { stride: spec.stride });
}

export function batchNormFromSpec(spec: SpecOf<'batchnorm'>): BatchNorm {
  // ONNX's momentum attribute is not read: BatchNorm's default (PyTorch's 0.1) applies to further training.
  const layer = new BatchNorm(spec.gamma.shape[0]!, { eps: spec.eps });
  layer.gamma.data.set(spec.gamma.data);
  layer.beta.data.set(spec.beta.data);
  layer.runningMean.data.set(spec.mean.data);
  layer.runningVar.data.set(spec.variance.data);
  return layer;
}

export function layerNormFromSpec(spec: SpecOf<'layernorm'>): LayerNorm {
  const layer = new LayerNorm([...spec.gamma.shape], { eps: spec.eps });
  layer.gamma.data.set(spec.gamma.data);
  layer.beta.data.set(spec.beta.data);
  return layer;
}

export const dropoutFromSpec = (spec: SpecOf<'dropout'>): Dropout => new Dropout(spec.p);
export const activationFromSpec = (spec: SpecOf<'activation'>): Activation => new Activation(activationFor(spec).fn);
export const flattenFromSpec = (): Flatten => new Flatten();
