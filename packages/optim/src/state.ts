/**
 * Per-parameter optimizer state and its JSON form. JSON has no NaN or Infinity (JSON.stringify
 * writes `null`), yet a state buffer may legitimately overflow while the parameters stay finite
 * (Adam's `v` or RMSProp's `squareAvg` reaching Infinity only makes the step 0), so non-finite
 * numbers are written as the strings `"Infinity"`, `"-Infinity"` and `"NaN"`: saving never fails
 * and never loses a value.
 */
import { formatShape, type MLArray } from '@smolml/core';
import { clip, describeValue, sameShape } from '@smolml/core/internal';

/** A state number in JSON: a finite number as itself, a non-finite one as its name. */
export type StateNumber = number | 'Infinity' | '-Infinity' | 'NaN';

/** One parameter's saved state: its update count, its shape and its buffers. */
export interface ParamStateJSON {
  step: number;
  /** The parameter's shape. States saved without it (older versions) load when the sizes match. */
  shape?: number[];
  /** Each buffer's values in row-major order; non-finite values as `"Infinity"`, `"-Infinity"`, `"NaN"`. */
  buffers: Record<string, StateNumber[]>;
}

/** One parameter's live state. */
export interface ParamState {
  /** Updates applied so far (the schedule's step index; Adam's t - 1). */
  step: number;
  /** The state buffers, in the declared order. */
  buffers: Float64Array[];
  /**
   * Where a step writes the updated buffers and parameter before it commits (allocated at the
   * parameter's first step, then reused: a commit swaps `buffers` and `spare` and copies `next`).
   */
  spare: Float64Array[] | null;
  next: Float64Array | null;
}

/** The JSON form of `s`, the state of a parameter of shape `shape` with buffers named `names`. */
export function encodeState(s: ParamState, shape: readonly number[], names: readonly string[]): ParamStateJSON {
  const buffers: Record<string, StateNumber[]> = {};
  names.forEach((name, k) => {
    const b = s.buffers[k]!;
    const values = new Array<StateNumber>(b.length);
    for (let i = 0; i < b.length; i++) {
      const x = b[i]!;
      values[i] = Number.isFinite(x) ? x : (String(x) as StateNumber);
    }
    buffers[name] = values;
  });
  return { step: s.step, shape: [...shape], buffers };
}

const NON_FINITE: Readonly<Record<string, number>> = { Infinity: Infinity, '-Infinity': -Infinity, NaN: Number.NaN };

/**
 * The live state of saved entry `i` for parameter `p`, or null for a null entry. Calls
 * `bad(what)` (which throws) on anything `encodeState` cannot have written for `p`.
 */
export function decodeState(entry: unknown, i: number, p: MLArray, names: readonly string[], bad: (what: string) => never): ParamState | null {
  if (entry === null) return null;
  if (typeof entry !== 'object' || Array.isArray(entry)) bad(`entry ${i} is not an object or null`);
  const e = entry as Partial<Record<keyof ParamStateJSON, unknown>>;
  const step = e.step;
  if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0) bad(`entry ${i} has step ${describeValue(step)}, not an integer >= 0`);
  if (e.shape !== undefined && !(Array.isArray(e.shape) && sameShape(e.shape as number[], p.shape))) {
    bad(`entry ${i} was saved for shape ${describeValue(e.shape)}, but parameter ${i} has shape ${formatShape(p.shape)}`);
  }
  const b = e.buffers;
  if (b === null || typeof b !== 'object' || Array.isArray(b)) bad(`entry ${i} has no buffers object`);
  const have = Object.keys(b as object);
  if (have.length !== names.length || !names.every((n) => Object.hasOwn(b as object, n))) {
    bad(`entry ${i} has buffers [${clip(have.join(', '))}], expected [${names.join(', ')}]`);
  }
  const size = p.size;
  const buffers = names.map((name) => {
    const values: unknown = (b as Record<string, unknown>)[name];
    if (!Array.isArray(values) || values.length !== size) bad(`buffer '${name}' of entry ${i} must be an array of ${size} numbers`);
    const out = new Float64Array(size);
    for (let k = 0; k < size; k++) {
      const v: unknown = (values as unknown[])[k];
      if (typeof v === 'number') out[k] = v;
      else if (typeof v === 'string' && Object.hasOwn(NON_FINITE, v)) out[k] = NON_FINITE[v]!;
      else bad(`buffer '${name}' of entry ${i} holds ${describeValue(v)} at index ${k}; expected a number, "Infinity", "-Infinity" or "NaN"`);
    }
    return out;
  });
  return { step, buffers, spare: null, next: null };
}
