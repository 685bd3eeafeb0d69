/**
 * smolml activations <-> activation specs. The built-in names map one to one; an ONNX LeakyRelu
 * or Elu with another alpha becomes a small named function that this module remembers, so a
 * network imported from ONNX exports back to the same operator.
 */
import { ValueError } from '@smolml/core';
import { type ActivationFunction as Activation, type ActivationName, getActivation } from '@smolml/nn';
import type { ActivationKind, SpecOf } from '../ir.js';

type ActivationSpec = SpecOf<'activation'>;

/** smolml's built-in alphas (nn's `leakyRelu` and `elu`). */
const DEFAULT_ALPHA: Partial<Record<ActivationKind, number>> = { leakyRelu: 0.01, elu: 1 };

/** Functions made by `activationFor` for non-default alphas, with the spec they compute. */
const made = new WeakMap<Activation, ActivationSpec>();

/**
 * The smolml activation computing `spec`: a built-in one (by name) when the alpha is the
 * built-in's, else `(x) => x.leakyRelu(alpha)` / `x.elu(alpha)`, named e.g. `leakyRelu(0.2)`.
 */
export function activationFor(spec: ActivationSpec): { fn: Activation; name: ActivationName | null } {
  const dflt = DEFAULT_ALPHA[spec.name];
  if (spec.alpha === undefined || spec.alpha === dflt) return { fn: getActivation(spec.name), name: spec.name };
  const alpha = spec.alpha;
  const fn: Activation = spec.name === 'leakyRelu' ? (x) => x.leakyRelu(alpha) : (x) => x.elu(alpha);
  Object.defineProperty(fn, 'name', { value: `${spec.name}(${alpha})` });
  made.set(fn, { kind: 'activation', name: spec.name, alpha });
  return { fn, name: null };
}

/**
 * The specs of a smolml activation: none for `linear`, one for the other built-ins and for
 * functions made by `activationFor`. Any other function has no ONNX form: ValueError naming
 * `where` and the function.
 */
export function activationSpecs(name: string, fn: Activation, where: string): ActivationSpec[] {
  if (name === 'linear') return [];
  const remembered = made.get(fn);
  if (remembered !== undefined) return [{ ...remembered }];
  switch (name) {
    case 'relu':
    case 'sigmoid':
    case 'tanh':
    case 'softmax':
      return [{ kind: 'activation', name }];
    case 'leakyRelu':
    case 'elu':
      return [{ kind: 'activation', name, alpha: DEFAULT_ALPHA[name]! }];
    default:
      throw new ValueError(
        `${where}: the activation '${name}' is a custom function, which has no ONNX form; ` +
          'use a built-in activation (linear, relu, leakyRelu, elu, sigmoid, tanh, softmax) to export this network',
      );
  }
}
