/**
 * A compiled step: the operations of one traced forward pass (tape.ts) and of its backward pass,
 * replayed on new numbers into buffers allocated once.
 *
 * Why it computes the same numbers, bit for bit, as running the same code on MLArrays:
 * - forward runs the traced primitives in the order they ran, each through replay.ts (the rule's
 *   own kernels, or the rule itself);
 * - backward visits the arrays in the order `backward()` does (`graphOrder`), calls each
 *   primitive's backward with the same `needs`, and sums the contributions an array receives in
 *   the same sequence as autodiff's `addPending` (the first kept as is, the second added to it in
 *   a buffer of the step's own, the others added into that buffer);
 * - a parameter's gradient is what `backward()` would have put in its (cleared) `.grad`.
 * What it skips is bookkeeping whose outcome is known for a fixed trace: building MLArrays and
 * graph nodes, argument and shape checks, the topological sort and the version checks (nothing
 * runs between a replayed forward and its backward).
 *
 * A trace can only stand for later calls when the code traced is a fixed function of its
 * inputs: the same primitives with the same params whatever the numbers (no params or
 * constants computed from the data, no randomness). The caller vouches for that (the training
 * loop replays only built-in layers, activations and losses); `compileStep` checks the rest.
 */
import { type Differentiable, addInto, graphOrder } from '../autodiff.js';
import type { Tensor } from '../ops/types.js';
import { getBackend } from '../kernels/backend.js';
import { copyInto } from '../kernels/layout.js';
import { type Alloc, type OpReplay, replayOf } from './replay.js';
import type { TracedOp } from './tape.js';

/** What to compile: a trace, its result and its leaves. */
export interface StepSpec {
  /** The traced primitives, in the order they ran (`trace(fn).ops`). */
  readonly ops: readonly TracedOp[];
  /** The traced result to differentiate: a single number (a loss). */
  readonly loss: Differentiable;
  /** Leaves whose numbers change from call to call (a batch, its targets): each gets a buffer to fill. */
  readonly inputs: readonly Differentiable[];
  /**
   * Leaves to differentiate: their `data` must keep its identity (parameters updated in place).
   * Each `forward()` reads their numbers anew (see `CompiledStep.params`).
   */
  readonly params: readonly Differentiable[];
  /** Traced arrays whose numbers the caller reads after `forward()` (e.g. the predictions). */
  readonly outputs?: readonly Differentiable[];
}

/** A step compiled by `compileStep`. It owns its buffers: `dispose()` gives them back, as dropping it does. */
export interface CompiledStep {
  /** One buffer per `StepSpec.inputs`, in that order: copy the call's numbers in before `forward()`. */
  readonly inputs: readonly Float64Array[];
  /** One buffer per `StepSpec.outputs`, holding the numbers of the last `forward()`. */
  readonly outputs: readonly Float64Array[];
  /**
   * One array per `StepSpec.params`, holding the numbers the parameter had at the last
   * `forward()`, where the step's kernels read them. With a backend that has memory of its own
   * (`allocate`) it is a buffer in that memory, into which `forward()` first copies the parameter
   * (one copy, where each product reading the parameter would otherwise copy it in); without one
   * it is the parameter's own `data`. An optimizer may read a parameter from it until the
   * parameter changes (e.g. @smolml/optim's `stepWithGradients`, so that a backend's update
   * kernels find it in their memory).
   */
  readonly params: readonly Float64Array[];
  /** Runs the forward pass on the numbers now in the inputs and parameters; returns the loss. */
  forward(): number;
  /**
   * Backpropagates from the loss of the last `forward()`; returns the gradient of each parameter
   * (null for one the loss does not depend on). The buffers are the step's: read them before the
   * next call.
   */
  backward(): readonly (Float64Array | null)[];
  /**
   * Gives the buffers taken from the backend's `allocate` back to it now (its `release`), rather
   * than when they are garbage-collected. The step, its inputs, outputs and gradients must not be
   * used afterwards.
   */
  dispose(): void;
}

/** Why a trace cannot be compiled (the caller then keeps running its code eagerly). */
export interface NotCompiled {
  readonly reason: string;
}

/** One array `backward()` visits: a parameter (its index) or a traced primitive (its replay, inputs and needs). */
interface Visit {
  readonly id: number;
  readonly param: number;
  readonly replay: OpReplay | null;
  readonly inputs: readonly number[];
  readonly needs: readonly boolean[];
}

/**
 * Compiles a traced step, or says why it cannot: an input of a traced primitive that is neither
 * traced, given, nor a constant; a leaf needing a gradient that is not among `params`; a loss
 * that is not one number computed from the parameters.
 * @example
 * const { result: loss, ops } = trace(() => net.forward(x).sub(y).pow(2).mean());
 * const step = compileStep({ ops, loss, inputs: [x, y], params: net.parameters() });
 * if (!('reason' in step)) { step.inputs[0].set(nextX.data); step.forward(); step.backward(); }
 */
export function compileStep(spec: StepSpec): CompiledStep | NotCompiled {
  // The step's buffers come from the backend where it has memory of its own (e.g. @smolml/wasm's
  // shared memory, which its products then read and write without copies).
  const backend = getBackend();
  const allocated: Float64Array[] = [];
  const alloc: Alloc = (length) => {
    if (backend.allocate === undefined) return new Float64Array(length);
    const buffer = backend.allocate(length);
    allocated.push(buffer);
    return buffer;
  };
  /** Gives the backend its buffers back: when the step is disposed, or at once if it is not compiled. */
  const release = () => {
    for (const buffer of allocated.splice(0)) backend.release?.(buffer);
  };
  const step = compileWith(spec, alloc, release, backend.allocate !== undefined);
  if ('reason' in step) release();
  return step;
}

/**
 * compileStep, with the step's buffers from `alloc` (given back by `release`); `inMemory`: they
 * are in the backend's own memory, and the parameters get buffers there too.
 */
function compileWith(spec: StepSpec, alloc: Alloc, release: () => void, inMemory: boolean): CompiledStep | NotCompiled {
  const { ops, loss, inputs, params, outputs = [] } = spec;
  const slots = new Map<Differentiable, Tensor>();
  for (const x of inputs) {
    if (x.requiresGrad || slots.has(x)) return { reason: 'an input requires a gradient or is given twice' };
    slots.set(x, { data: alloc(x.data.length), shape: [...x.shape] });
  }
  const paramBuffers: Float64Array[] = [];
  for (const p of params) {
    if (!p.requiresGrad || p.node !== null || slots.has(p)) return { reason: 'a parameter is not a distinct leaf that requires a gradient' };
    const data = inMemory ? alloc(p.data.length) : p.data;
    paramBuffers.push(data);
    slots.set(p, { data, shape: p.shape });
  }

  // Forward: a buffer for every result, a replay for every primitive.
  const replays = new Map<Differentiable, OpReplay>();
  for (const op of ops) {
    const ins: Tensor[] = [];
    for (const x of op.inputs) {
      let t = slots.get(x);
      if (t === undefined) {
        // A leaf neither given nor traced, e.g. the scalar of `.mul(0.5)`: a constant, read in place.
        if (x.node !== null || x.requiresGrad) return { reason: `an input of '${op.prim}' was computed outside the trace` };
        t = { data: x.data, shape: x.shape };
        slots.set(x, t);
      }
      ins.push(t);
    }
    if (slots.has(op.out)) return { reason: `the result of '${op.prim}' is also a leaf of the step` };
    const out: Tensor = { data: alloc(op.out.data.length), shape: op.out.shape };
    slots.set(op.out, out);
    const needs = op.out.node?.needs ?? op.inputs.map(() => false);
    replays.set(op.out, replayOf(op.prim, ins, out, op.params, needs, alloc));
  }
  const lossSlot = replays.has(loss) ? slots.get(loss)! : undefined;
  if (lossSlot === undefined || lossSlot.data.length !== 1 || !loss.requiresGrad) {
    return { reason: 'the loss is not a single traced number that depends on the parameters' };
  }
  const outputBuffers: Float64Array[] = [];
  for (const o of outputs) {
    const t = slots.get(o);
    if (t === undefined) return { reason: 'an output is not part of the trace' };
    outputBuffers.push(t.data);
  }

  // Backward: the order backward() walks, each array's contributions counted to size its sums.
  const order = graphOrder(loss);
  const ids = new Map(order.map((arr, i) => [arr, i]));
  const paramIndex = new Map(params.map((p, i) => [p as Differentiable, i]));
  const contributions = new Array<number>(order.length).fill(0);
  const visits: Visit[] = [];
  for (let i = order.length - 1; i >= 0; i--) {
    const arr = order[i]!;
    if (arr.retainsGrad) return { reason: 'an intermediate array keeps its gradient (retainGrad)' };
    const param = paramIndex.get(arr) ?? -1;
    const node = arr.node;
    if (param >= 0) {
      visits.push({ id: i, param, replay: null, inputs: [], needs: [] });
      continue;
    }
    const replay = replays.get(arr);
    if (node === null || replay === undefined) return { reason: 'a leaf that needs a gradient is not among the parameters' };
    const inputIds = node.inputs.map((x) => ids.get(x) ?? -1);
    node.needs.forEach((need, j) => {
      if (need) contributions[inputIds[j]!]!++;
    });
    visits.push({ id: i, param: -1, replay, inputs: inputIds, needs: node.needs });
  }
  // Only an array reached more than once needs a sum buffer (autodiff's "owned" pending).
  const totals = order.map((arr, i) => (contributions[i]! > 1 ? alloc(arr.data.length) : null));
  return runner({
    release,
    inputs: inputs.map((x) => slots.get(x)!.data),
    outputs: outputBuffers,
    params: params.map((p) => p.data),
    paramBuffers,
    loss: lossSlot.data,
    forwards: [...replays.values()],
    visits,
    totals,
    rootId: ids.get(loss)!,
  });
}

/** What a compiled step runs: plain buffers and replays, no MLArray (the traced arrays are not kept alive). */
interface Program {
  /** Gives the backend the buffers it allocated back. */
  release: () => void;
  inputs: Float64Array[];
  outputs: Float64Array[];
  /** Each parameter's `data`, and the buffer forward() copies it into (the same array when there is none). */
  params: Float64Array[];
  paramBuffers: Float64Array[];
  loss: Float64Array;
  forwards: OpReplay[];
  visits: Visit[];
  /** Per visited array, the buffer its contributions are summed into, when it gets several. */
  totals: (Float64Array | null)[];
  rootId: number;
}

function runner({ release, inputs, outputs, params, paramBuffers, loss, forwards, visits, totals, rootId }: Program): CompiledStep {
  const pending: (Float64Array | null)[] = new Array<Float64Array | null>(totals.length).fill(null);
  const owned: boolean[] = new Array<boolean>(totals.length).fill(false);
  const grads: (Float64Array | null)[] = new Array<Float64Array | null>(params.length).fill(null);
  const one = Float64Array.of(1);

  /** autodiff's addPending, with the sum written into the buffer kept for it. */
  const addPending = (id: number, c: Float64Array): void => {
    const prev = pending[id] ?? null;
    if (prev === null) {
      pending[id] = c;
      owned[id] = false;
    } else if (owned[id]) {
      addInto(prev, c);
    } else {
      const total = totals[id]!;
      for (let t = 0; t < prev.length; t++) total[t] = prev[t]! + c[t]!;
      pending[id] = total;
      owned[id] = true;
    }
  };

  return {
    inputs,
    outputs,
    params: paramBuffers,
    forward() {
      for (let i = 0; i < params.length; i++) if (paramBuffers[i] !== params[i]) copyInto(params[i]!, paramBuffers[i]!);
      for (let k = 0; k < forwards.length; k++) forwards[k]!.forward();
      return loss[0]!;
    },
    backward() {
      pending.fill(null);
      grads.fill(null);
      pending[rootId] = one;
      for (let k = 0; k < visits.length; k++) {
        const v = visits[k]!;
        const g = pending[v.id] ?? null;
        if (v.param >= 0) {
          grads[v.param] = g;
          continue;
        }
        if (g === null) continue;
        const cs = v.replay!.backward(g);
        for (let j = 0; j < v.inputs.length; j++) {
          const c = cs[j];
          if (v.needs[j] && c) addPending(v.inputs[j]!, c);
        }
      }
      return grads;
    },
    dispose: release,
  };
}
