/**
 * Activation functions: plain `MLArray => MLArray` functions (so any function of that type can
 * be used), plus a registry that maps the built-in ones to names. Names are how layers accept
 * activations as strings and how saved models refer to them.
 */
import { type MLArray, ValueError } from '@smolml/core';
import { describeValue, didYouMean, ownEntry } from '@smolml/core/internal';

/** An activation: applied elementwise (or along the last axis, for softmax) to a layer's output. */
export type Activation = (x: MLArray) => MLArray;

/** Identity: `x`. */
export const linear: Activation = (x) => x;
/** `max(0, x)`; its gradient at 0 is 0 (the PyTorch and SmolML convention). */
export const relu: Activation = (x) => x.relu();
/** `x` for `x > 0`, `0.01 x` otherwise. For another slope write `(x) => x.leakyRelu(alpha)`. */
export const leakyRelu: Activation = (x) => x.leakyRelu(0.01);
/** `x` for `x > 0`, `exp(x) - 1` otherwise (alpha = 1). */
export const elu: Activation = (x) => x.elu(1);
/** `1 / (1 + exp(-x))`. */
export const sigmoid: Activation = (x) => x.sigmoid();
/** Hyperbolic tangent. */
export const tanh: Activation = (x) => x.tanh();
/** Softmax over the last axis (each row of a batch sums to 1); numerically stable. */
export const softmax: Activation = (x) => x.softmax(-1);

/**
 * The built-in activations by name. Layers accept these names in place of the functions, and
 * saved models store them.
 * @example
 * new DenseLayer(4, 3, 'softmax'); // same as new DenseLayer(4, 3, softmax)
 */
export const activations = Object.freeze({ linear, relu, leakyRelu, elu, sigmoid, tanh, softmax });

/** The name of a built-in activation. */
export type ActivationName = keyof typeof activations;

const names = Object.keys(activations) as ActivationName[];

/** Whether `name` is the name of a built-in activation (own names only: never `'constructor'`). */
export function isActivationName(name: unknown): name is ActivationName {
  return ownEntry(activations, name) !== undefined;
}

/**
 * The built-in activation called `name`; otherwise throws a ValueError that suggests the closest
 * name (`'ReLU'` suggests `'relu'`) and lists the valid ones. `op` names the caller in the message.
 * @example
 * getActivation('relu') === relu; // true
 */
export function getActivation(name: string, op?: string): Activation {
  const fn = ownEntry<Activation>(activations, name);
  if (fn !== undefined) return fn;
  // only the start of a (possibly huge) string can be a typo of a name
  const hint = typeof name === 'string' ? didYouMean(name.slice(0, 64).trim(), names) : '';
  throw new ValueError(`${op === undefined ? '' : `${op}: `}unknown activation ${describeValue(name)}${hint}; valid names are: ${names.join(', ')}`);
}

/** The registry name of a built-in activation function, or undefined for any other function. */
export function activationName(fn: Activation): ActivationName | undefined {
  return names.find((n) => activations[n] === fn);
}
