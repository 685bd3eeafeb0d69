/**
 * What every optimizer shares: hyperparameters read from its declaration (hyperparams.ts),
 * per-parameter state (buffers and a step count) in a WeakMap keyed by the parameter array,
 * atomic steps (validation before any update; updates computed aside and committed only when
 * every updated parameter is finite), learning-rate schedules evaluated at each parameter's own
 * step, and JSON state.
 * A subclass only declares its hyperparameters and writes its update loop.
 */
import { ShapeError, ValueError, allFinite, formatShape, type MLArray, type Optimizer } from '@smolml/core';
import { copyInto, describeValue } from '@smolml/core/internal';
import { readOptions, type Hyperparams, type OptimizerSpec } from './hyperparams.js';
import { scheduleToJSON, type LearningRate, type ScheduleJSON } from './schedules.js';
import { decodeState, encodeState, type ParamState, type ParamStateJSON } from './state.js';
import { Loan } from './loan.js';
import { checkParams } from './validate.js';

/** Hyperparameters as given (lr may be a schedule function). */
export type OptimizerConfig = { lr: LearningRate } & Record<string, number | boolean | LearningRate>;

/** `toJSON()`'s plain, JSON-safe output. */
export interface OptimizerJSON {
  type: string;
  config: Record<string, number | boolean | ScheduleJSON>;
  /** One entry per parameter, in the order of the `params` passed to toJSON; null = no state yet. */
  state: (ParamStateJSON | null)[];
}

/** An optimizer whose hyperparameters and per-parameter state can be saved and restored. */
export interface SerializableOptimizer extends Optimizer {
  readonly type: string;
  readonly config: OptimizerConfig;
  /** Hyperparameters and the state of each of `params`, as plain JSON-safe data. */
  toJSON(params: readonly MLArray[]): OptimizerJSON;
  /** Restores the state saved by `toJSON(params)` (same parameters, same order and shapes). */
  loadState(params: readonly MLArray[], json: OptimizerJSON): void;
}

/**
 * The base of the built-in optimizers. A subclass passes its declaration (an `OptimizerSpec`)
 * and the user's options to this constructor and implements `update`.
 */
export abstract class BaseOptimizer<O extends { lr?: LearningRate } = { lr?: LearningRate }> implements SerializableOptimizer {
  readonly type: string;
  readonly lr: LearningRate;
  /** The validated hyperparameters other than lr, for the update rule. */
  protected readonly hp: Readonly<Hyperparams<O>>;
  readonly #buffers: readonly string[];
  readonly #state = new WeakMap<MLArray, ParamState>();
  /** Scratch, reused by every step: each parameter's learning rate and state for this step. */
  readonly #lrs: number[] = [];
  readonly #pending: (ParamState | undefined)[] = [];
  /** `<type>.step`, the name errors of a step give (built once: steps run every batch). */
  readonly #stepOp: string;
  /** The backend memory the state is lent to during a training run (see lendState), or null. */
  #loan: Loan | null = null;

  protected constructor(spec: OptimizerSpec<O>, options: O | null | undefined) {
    const { lr, values } = readOptions(spec, options);
    this.type = spec.type;
    this.lr = lr;
    this.hp = Object.freeze(values);
    this.#buffers = spec.buffers;
    this.#stepOp = `${spec.type}.step`;
  }

  /**
   * Computes one update out of place: reads the parameter `theta`, its gradient `g` and its state
   * `buffers` (zero-filled at first) and writes the updated parameter to `next` and the updated
   * state to `nextBuffers` (same order), leaving the inputs untouched so that a step can be
   * refused without undoing anything. `t` is this parameter's 1-based update number, `lr` the
   * learning rate of this update.
   *
   * Returns the step's finiteness check, made in the same pass: the sum over i of
   * `g[i] * 0 + next[i] * 0`, which is 0 when every gradient and every updated value is finite
   * and NaN otherwise (x * 0 is NaN exactly for NaN and ±Infinity). Checking there saves two
   * more passes over every parameter (measured: an SGD step over W3's 664k weights took 2.4 ms
   * instead of 5.9).
   */
  protected abstract update(theta: Float64Array, g: Float64Array, buffers: Float64Array[], lr: number, t: number, next: Float64Array, nextBuffers: Float64Array[]): number;

  /**
   * The hyperparameters other than lr (a copy).
   * @example
   * new Adam().hyperparams(); // { beta1: 0.9, beta2: 0.999, eps: 1e-8 }
   */
  hyperparams(): Hyperparams<O> {
    return { ...this.hp };
  }

  /** Every hyperparameter, lr included (a number or the schedule function). */
  get config(): OptimizerConfig {
    return { lr: this.lr, ...this.hp } as OptimizerConfig;
  }

  /**
   * Updates every parameter that has a gradient, in place, as one atomic step. All gradients
   * (shape, NaN/Infinity) and learning rates are checked first; then every update is computed
   * aside and committed only if all updated parameters are finite. If one is not (a learning rate
   * far too large, a diverging run), a ValueError names it and nothing has changed: parameters,
   * step counts and buffers are exactly as before. Parameters whose `.grad` is null are skipped
   * (their step count does not advance). Each updated parameter's `markModified()` is called.
   */
  step(params: readonly MLArray[]): void {
    const op = this.#stepOp;
    checkParams(op, params);
    this.#step(op, params, null, null);
  }

  /**
   * @internal `step(params)` with each parameter's gradient given as numbers (null: skip it)
   * instead of read from `.grad`: the same atomic update, for @smolml/nn's replayed training
   * steps (their gradients live in buffers of the compiled step, not in `.grad`). `params` must
   * be distinct MLArrays (as `step` checks) and each gradient exactly its parameter's size.
   * `thetas`, when given, holds each parameter's numbers as they are now (its own `data` or a
   * copy, e.g. the compiled step's, in the memory of a backend whose update kernels then read it
   * where it is): the update reads them there and writes the result into the parameter's `data`.
   */
  stepWithGradients(params: readonly MLArray[], grads: readonly (Float64Array | null)[], thetas?: readonly Float64Array[]): void {
    const op = this.#stepOp;
    let fits = grads.length === params.length && (thetas === undefined || thetas.length === params.length);
    for (let i = 0; fits && i < grads.length; i++) {
      const size = params[i]!.size;
      fits = (grads[i] === null || grads[i]!.length === size) && (thetas === undefined || thetas[i]!.length === size);
    }
    if (!fits) {
      throw new ShapeError(
        `${op}: got ${grads.length} gradients and ${thetas?.length ?? 'no'} copies of parameters for ${params.length} parameters, or one whose size is not its parameter's`,
      );
    }
    this.#step(op, params, grads, thetas ?? null);
  }

  /**
   * @internal For @smolml/nn's training loop: until the returned function is called, the state
   * of `params`, and any state this optimizer creates, lives in arrays of `allocate` (a backend's
   * memory, where its `updateKernels` compute in place); the function moves it back into ordinary
   * arrays, the same numbers, and gives every array it took to `release` (see loan.ts). Calling it
   * again does nothing. A second loan while one is open shares it (and its `allocate`).
   */
  lendState(params: readonly MLArray[], allocate: (length: number) => Float64Array, release: (array: Float64Array) => void): () => void {
    const loan = this.#loan ?? new Loan(allocate, release);
    if (this.#loan === loan) loan.depth++;
    this.#loan = loan;
    for (const p of params) {
      const s = this.#state.get(p);
      if (s !== undefined) loan.take(s);
    }
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      if (--loan.depth > 0) return;
      loan.end();
      if (this.#loan === loan) this.#loan = null;
    };
  }

  /** A zero-filled array for state `s`: the loan's while the state is lent, else an ordinary one. */
  #array(length: number, s: ParamState): Float64Array {
    return this.#loan !== null ? this.#loan.array(length, s) : new Float64Array(length);
  }

  /**
   * The update of `step`, with the gradients from `.grad` (`given` null) or given. Shapes and
   * learning rates are checked first; each update's own pass then checks its gradient and its
   * result (see `update`). Whatever fails, #refuse reports the error that checking everything
   * before any update would: parameter by parameter, its gradient, then its learning rate; only
   * when all of those pass, the first update that is not finite. `thetas` (or the parameters'
   * own data when null) are the numbers the updates read.
   */
  #step(op: string, params: readonly MLArray[], given: readonly (Float64Array | null)[] | null, thetas: readonly Float64Array[] | null): void {
    const lrs = this.#lrs;
    // First each parameter's registered state (or none) is looked up once, into the scratch that
    // then holds its pending update; a refused step leaves the scratch empty.
    const states = this.#pending;
    try {
      for (let i = 0; i < params.length; i++) {
        const p = params[i]!;
        const g = given === null ? gradientOf(op, p, i) : given[i]!;
        if (g === null) continue;
        const s = this.#state.get(p);
        lrs[i] = this.#lrAt(op, i, s?.step ?? 0);
        states[i] = s;
      }
    } catch (e) {
      states.fill(undefined);
      this.#refuse(op, params, given);
      throw e;
    }
    // Compute every update aside (a parameter's first state is not registered yet), check it...
    const pending = this.#pending;
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      const g = given === null ? (p.grad?.data ?? null) : given[i]!;
      if (g === null) continue;
      let s = states[i];
      if (s === undefined) {
        s = { step: 0, buffers: [], spare: null, next: null };
        s.buffers = this.#buffers.map(() => this.#array(p.size, s!));
      }
      states[i] = undefined;
      s.spare ??= this.#buffers.map(() => this.#array(p.size, s!));
      s.next ??= this.#array(p.size, s);
      pending[i] = s;
      if (this.update(thetas?.[i] ?? p.data, g, s.buffers, lrs[i]!, s.step + 1, s.next, s.spare) === 0) continue;
      pending.fill(undefined);
      this.#refuse(op, params, given);
      const k = firstNonFinite(s.next);
      throw new ValueError(
        `${op}: updating parameter ${i} (shape ${formatShape(p.shape)}) would set element ${k} to ${s.next[k]} (from ${p.data[k]}, lr ${lrs[i]}); ` +
          'nothing was changed (parameters and optimizer state are as before this step). Lower the learning rate or check the scale of the gradients',
      );
    }
    // ...then commit: one copy per parameter; the state buffers trade places with their spares.
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      if ((given === null ? p.grad : given[i]) === null) continue;
      const s = pending[i]!;
      pending[i] = undefined;
      copyInto(s.next!, p.data);
      const old = s.buffers;
      s.buffers = s.spare!;
      s.spare = old;
      if (s.step++ === 0) this.#state.set(p, s);
      p.markModified();
    }
  }

  /**
   * A step was refused: throws the first error of checking every parameter in order (its
   * gradient's shape, then its numbers, then its learning rate), the error a step reports first.
   * Returns when those all pass, and the caller reports what it found (an update that is not finite).
   */
  #refuse(op: string, params: readonly MLArray[], given: readonly (Float64Array | null)[] | null): void {
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      const g = given === null ? gradientOf(op, p, i) : given[i]!;
      if (g === null) continue;
      const k = firstNonFinite(g);
      if (k >= 0) throw new ValueError(`${op}: gradient of parameter ${i} (shape ${formatShape(p.shape)}) holds ${g[k]} at element ${k}; nothing was updated`);
      this.#lrAt(op, i, this.#state.get(p)?.step ?? 0);
    }
  }

  /** Sets every parameter's `.grad` to null (the next backward() starts from scratch). */
  zeroGrad(params: readonly MLArray[]): void {
    checkParams(`${this.type}.zeroGrad`, params);
    for (const p of params) p.grad = null;
  }

  #lrAt(op: string, index: number, step: number): number {
    if (typeof this.lr === 'number') return this.lr;
    const lr = this.lr(step);
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      throw new ValueError(`${op}: the schedule gave lr = ${describeValue(lr)} for parameter ${index} at step ${step}; it must return a finite number >= 0`);
    }
    return lr;
  }

  /**
   * Hyperparameters and the state of each of `params` (in that order) as plain JSON-safe data:
   * numbers round-trip float64 exactly through JSON.stringify/parse, and state values that
   * overflowed are written as `"Infinity"`, `"-Infinity"` or `"NaN"` (see `ParamStateJSON`).
   * Throws ValueError if lr is a custom function (only the built-in schedules can be described).
   */
  toJSON(params: readonly MLArray[]): OptimizerJSON {
    const op = `${this.type}.toJSON`;
    checkParams(op, params);
    let lr: number | ScheduleJSON;
    if (typeof this.lr === 'number') lr = this.lr;
    else {
      const d = scheduleToJSON(this.lr);
      if (d === undefined) {
        throw new ValueError(
          `${op}: lr is a custom function, which JSON cannot hold; use a number or stepDecay/exponentialDecay/cosineDecay, ` +
            'or save the model without its optimizer state and pass the schedule again when resuming',
        );
      }
      lr = d;
    }
    const state = params.map((p): ParamStateJSON | null => {
      const s = this.#state.get(p);
      return s === undefined ? null : encodeState(s, p.shape, this.#buffers);
    });
    return { type: this.type, config: { lr, ...this.hp }, state };
  }

  /**
   * Restores the per-parameter state saved by `toJSON(params)` (params in the same order, with the
   * same shapes; a state saved without shapes loads when the sizes match). Hyperparameters are not
   * changed (they come from the constructor; see `optimizerFromJSON` to restore both). The whole
   * input is validated first: on any error a ValueError is thrown and the optimizer is unchanged.
   */
  loadState(params: readonly MLArray[], json: OptimizerJSON): void {
    const op = `${this.type}.loadState`;
    checkParams(op, params);
    const bad = (what: string): never => {
      throw new ValueError(`${op}: malformed state: ${what}; expected the output of ${this.type}.toJSON(params)`);
    };
    if (json === null || typeof json !== 'object') bad(`got ${describeValue(json)}`);
    if (json.type !== this.type) bad(`it was saved by ${describeValue(json.type)}, not ${this.type}`);
    if (!Array.isArray(json.state)) bad('state is not an array');
    if (json.state.length !== params.length) bad(`it holds ${json.state.length} parameter entries for ${params.length} parameters`);
    const restored = json.state.map((entry, i) => decodeState(entry, i, params[i]!, this.#buffers, bad));
    params.forEach((p, i) => {
      const s = restored[i]!;
      if (s === null) this.#state.delete(p);
      else {
        this.#loan?.take(s); // restored during a run: into the lent memory too
        this.#state.set(p, s);
      }
    });
  }
}

/** The numbers of `p.grad` (null when it has none), once checked to have p's shape. */
function gradientOf(op: string, p: MLArray, i: number): Float64Array | null {
  const g = p.grad;
  if (g === null) return null;
  if (g.size !== p.size || g.ndim !== p.ndim || g.shape.some((d, k) => d !== p.shape[k])) {
    throw new ShapeError(`${op}: gradient of parameter ${i} has shape ${formatShape(g.shape)}, but the parameter has shape ${formatShape(p.shape)}`);
  }
  return g.data;
}

/** Index of the first NaN or ±Infinity in `d`, or -1: one branch-free pass (core's allFinite), then a search only on failure. */
function firstNonFinite(d: Float64Array): number {
  if (allFinite(d)) return -1;
  for (let k = 0; k < d.length; k++) if (!Number.isFinite(d[k]!)) return k;
  return -1;
}

/**
 * Whether `optimizer` is one of this package's optimizers (and so has `type`, `config`,
 * `toJSON` and `loadState`).
 * @example
 * if (isSerializableOptimizer(opt)) json.optimizer = opt.toJSON(params);
 */
export function isSerializableOptimizer(optimizer: Optimizer): optimizer is SerializableOptimizer {
  return optimizer instanceof BaseOptimizer;
}
