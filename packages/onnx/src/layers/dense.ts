/**
 * DenseLayer <-> specs: `activation(x @ W + b)` is a dense spec followed by an activation spec
 * (none for linear). Both sides use the `(in, out)` weight layout, so no transposition here.
 */
import { MLArray, type Initializer } from '@smolml/core';
import { DenseLayer } from '@smolml/nn';
import type { LayerSpec, SpecOf } from '../ir.js';
import { activationFor, activationSpecs } from './activations.js';

/** The specs of a DenseLayer: `[dense, activation?]`. */
export function denseToSpecs(layer: DenseLayer, where: string): LayerSpec[] {
  const dense: LayerSpec = { kind: 'dense', weights: layer.weights.detach(), bias: layer.biases.detach().reshape([layer.outputSize]) };
  return [dense, ...activationSpecs(layer.activationName, layer.activation, where)];
}

/** Hands imported weights to a layer's constructor (which copies them), so no random init runs. */
export function fixedWeights(weights: MLArray): Initializer {
  return { initialize: () => weights };
}

/** A DenseLayer computing `dense` followed by `activation` (if any). */
export function denseFromSpecs(dense: SpecOf<'dense'>, activation: SpecOf<'activation'> | undefined): DenseLayer {
  const [inputSize = 0, outputSize = 0] = dense.weights.shape;
  const fn = activation === undefined ? 'linear' : activationFor(activation).fn;
  const layer = new DenseLayer(inputSize, outputSize, fn, fixedWeights(dense.weights));
  layer.biases.data.set(dense.bias.data);
  return layer;
}
