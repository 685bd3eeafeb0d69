/**
 * What every optimizer shares: per-parameter state (buffers and a step count) in a WeakMap keyed
 * by the parameter array, validation before any update, learning-rate schedules evaluated at each
 * parameter's own step, and JSON state. A subclass only writes its update loop.
 */
import { ShapeError, ValueError, allFinite, formatShape, type MLArray, type Optimizer } from '@smolml/core';
import { scheduleToJSON, type LearningRate, type ScheduleJSON } from './schedules.js';
import { checkParams, checkPositive } from './validate.js';

/** Hyperparameters as given (lr may be a schedule function). */
export type OptimizerConfig = { lr: LearningRate } & Record<string, number | boolean | LearningRate>;

/** One parameter's saved state: its update count and its buffers as plain numbers. */
export interface ParamStateJSON {
  step: number;
  buffers: Record<string, number[]>;
}

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
  toJSON(params: readonly MLArray[]): OptimizerJSON;
  loadState(params: readonly MLArray[], json: OptimizerJSON): void;
}

interface ParamState {
  /** Updates applied so far (the schedule's step index; Adam's t - 1). */
  step: number;
  readonly buffers: Float64Array[];
}

/** Throws ValueError unless lr is a finite number > 0 or a function. */
export function checkLr(op: string, lr: unknown): LearningRate {
  if (typeof lr === 'function') return lr as LearningRate;
  return checkPositive(op, 'lr (a number or a schedule function)', lr);
}

export abstract class BaseOptimizer implements SerializableOptimizer {
  readonly type: string;
  readonly lr: LearningRate;
  readonly #bufferNames: readonly string[];
  readonly #state = new WeakMap<MLArray, ParamState>();
  /** Scratch: each parameter's learning rate for the current step (reused, no allocation). */
  readonly #lrs: number[] = [];

  protected constructor(type: string, lr: LearningRate, bufferNames: readonly string[]) {
    this.type = type;
    this.lr = checkLr(type, lr);
    this.#bufferNames = bufferNames;
  }

  /** The hyperparameters other than lr. */
  protected abstract hyperparams(): Record<string, number | boolean>;

  /**
   * Applies one update in place. `t` is this parameter's 1-based update number, `buffers` its
   * state (zero-filled at first), `lr` the learning rate of this update.
   */
  protected abstract update(theta: Float64Array, g: Float64Array, buffers: Float64Array[], lr: number, t: number): void;

  get config(): OptimizerConfig {
    return { lr: this.lr, ...this.hyperparams() };
  }

  /**
   * Updates every parameter that has a gradient, in place. All gradients (shape, NaN/Infinity)
   * and learning rates are checked before the first parameter changes, so a bad batch throws a
   * ValueError and leaves the model as it was. Parameters whose `.grad` is null are skipped
   * (their step count does not advance).
   */
  step(params: readonly MLArray[]): void {
    const op = `${this.type}.step`;
    checkParams(op, params);
    const lrs = this.#lrs;
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      const g = p.grad;
      if (g === null) continue;
      if (g.size !== p.size || g.ndim !== p.ndim || g.shape.some((d, k) => d !== p.shape[k])) {
        throw new ShapeError(`${op}: gradient of parameter ${i} has shape ${formatShape(g.shape)}, but the parameter has shape ${formatShape(p.shape)}`);
      }
      const gd = g.data;
      // one branch-free pass (core's allFinite); locate the bad element only on failure
      const finite = allFinite(gd);
      for (let k = 0; !finite && k < gd.length; k++) {
        if (!Number.isFinite(gd[k]!)) {
          throw new ValueError(`${op}: gradient of parameter ${i} (shape ${formatShape(p.shape)}) holds ${gd[k]} at element ${k}; nothing was updated`);
        }
      }
      lrs[i] = this.#lrAt(op, i, this.#state.get(p)?.step ?? 0);
    }
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      if (p.grad === null) continue;
      let s = this.#state.get(p);
      if (s === undefined) {
        s = { step: 0, buffers: this.#bufferNames.map(() => new Float64Array(p.size)) };
        this.#state.set(p, s);
      }
      this.update(p.data, p.grad.data, s.buffers, lrs[i]!, s.step + 1);
      s.step++;
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
      throw new ValueError(`${op}: the schedule gave lr = ${String(lr)} for parameter ${index} at step ${step}; it must return a finite number >= 0`);
    }
    return lr;
  }

  /**
   * Hyperparameters and the state of each of `params` (in that order) as plain JSON-safe data:
   * numbers round-trip float64 exactly through JSON.stringify/parse. Throws ValueError if lr is
   * a custom function (only the built-in schedules can be described).
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
    const state = params.map((p, i): ParamStateJSON | null => {
      const s = this.#state.get(p);
      if (s === undefined) return null;
      const buffers: Record<string, number[]> = {};
      this.#bufferNames.forEach((name, k) => {
        const values = Array.from(s.buffers[k]!);
        if (!values.every(Number.isFinite)) throw new ValueError(`${op}: buffer '${name}' of parameter ${i} holds a non-finite value; JSON cannot hold it`);
        buffers[name] = values;
      });
      return { step: s.step, buffers };
    });
    return { type: this.type, config: { lr, ...this.hyperparams() }, state };
  }

  /**
   * Restores the per-parameter state saved by `toJSON(params)` (params in the same order, with the
   * same shapes). Hyperparameters are not changed (they come from the constructor; see
   * `optimizerFromJSON` to restore both). The whole input is validated first: on any error a
   * ValueError is thrown and the optimizer is left unchanged.
   */
  loadState(params: readonly MLArray[], json: OptimizerJSON): void {
    const op = `${this.type}.loadState`;
    checkParams(op, params);
    const bad: (what: string) => never = (what) => {
      throw new ValueError(`${op}: malformed state: ${what}; expected the output of ${this.type}.toJSON(params)`);
    };
    if (json === null || typeof json !== 'object') bad(`got ${json === null ? 'null' : typeof json}`);
    if (json.type !== this.type) bad(`it was saved by ${JSON.stringify(json.type)}, not ${this.type}`);
    if (!Array.isArray(json.state)) bad('state is not an array');
    if (json.state.length !== params.length) bad(`it holds ${json.state.length} parameter entries for ${params.length} parameters`);
    const restored = json.state.map((entry, i): ParamState | null => {
      if (entry === null) return null;
      if (typeof entry !== 'object') bad(`entry ${i} is not an object or null`);
      if (!Number.isInteger(entry.step) || entry.step < 0) bad(`entry ${i} has step ${String(entry.step)}, not an integer >= 0`);
      const b = entry.buffers;
      if (b === null || typeof b !== 'object') bad(`entry ${i} has no buffers object`);
      const names = Object.keys(b);
      const want = this.#bufferNames;
      if (names.length !== want.length || !want.every((n) => Object.hasOwn(b, n))) bad(`entry ${i} has buffers [${names.join(', ')}], expected [${want.join(', ')}]`);
      const size = params[i]!.size;
      const buffers = want.map((name) => {
        const values = b[name];
        if (!Array.isArray(values) || values.length !== size) bad(`buffer '${name}' of entry ${i} must be an array of ${size} numbers`);
        const out = new Float64Array(size);
        for (let k = 0; k < size; k++) {
          const v: unknown = values[k];
          if (typeof v !== 'number' || !Number.isFinite(v)) bad(`buffer '${name}' of entry ${i} holds ${String(v)} at index ${k}`);
          out[k] = v as number;
        }
        return out;
      });
      return { step: entry.step, buffers };
    });
    params.forEach((p, i) => {
      const s = restored[i]!;
      if (s === null) this.#state.delete(p);
      else this.#state.set(p, s);
    });
  }
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
