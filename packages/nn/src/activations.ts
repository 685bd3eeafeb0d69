/**
 * Activation functions: plain `MLArray => MLArray` functions (so any function of that type can
 * be used), plus a registry that maps the built-in ones to names. Names are how layers accept
 * activations as strings and how saved models refer to them.
 */
import { type MLArray, ValueError } from '@smolml/core';
import { clip, describeValue, didYouMean, ownEntry } from '@smolml/core/internal';

/**
 * An activation function: applied elementwise (or along the last axis, for softmax) to a layer's
 * output. (`Activation` is the layer class that applies one on its own.)
 */
export type ActivationFunction = (x: MLArray) => MLArray;

/**
 * Identity: `x`.
 * @example
 * new DenseLayer(4, 1, linear); // the same as new DenseLayer(4, 1): no activation
 */
export const linear: ActivationFunction = (x) => x;
/**
 * `max(0, x)`; its gradient at 0 is 0 (the PyTorch and SmolML convention).
 * @example
 * relu(MLArray.from([-1, 2])); // [0, 2]
 */
export const relu: ActivationFunction = (x) => x.relu();
/**
 * `x` for `x > 0`, `0.01 x` otherwise. For another slope write `(x) => x.leakyRelu(alpha)`.
 * @example
 * leakyRelu(MLArray.from([-1, 2])); // [-0.01, 2]
 */
export const leakyRelu: ActivationFunction = (x) => x.leakyRelu(0.01);
/**
 * `x` for `x > 0`, `exp(x) - 1` otherwise (alpha = 1).
 * @example
 * elu(MLArray.from([-1, 2])); // [-0.632..., 2]
 */
export const elu: ActivationFunction = (x) => x.elu(1);
/**
 * `1 / (1 + exp(-x))`.
 * @example
 * sigmoid(MLArray.from([0])); // [0.5]
 */
export const sigmoid: ActivationFunction = (x) => x.sigmoid();
/**
 * Hyperbolic tangent.
 * @example
 * tanh(MLArray.from([0, 1])); // [0, 0.761...]
 */
export const tanh: ActivationFunction = (x) => x.tanh();
/**
 * Softmax over the last axis (each row of a batch sums to 1); numerically stable.
 * @example
 * softmax(MLArray.from([[1, 1], [0, 0]])); // [[0.5, 0.5], [0.5, 0.5]]
 */
export const softmax: ActivationFunction = (x) => x.softmax(-1);

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

/**
 * Whether `name` is the name of a built-in activation (own names only: never `'constructor'`).
 * @example
 * isActivationName('relu'); // true
 * isActivationName('constructor'); // false
 */
export function isActivationName(name: unknown): name is ActivationName {
  return ownEntry(activations, name) !== undefined;
}

/**
 * The built-in activation called `name`; otherwise throws a ValueError that suggests the closest
 * name (`'ReLU'` suggests `'relu'`) and lists the valid ones. `op` names the caller in the message.
 * @example
 * getActivation('relu') === relu; // true
 */
export function getActivation(name: string, op?: string): ActivationFunction {
  const fn = ownEntry<ActivationFunction>(activations, name);
  if (fn !== undefined) return fn;
  // only the start of a (possibly huge) string can be a typo of a name
  const hint = typeof name === 'string' ? didYouMean(name.slice(0, 64).trim(), names) : '';
  throw new ValueError(`${op === undefined ? '' : `${op}: `}unknown activation ${describeValue(name)}${hint}; valid names are: ${names.join(', ')}`);
}

/**
 * The registry name of a built-in activation function, or undefined for any other function.
 * @example
 * activationName(relu); // 'relu'
 * activationName((x) => x.relu()); // undefined: not the built-in function itself
 */
export function activationName(fn: ActivationFunction): ActivationName | undefined {
  return names.find((n) => activations[n] === fn);
}

/** An activation as layers take it: a function, or the name of a built-in one. */
export type ActivationLike = ActivationFunction | ActivationName;

/** What a layer keeps of its activation: the function and the name saved with the model. */
export interface ResolvedActivation {
  fn: ActivationFunction;
  /** A built-in name, or `custom:<function name>` for any other function. */
  name: string;
}

const CUSTOM = 'custom:';

/** The function and name of an activation given by name or as a function (`op` names the layer in errors). */
export function resolveActivation(op: string, activation: unknown): ResolvedActivation {
  if (typeof activation === 'string') return { fn: getActivation(activation, op), name: activation };
  if (typeof activation === 'function') {
    const fn = activation as ActivationFunction;
    return { fn, name: activationName(fn) ?? `${CUSTOM}${fn.name || 'anonymous'}` };
  }
  throw new ValueError(`${op}: activation must be a function or a name such as 'relu', got ${describeValue(activation)}`);
}

/**
 * The name an activation is saved under: the built-in name when `fn` is that built-in, otherwise
 * `custom:<name>` (loading it then needs the function passed in `FromJSONOptions.activations`).
 */
export function activationToJSON({ fn, name }: ResolvedActivation): string {
  if (isActivationName(name) && activations[name] === fn) return name;
  return name.startsWith(CUSTOM) ? name : CUSTOM + (fn.name || name || 'anonymous');
}

/**
 * The function of a saved activation name: a built-in, or `custom:<name>` looked up (own
 * properties only) in `custom`. Throws a ValueError naming `at` and saying what to pass.
 */
export function activationFromJSON(op: string, at: string, name: unknown, custom: Readonly<Record<string, ActivationFunction>>): ActivationFunction {
  if (typeof name !== 'string') throw new ValueError(`${op}: ${at} must be a string, got ${describeValue(name)}`);
  if (name.startsWith(CUSTOM)) {
    const key = name.slice(CUSTOM.length);
    const fn = ownEntry(custom, key);
    if (typeof fn !== 'function') {
      const k = clip(key, 40);
      const entry = /^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}': fn`;
      throw new ValueError(`${op}: ${at} uses the custom activation '${k}'; pass it: NeuralNetwork.fromJSON(json, { activations: { ${entry} } })`);
    }
    return fn;
  }
  const fn = ownEntry<ActivationFunction>(activations, name);
  if (fn === undefined) throw new ValueError(`${op}: ${at} ${describeValue(name)} is unknown${didYouMean(name.slice(0, 64), names)}; valid names are: ${names.join(', ')}`);
  return fn;
}
