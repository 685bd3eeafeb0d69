/**
 * An activation as a layer of its own (e.g. after a BatchNorm, between a Conv2D without
 * activation and a pooling layer). The same function in training and inference.
 */
import type { MLArray, Shape } from '@smolml/core';
import { clip } from '@smolml/core/internal';
import { type ActivationFunction, type ActivationLike, activationToJSON, resolveActivation } from '../activations.js';
import type { ForwardOptions, Layer, LayerJSON } from '../layer.js';
import { inputError } from './check.js';
import { type LayerJSONContext, LayerReader } from './json.js';

/** A saved Activation: the built-in name, or `custom:<function name>`. */
export interface ActivationJSON {
  type: 'activation';
  activation: string;
}

/**
 * Applies an activation function, given by name or as a function.
 * @example
 * new Activation('relu').forward(MLArray.from([[-1, 2]])).toArray(); // [[0, 2]]
 */
export class Activation implements Layer {
  readonly type = 'activation';
  readonly activation: ActivationFunction;
  /** A built-in activation name, or `custom:<function name>`. */
  readonly activationName: string;

  constructor(nameOrFunction: ActivationLike) {
    ({ fn: this.activation, name: this.activationName } = resolveActivation('Activation', nameOrFunction));
  }

  forward(x: MLArray, opts?: ForwardOptions): MLArray {
    this.outputShape(x.shape, opts);
    return this.activation(x);
  }

  /** The input's shape (any array with a batch axis). */
  outputShape(inputShape: Shape, _opts?: ForwardOptions): Shape {
    if (inputShape.length === 0) throw inputError('Activation', '(batch, ...)', inputShape);
    return inputShape;
  }

  parameters(): MLArray[] {
    return [];
  }

  /** `Activation(relu)` */
  toString(): string {
    return `Activation(${clip(this.activationName, 40)})`;
  }

  toJSON(): ActivationJSON {
    return { type: 'activation', activation: activationToJSON({ fn: this.activation, name: this.activationName }) };
  }

  /** Rebuilds a layer saved by `toJSON()`, every field checked (the layer registry calls it for type 'activation'). */
  static fromJSON(json: ActivationJSON | LayerJSON, context: LayerJSONContext): Activation {
    return new Activation(new LayerReader(json as LayerJSON, context).activation());
  }
}
