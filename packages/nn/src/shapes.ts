/**
 * Shapes through a stack of layers, without running the network: each layer's `outputShape`
 * (a custom layer without one is probed once with zeros, in inference mode). Used by
 * `summary()`, by the checks at construction, and before training to find batches a layer
 * cannot train on (BatchNorm needs more than one value per channel) before the first update.
 */
import { MLArray, ShapeError, SmolMLError, ValueError, formatShape, noGrad, type Shape } from '@smolml/core';
import { describeValue, sizeOf } from '@smolml/core/internal';
import { inContext } from './input.js';
import { type Layer, describeLayer } from './layer.js';

/** Largest zeros input a custom layer is probed with (2^24 numbers, 128 MB). */
const MAX_PROBE = 2 ** 24;

function checkShapeResult(v: unknown): Shape {
  if (!Array.isArray(v) || !v.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    throw new ValueError(`outputShape() must return an array of sizes, got ${describeValue(v)}`);
  }
  return v as Shape;
}

/**
 * The output shape of each layer for an input of `inputShape` (batch axis first). With
 * `probe: false`, stops (returning fewer shapes) at the first layer without `outputShape`.
 * Errors name the layer: `<op>: layer 2 (Conv2D(8 -> 16, 3x3)): Conv2D.forward: expected ...`.
 */
export function layerShapes(op: string, layers: readonly Layer[], inputShape: Shape, options: { training: boolean; probe: boolean }): Shape[] {
  const shapes: Shape[] = [];
  let shape = inputShape;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i]!;
    if (layer.outputShape === undefined && !options.probe) break;
    shape = inContext(`${op}: layer ${i} (${describeLayer(layer)}): `, () => {
      if (layer.outputShape !== undefined) return checkShapeResult(layer.outputShape(shape, { training: options.training }));
      if (sizeOf(shape) > MAX_PROBE) throw new ShapeError(`cannot probe its output shape with an input of ${formatShape(shape)}; give the layer an outputShape(inputShape) method`);
      return noGrad(() => layer.forward(MLArray.zeros(shape), { training: false })).shape;
    });
    shapes.push(shape);
  }
  return shapes;
}

/** `(batch, 8, 14, 14)`: a shape with its first axis shown as the batch. */
export function formatBatchShape(shape: Shape): string {
  return formatShape(['batch', ...shape.slice(1)] as unknown as Shape);
}

/** A batch size near `batchSize` that leaves no batch of one sample out of `n` (or null if none). */
function betterBatchSize(n: number, batchSize: number): number | null {
  for (let d = 1; d < n; d++) {
    for (const b of [batchSize + d, batchSize - d]) if (b >= 2 && b <= n && n % b !== 1) return b;
  }
  return null;
}

/**
 * Throws before training when a batch that training will make (`batchSize`, and the smaller last
 * one) cannot go through the layers in training mode: a BatchNorm on a batch of one sample
 * (PyTorch fails at that batch; here nothing has been updated yet). The message says which batch
 * and what to do.
 */
export function checkTrainingBatches(op: string, layers: readonly Layer[], sampleShape: Shape, n: number, batchSize: number): void {
  const last = n % batchSize;
  for (const size of last === 0 ? [batchSize] : [batchSize, last]) {
    const which = size === batchSize ? `batches of ${size} sample${size === 1 ? '' : 's'}` : `the last batch of each epoch (${size} sample${size === 1 ? '' : 's'}: ${n} samples, batchSize ${batchSize})`;
    try {
      layerShapes(`${op}: ${which}`, layers, [size, ...sampleShape], { training: true, probe: true });
    } catch (e) {
      if (!(e instanceof SmolMLError)) throw e;
      let advice = '';
      if (n === 1) advice = '; train on more than one sample';
      else if (size === batchSize) advice = `; use a larger batchSize`;
      else {
        const b = betterBatchSize(n, batchSize);
        advice = `; choose a batchSize that leaves no such batch${b === null ? '' : ` (e.g. ${b})`}, or leave ${last} sample${last === 1 ? '' : 's'} out (drop the last batch)`;
      }
      const Class = e instanceof ShapeError ? ShapeError : ValueError;
      throw new Class(`${e.message}${advice}`, { cause: e });
    }
  }
}
