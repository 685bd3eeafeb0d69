/**
 * Each optimizer declares its hyperparameters once — name, default and allowed values — in an
 * `OptimizerSpec`. Everything else about them is derived here: the constructor's validation (with
 * unknown keys caught, a "did you mean" hint included), `config`, `hyperparams()` and the keys
 * `optimizerFromJSON` requires.
 */
import { ValueError } from '@smolml/core';
import { checkNumber, checkOptions, clip, describeValue, ownEntry, positive, type Interval } from '@smolml/core/internal';
import type { LearningRate } from './schedules.js';

/** A numeric hyperparameter: its default and the interval it must lie in. */
export interface NumberHyperparam {
  readonly default: number;
  readonly range: Interval;
}

/** A true/false hyperparameter (e.g. `nesterov`) and its default. */
export interface BooleanHyperparam {
  readonly default: boolean;
}

/**
 * The hyperparameter values (other than lr) of an optimizer whose options are `O`: what
 * `hyperparams()` returns, every one present.
 * @example
 * const h: Hyperparams<AdamOptions> = new Adam().hyperparams(); // { beta1: 0.9, beta2: 0.999, eps: 1e-8 }
 */
export type Hyperparams<O> = { readonly [K in Exclude<keyof O, 'lr'>]-?: NonNullable<O[K]> };

/**
 * An optimizer's declaration: its type name, its default learning rate, one entry per other
 * hyperparameter (the keys of its options interface, each a number in an interval or a boolean)
 * and the names of its per-parameter state buffers.
 */
export interface OptimizerSpec<O extends { lr?: LearningRate }> {
  readonly type: string;
  /** The default learning rate. */
  readonly lr: number;
  readonly hyperparams: { readonly [K in Exclude<keyof O, 'lr'>]-?: NonNullable<O[K]> extends boolean ? BooleanHyperparam : NumberHyperparam };
  /** Per-parameter buffers, zero-filled on a parameter's first update, in this order. */
  readonly buffers: readonly string[];
}

/** Every declared optimizer, by type: only used to point an option of another optimizer to it. */
const declared = new Map<string, { readonly hyperparams: object }>();

/**
 * Registers `spec` (so that `new SGD({ momentum: 0.9 })` can suggest SGDMomentum) and returns it.
 * @example
 * const SGD_SPEC = defineOptimizer<SGDOptions>({ type: 'SGD', lr: 0.01, hyperparams: { weightDecay: { default: 0, range: nonNegative } }, buffers: [] });
 */
export function defineOptimizer<O extends { lr?: LearningRate }>(spec: OptimizerSpec<O>): OptimizerSpec<O> {
  declared.set(spec.type, spec);
  return spec;
}

/** The option names of `spec`: lr, then its hyperparameters in declaration order. */
export function optionNames(spec: { readonly hyperparams: object }): string[] {
  return ['lr', ...Object.keys(spec.hyperparams)];
}

/** Throws ValueError unless lr is a finite number > 0 or a function. */
export function checkLr(op: string, lr: unknown): LearningRate {
  if (typeof lr === 'function') return lr as LearningRate;
  return checkNumber(op, 'lr (a number or a schedule function)', lr, positive);
}

/**
 * Validates `options` against `spec`: unknown keys (with a hint), then each value, where
 * `undefined` means the default and anything else (null included) must be allowed.
 */
export function readOptions<O extends { lr?: LearningRate }>(spec: OptimizerSpec<O>, options: O | null | undefined): { lr: LearningRate; values: Hyperparams<O> } {
  const op = spec.type;
  const names = optionNames(spec);
  let o: Partial<Record<string, unknown>>;
  try {
    o = checkOptions<object>(op, options, names);
  } catch (e) {
    throw elsewhere(spec, options, e);
  }
  const values: Record<string, number | boolean> = {};
  for (const [name, h] of Object.entries(spec.hyperparams) as [string, NumberHyperparam | BooleanHyperparam][]) {
    const x = o[name] === undefined ? h.default : o[name];
    if ('range' in h) values[name] = checkNumber(op, name, x, h.range);
    else if (typeof x === 'boolean') values[name] = x;
    else throw new ValueError(`${op}: ${name} must be true or false, got ${describeValue(x)}`);
  }
  return { lr: checkLr(op, o.lr === undefined ? spec.lr : o.lr), values: values as Hyperparams<O> };
}

/**
 * Other libraries' names for our options (TF.js, Keras, PyTorch), for keys no spelling-distance
 * hint catches: `learningRate` is far from `lr`, but it is what a TF.js user types.
 */
const ALIASES: Readonly<Record<string, string>> = {
  learningRate: 'lr',
  learning_rate: 'lr',
  epsilon: 'eps',
  useNesterov: 'nesterov',
  rho: 'alpha',
  decay: 'alpha',
  weight_decay: 'weightDecay',
};

/**
 * `error` (core's unknown-option message), extended with what a spelling-distance hint cannot
 * know: another library's name for the option (`learningRate`: did you mean 'lr'?) or another
 * optimizer that has it (`new SGD({ momentum })`: 'momentum' is an option of SGDMomentum).
 */
function elsewhere(spec: { readonly type: string; readonly hyperparams: object }, options: unknown, error: unknown): unknown {
  if (!(error instanceof ValueError) || options === null || typeof options !== 'object') return error;
  const known = optionNames(spec);
  // the key checkOptions reported: the first unknown one
  const key = Object.keys(options).find((k) => !known.includes(k));
  if (key === undefined) return error;
  const alias = ownEntry(ALIASES, key);
  if (alias !== undefined && known.includes(alias) && !error.message.includes('did you mean')) return new ValueError(`${error.message}; did you mean '${alias}'?`);
  const owners = [...declared].filter(([type, s]) => type !== spec.type && Object.hasOwn(s.hyperparams, key)).map(([type]) => type);
  return owners.length === 0 ? error : new ValueError(`${error.message}; '${clip(key, 40)}' is an option of ${owners.join(', ')}`);
}
