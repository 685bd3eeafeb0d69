/** Flatten: `(batch, ...)` to `(batch, rest)`, row-major (PyTorch's `flatten(1)`); no copy. */
import type { MLArray, Shape } from '@smolml/core';
import type { ForwardOptions, Layer, LayerJSON } from '../layer.js';
import { inputError } from './check.js';
import type { LayerJSONContext } from './json.js';

/** A saved Flatten. */
export interface FlattenJSON {
  type: 'flatten';
}

/**
 * Keeps the batch axis and joins all the others, e.g. between convolutions and dense layers.
 * @example
 * new Flatten().forward(MLArray.zeros([64, 16, 7, 7])).shape; // [64, 784]
 */
export class Flatten implements Layer {
  readonly type = 'flatten';

  forward(x: MLArray, _opts?: ForwardOptions): MLArray {
    return x.reshape(this.outputShape(x.shape));
  }

  outputShape(inputShape: Shape, _opts?: ForwardOptions): Shape {
    if (inputShape.length < 2) {
      throw inputError('Flatten', '(batch, ...features) with at least 2 axes', inputShape, inputShape.length === 1 ? '; a 1-d input has no feature axes to flatten: reshape it to (batch, 1)' : '');
    }
    return [inputShape[0]!, inputShape.slice(1).reduce((a, b) => a * b, 1)];
  }

  parameters(): MLArray[] {
    return [];
  }

  toString(): string {
    return 'Flatten()';
  }

  toJSON(): FlattenJSON {
    return { type: 'flatten' };
  }

  /** Rebuilds a layer saved by `toJSON()`, every field checked (the layer registry calls it for type 'flatten'). */
  static fromJSON(_json: FlattenJSON | LayerJSON, _context: LayerJSONContext): Flatten {
    return new Flatten();
  }
}
