/**
 * Reverse-mode automatic differentiation over whole arrays.
 *
 * Recording: every primitive applied to an input that requires gradients leaves a `GraphNode`
 * on its output (which primitive, which inputs, its params, and the version of each array the
 * gradient rule will read). `runBackward` orders the graph topologically with an explicit
 * stack (no recursion), walks it from the output back to the leaves, calls each primitive's
 * gradient rule once and sums the contributions arriving at arrays used several times.
 * Afterwards the nodes are dropped, so the graph of one training step is garbage as soon as
 * the step ends: nothing grows across training.
 */
import { AutodiffError, ShapeError, ValueError, formatShape } from './errors.js';
import { RULES } from './ops/table.js';
import type { Primitive, PrimitiveParams, Rule, Tensor } from './ops/types.js';
import { sameShape } from './shape.js';
import { traceOp } from './trace/tape.js';

/** One recorded operation: what backward needs to push a gradient through it. */
export interface GraphNode {
  /** Which primitive produced the output. */
  readonly prim: Primitive;
  /** The gradient rule of `prim` (looked up once, when the op is recorded). */
  readonly rule: Rule<PrimitiveParams[Primitive]>;
  /** The operation's inputs, in order. */
  readonly inputs: readonly Differentiable[];
  /** The parameters the operation was applied with (axes, exponent, stride, ...). */
  readonly params: PrimitiveParams[Primitive];
  /** For each input, whether a gradient must flow to it. */
  readonly needs: readonly boolean[];
  /** The `version` of each input when the op was recorded, then the output's (see `Rule.reads`). */
  readonly versions: readonly number[];
}

/** What the autodiff engine needs from an array (MLArray implements it). */
export interface Differentiable extends Tensor {
  requiresGrad: boolean;
  /** The recorded operation that produced this array, or null for a leaf. */
  node: GraphNode | null;
  /** True once backward() has released the node that produced this array. */
  freed: boolean;
  /** Whether an intermediate (non-leaf) array keeps its gradient in `.grad`. */
  retainsGrad: boolean;
  /** How many times the numbers were changed in place (see MLArray.version). */
  readonly version: number;
  /** Adds `g` into this array's `.grad`. */
  accumulateGrad(g: Float64Array): void;
  /**
   * @internal Bookkeeping of backward, kept on each array a pass reaches so that a pass needs
   * no Map or Set: the id of the last pass that visited it, the gradient summed for it so far,
   * and whether that buffer was allocated by the pass (and so may be added into in place).
   */
  visit: number;
  /** @internal */
  pending: Float64Array | null;
  /** @internal */
  ownsPending: boolean;
}

/** Options of `MLArray.backward`. */
export interface BackwardOptions {
  /** Keep the graph so backward can run through it again (default false: it is released). */
  retainGraph?: boolean;
}

let recording = true;

/**
 * Whether operations are currently recorded for backward.
 * @example
 * isGradEnabled(); // true
 * noGrad(() => isGradEnabled()); // false
 */
export function isGradEnabled(): boolean {
  return recording;
}

/**
 * Runs `fn` without recording any graph (inference, parameter updates). Nests safely.
 * `fn` must be synchronous: recording is switched back on when `fn` returns, which for an async
 * function is at its first `await`, so the rest of it would be recorded. An async function (or
 * any `fn` that returns a Promise) is refused with a ValueError; call `noGrad` around the
 * synchronous steps instead (`const batch = await next(); noGrad(() => net.forward(batch))`).
 * @example
 * const pred = noGrad(() => net.forward(x)); // no graph, no gradients
 */
export function noGrad<T>(fn: () => T): T {
  if (typeof fn === 'function' && fn.constructor.name === 'AsyncFunction') throw asyncError();
  const prev = recording;
  recording = false;
  let result: T;
  try {
    result = fn();
  } finally {
    recording = prev;
  }
  if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
    (result as unknown as PromiseLike<unknown>).then(undefined, () => {}); // its failure is reported by the error below, not as unhandled
    throw asyncError();
  }
  return result;
}

function asyncError(): ValueError {
  return new ValueError(
    'noGrad: fn is async (it returns a Promise), but noGrad covers only synchronous code: recording resumes when fn ' +
      'returns, before the awaited part runs; call noGrad around the synchronous steps instead, e.g. ' +
      '`const batch = await next(); noGrad(() => net.forward(batch))`',
  );
}

/**
 * Records `out = prim(inputs)` when any input requires gradients and recording is on (and hands
 * every operation to an active trace, see trace/tape.ts).
 */
export function record<P extends Primitive>(
  out: Differentiable,
  prim: P,
  inputs: readonly Differentiable[],
  params: PrimitiveParams[P],
): void {
  traceOp(prim, inputs, params, out);
  if (!recording) return;
  let any = false;
  for (const x of inputs) any ||= x.requiresGrad;
  if (!any) return;
  out.requiresGrad = true;
  const n = inputs.length;
  const needs = new Array<boolean>(n);
  const versions = new Array<number>(n + 1);
  for (let i = 0; i < n; i++) {
    needs[i] = inputs[i]!.requiresGrad;
    versions[i] = inputs[i]!.version;
  }
  versions[n] = out.version;
  out.node = { prim, rule: RULES[prim] as Rule<PrimitiveParams[Primitive]>, inputs, params, needs, versions };
}

let passes = 0;
const NO_INPUTS: readonly Differentiable[] = [];

/**
 * Post-order DFS with an explicit stack over the arrays that require gradients and lead to
 * `root` (recorded ones and the leaves below them); each is marked with this pass's id, so it
 * is listed once, after every array it was computed from.
 */
function topologicalOrder(root: Differentiable, pass: number): Differentiable[] {
  const order: Differentiable[] = [];
  const stack: Differentiable[] = [root];
  const next: number[] = [0];
  root.visit = pass;
  while (stack.length > 0) {
    const top = stack.length - 1;
    const arr = stack[top]!;
    const inputs = arr.node?.inputs ?? NO_INPUTS;
    const i = next[top]!;
    if (i < inputs.length) {
      next[top] = i + 1;
      const child = inputs[i]!;
      if (!child.requiresGrad || child.visit === pass) continue;
      if (child.node === null && child.freed) {
        throw new AutodiffError(
          'backward: part of this graph was already released by an earlier backward(); ' +
            'recompute the forward pass, or pass { retainGraph: true } to the first backward()',
        );
      }
      child.visit = pass;
      stack.push(child);
      next.push(0);
    } else {
      stack.pop();
      next.pop();
      order.push(arr);
    }
  }
  return order;
}

/**
 * The arrays `root.backward()` would visit, in its order (every array after those it was
 * computed from): the replayed step (trace/compile.ts) walks the same order so that gradient
 * contributions are summed in the same sequence.
 */
export function graphOrder(root: Differentiable): Differentiable[] {
  return topologicalOrder(root, ++passes);
}

/** a += b, elementwise. */
export function addInto(a: Float64Array, b: Float64Array): void {
  for (let t = 0; t < a.length; t++) a[t]! += b[t]!;
}

/**
 * Adds a gradient contribution to what `x` has received in this pass. The first contribution
 * is kept as is (no copy: it may be shared with a rule's input or output, or be the caller's
 * upstream); the second sums both into a buffer the pass owns, which later ones add into.
 */
function addPending(x: Differentiable, c: Float64Array): void {
  const prev = x.pending;
  if (prev === null) {
    x.pending = c;
    x.ownsPending = false;
  } else if (x.ownsPending) {
    addInto(prev, c);
  } else {
    const total = new Float64Array(prev.length);
    for (let t = 0; t < prev.length; t++) total[t] = prev[t]! + c[t]!;
    x.pending = total;
    x.ownsPending = true;
  }
}

/**
 * Refuses to run a pass whose rules would read numbers that changed after the forward pass:
 * each array a rule reads (`Rule.reads`, by default every input and the output) must still have
 * the version recorded with its node. Checked for the whole graph before any gradient moves,
 * so a refused pass leaves every `.grad` as it was.
 */
function checkVersions(order: readonly Differentiable[]): void {
  for (let k = 0; k < order.length; k++) {
    const arr = order[k]!;
    const node = arr.node;
    if (node === null) continue;
    const { inputs, versions } = node;
    const n = inputs.length;
    const reads = node.rule.reads;
    if (reads === undefined) {
      for (let i = 0; i < n; i++) if (inputs[i]!.version !== versions[i]) versionError(arr, node, i);
      if (arr.version !== versions[n]) versionError(arr, node, n);
    } else {
      for (let j = 0; j < reads.length; j++) {
        const r = reads[j]!;
        const i = r === 'out' ? n : r;
        if ((i === n ? arr : inputs[i]!).version !== versions[i]) versionError(arr, node, i);
      }
    }
  }
}

/** The error for input `i` of `node` (or its output `arr` when i is the number of inputs). */
function versionError(arr: Differentiable, node: GraphNode, i: number): never {
  const n = node.inputs.length;
  const x = i === n ? arr : node.inputs[i]!;
  const which = i === n ? 'its result' : n === 1 ? 'its input' : `input ${i}`;
  throw new AutodiffError(
    `backward: an array used by '${node.prim}' (${which}, shape ${formatShape(x.shape)}) was modified in place after the ` +
      `forward pass (version ${node.versions[i]} when used, ${x.version} now), so its gradient would be computed from the ` +
      'wrong numbers; recompute the forward pass after changing it',
  );
}

/**
 * Backpropagates `upstream` (dL/d root, same size as root) through the recorded graph,
 * accumulating into `.grad` of every leaf that requires gradients (and of intermediates that
 * retain theirs).
 */
function runBackward(root: Differentiable, upstream: Float64Array, retainGraph = false): void {
  if (!root.requiresGrad) {
    throw new AutodiffError(
      'backward: this array does not depend on anything with requiresGrad: true; ' +
        'create the inputs you want gradients for with { requiresGrad: true }',
    );
  }
  if (root.freed) {
    throw new AutodiffError('backward: this graph was already released by an earlier backward(); recompute the forward pass');
  }
  const pass = ++passes;
  const order = topologicalOrder(root, pass);
  checkVersions(order);
  root.pending = upstream;
  root.ownsPending = false;
  try {
    // Reverse topological order: an array's gradient is complete before it is passed on.
    for (let i = order.length - 1; i >= 0; i--) {
      const arr = order[i]!;
      const g = arr.pending;
      arr.pending = null;
      const node = arr.node;
      if (node === null) {
        if (g !== null) arr.accumulateGrad(g); // a leaf: its gradient ends here
        continue;
      }
      if (g !== null) {
        if (arr.retainsGrad) arr.accumulateGrad(g);
        const gi = node.rule.backward(g, { inputs: node.inputs, out: arr, params: node.params, needs: node.needs });
        for (let j = 0; j < node.inputs.length; j++) {
          const c = gi[j];
          if (node.needs[j] && c) addPending(node.inputs[j]!, c);
        }
      }
      if (!retainGraph) {
        arr.node = null;
        arr.freed = true;
      }
    }
  } finally {
    for (const arr of order) arr.pending = null; // an error mid-pass must not leave buffers behind
  }
}

/**
 * `x.backward(upstream?, { retainGraph })`: checks the upstream gradient (required unless `x`
 * has one element, then 1) and runs the pass.
 */
export function backwardFrom(root: Differentiable, upstream: unknown, retainGraph: boolean): void {
  let up: Float64Array;
  if (upstream === undefined) {
    if (root.data.length !== 1) {
      throw new AutodiffError(
        `backward: an upstream gradient is required for an array of shape ${formatShape(root.shape)}; ` +
          'reduce it to one element (e.g. .sum()) or pass backward(upstream)',
      );
    }
    up = Float64Array.of(1);
  } else {
    const t = upstream as Partial<Tensor> | null;
    if (t === null || typeof t !== 'object' || !(t.data instanceof Float64Array) || !Array.isArray(t.shape) || !sameShape(t.shape, root.shape)) {
      throw new ShapeError(
        `backward: upstream gradient of shape ${Array.isArray(t?.shape) ? formatShape(t.shape) : typeof upstream} ` +
          `does not match the array's shape ${formatShape(root.shape)}`,
      );
    }
    up = t.data;
  }
  runBackward(root, up, retainGraph);
}
