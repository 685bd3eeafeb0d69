/**
 * The checks a stack of layers gets when a network is built (and when a saved one is loaded,
 * before its optimizer state is matched to the parameters): each element is a layer, no layer
 * or parameter array appears twice, and the layers fit together for the input shape when it is
 * known (declared, or implied by a first DenseLayer).
 */
import { MLArray, ShapeError, ValueError, type Shape } from '@smolml/core';
import { describeValue } from '@smolml/core/internal';
import { type Layer, describeLayer, layerProblem } from './layer.js';
import { DenseLayer } from './layers/dense.js';
import { layerShapes } from './shapes.js';

/** `[1, 28, 28]`, checked: 1 to 8 integers >= 1. */
export function checkSampleShape(op: string, v: unknown): Shape {
  if (!Array.isArray(v) || v.length === 0 || v.length > 8 || !v.every((d) => Number.isSafeInteger(d) && (d as number) >= 1)) {
    throw new ValueError(`${op}: inputShape must be the shape of one sample without the batch axis, 1 to 8 integers >= 1 (e.g. [1, 28, 28]), got ${describeValue(v)}`);
  }
  return [...(v as number[])];
}

/**
 * Checks `layers` (see the file comment) and returns the input shape of one sample: `declared`
 * when given (custom layers without `outputShape` are then probed with zeros), else `[inputSize]`
 * of a first DenseLayer, else null.
 */
export function checkStack(op: string, layers: unknown, declared: unknown): Shape | null {
  if (!Array.isArray(layers) || layers.length === 0) {
    throw new ValueError(`${op}: layers must be a non-empty array of layers, got ${describeValue(layers)}`);
  }
  layers.forEach((layer: unknown, i) => {
    const problem = layerProblem(layer);
    if (problem !== null) throw new ValueError(`${op}: layer ${i} is not a layer (type, forward(x, opts), parameters(), toJSON()): ${problem}; got ${describeValue(layer)}`);
    const next: unknown = layers[i + 1];
    if (layer instanceof DenseLayer && next instanceof DenseLayer && next.inputSize !== layer.outputSize) {
      throw new ShapeError(`${op}: layer ${i} outputs ${layer.outputSize} features but layer ${i + 1} expects ${next.inputSize} inputs; make layer ${i + 1}'s inputSize ${layer.outputSize}`);
    }
  });
  const stack = layers as Layer[];
  if (new Set(stack).size !== stack.length) throw new ValueError(`${op}: the same layer object appears twice in layers`);
  const seen = new Set<MLArray>();
  stack.forEach((layer, i) => {
    const params: unknown = layer.parameters();
    if (!Array.isArray(params) || !params.every((p) => p instanceof MLArray)) {
      throw new ValueError(`${op}: layer ${i} (${describeLayer(layer)}): parameters() must return an array of MLArrays, got ${describeValue(params)}`);
    }
    for (const p of params as MLArray[]) {
      if (seen.has(p)) throw new ValueError(`${op}: layer ${i} (${describeLayer(layer)}) shares a parameter array with an earlier layer; each layer needs its own`);
      seen.add(p);
    }
  });
  const sample = declared == null ? null : checkSampleShape(op, declared);
  const first = stack[0];
  const inputShape = sample ?? (first instanceof DenseLayer ? [first.inputSize] : null);
  // Layers that fit one sample fit every batch: check them now.
  if (inputShape !== null) layerShapes(op, stack, [1, ...inputShape], { training: false, probe: sample !== null });
  return inputShape;
}
