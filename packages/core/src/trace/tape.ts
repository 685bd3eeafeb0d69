/**
 * Tracing: while `trace(fn)` runs, every primitive applied (recorded for backward or not) is
 * also appended to a tape, in the order it ran. The tape is what `compileStep` (compile.ts)
 * turns into a replayable step. Outside `trace` the hook costs one null check per operation.
 */
import { ValueError } from '../errors.js';
import type { Primitive, PrimitiveParams } from '../ops/types.js';
import type { Differentiable } from '../autodiff.js';

/** One primitive as it ran: `out = prim(inputs; params)`. */
export interface TracedOp {
  readonly prim: Primitive;
  readonly inputs: readonly Differentiable[];
  readonly params: PrimitiveParams[Primitive];
  readonly out: Differentiable;
}

let tape: TracedOp[] | null = null;

/** Called by autodiff's `record` for every primitive applied (see mlarray.ts `apply`). */
export function traceOp(prim: Primitive, inputs: readonly Differentiable[], params: PrimitiveParams[Primitive], out: Differentiable): void {
  if (tape !== null) tape.push({ prim, inputs, params, out });
}

/**
 * Runs `fn` (synchronously) and returns its result with the primitives it applied, in order.
 * Traces do not nest: the loop that traces a step never runs a second one inside it.
 */
export function trace<T>(fn: () => T): { result: T; ops: TracedOp[] } {
  if (tape !== null) throw new ValueError('trace: already tracing (traces do not nest)');
  const ops: TracedOp[] = [];
  tape = ops;
  try {
    return { result: fn(), ops };
  } finally {
    tape = null;
  }
}
