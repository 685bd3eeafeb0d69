/**
 * Reverse-mode automatic differentiation over whole arrays.
 *
 * Recording: every primitive applied to an input that requires gradients leaves a `GraphNode`
 * on its output (which primitive, which inputs, its params). `runBackward` orders the graph
 * topologically with an explicit stack (no recursion), walks it from the output back to the
 * leaves, calls each primitive's gradient rule once and sums the contributions of nodes that
 * are used several times. Afterwards the nodes are dropped, so the graph of one training
 * step is garbage as soon as the step ends: nothing grows across training.
 */
import { AutodiffError } from './errors.js';
import { RULES } from './ops/table.js';
import type { Primitive, PrimitiveParams, Rule, Tensor } from './ops/types.js';

export interface GraphNode {
  readonly prim: Primitive;
  readonly inputs: readonly Differentiable[];
  readonly params: PrimitiveParams[Primitive];
  readonly needs: readonly boolean[];
  /**
   * Bookkeeping of backward, kept on the node so a pass needs no Map or Set: the id of the
   * last pass that visited it, the gradient pending for its output, and whether that buffer
   * was allocated by the pass (and so may be added into in place).
   */
  visit: number;
  pending: Float64Array | null;
  ownsPending: boolean;
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
  /** Adds `g` into this array's `.grad`. */
  accumulateGrad(g: Float64Array): void;
}

let recording = true;

/** Whether operations are currently recorded for backward. */
export function isGradEnabled(): boolean {
  return recording;
}

/**
 * Runs `fn` without recording any graph (inference, parameter updates). Nests safely.
 * `fn` must be synchronous.
 * @example
 * const pred = noGrad(() => net.forward(x)); // no graph, no gradients
 */
export function noGrad<T>(fn: () => T): T {
  const prev = recording;
  recording = false;
  try {
    return fn();
  } finally {
    recording = prev;
  }
}

/** Records `out = prim(inputs)` when any input requires gradients and recording is on. */
export function record<P extends Primitive>(
  out: Differentiable,
  prim: P,
  inputs: readonly Differentiable[],
  params: PrimitiveParams[P],
): void {
  if (!recording) return;
  let any = false;
  for (const x of inputs) any ||= x.requiresGrad;
  if (!any) return;
  out.requiresGrad = true;
  const needs = new Array<boolean>(inputs.length);
  for (let i = 0; i < inputs.length; i++) needs[i] = inputs[i]!.requiresGrad;
  out.node = { prim, inputs, params, needs, visit: 0, pending: null, ownsPending: false };
}

let passes = 0;

/**
 * Post-order DFS with an explicit stack over the recorded (non-leaf) arrays that lead to
 * `root`; each is marked with this pass's id, so it is visited once.
 */
function topologicalOrder(root: Differentiable, pass: number): Differentiable[] {
  const order: Differentiable[] = [];
  const stack: Differentiable[] = [root];
  const next: number[] = [0];
  root.node!.visit = pass;
  root.node!.pending = null;
  while (stack.length > 0) {
    const top = stack.length - 1;
    const arr = stack[top]!;
    const inputs = arr.node!.inputs;
    const i = next[top]!;
    if (i < inputs.length) {
      next[top] = i + 1;
      const child = inputs[i]!;
      if (!child.requiresGrad) continue;
      const node = child.node;
      if (node === null) {
        if (child.freed) {
          throw new AutodiffError(
            'backward: part of this graph was already released by an earlier backward(); ' +
              'recompute the forward pass, or pass { retainGraph: true } to the first backward()',
          );
        }
        continue; // a leaf: it only receives gradients
      }
      if (node.visit === pass) continue;
      node.visit = pass;
      node.pending = null; // drop anything left by an interrupted earlier pass
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

/** a + b into a fresh buffer (gradients arriving from two uses of one array). */
function added(a: Float64Array, b: Float64Array): Float64Array {
  const total = new Float64Array(a.length);
  for (let t = 0; t < a.length; t++) total[t] = a[t]! + b[t]!;
  return total;
}

/**
 * Backpropagates `upstream` (dL/d root, same size as root) through the recorded graph,
 * accumulating into `.grad` of every leaf that requires gradients.
 */
export function runBackward(root: Differentiable, upstream: Float64Array, retainGraph = false): void {
  if (!root.requiresGrad) {
    throw new AutodiffError(
      'backward: this array does not depend on anything with requiresGrad: true; ' +
        'create the inputs you want gradients for with { requiresGrad: true }',
    );
  }
  if (root.freed) {
    throw new AutodiffError('backward: this graph was already released by an earlier backward(); recompute the forward pass');
  }
  if (root.node === null) {
    root.accumulateGrad(upstream); // backward on a leaf: its gradient is the upstream itself
    return;
  }
  const pass = ++passes;
  const order = topologicalOrder(root, pass);
  // Pending gradients: on each node (see GraphNode), and for leaves in this small map. A buffer
  // the pass allocated may be added into in place; others may be shared with a rule's input or
  // output (or the caller's upstream) and are copied before summing.
  const leafGrads = new Map<Differentiable, Float64Array>();
  const ownedLeaf = new Set<Differentiable>();
  root.node.pending = upstream;
  root.node.ownsPending = false;
  for (let i = order.length - 1; i >= 0; i--) {
    const arr = order[i]!;
    const node = arr.node!;
    const g = node.pending;
    node.pending = null;
    if (g) {
      if (arr.retainsGrad) arr.accumulateGrad(g);
      const rule = RULES[node.prim] as Rule<PrimitiveParams[Primitive]>;
      const gi = rule.backward(g, { inputs: node.inputs, out: arr, params: node.params, needs: node.needs });
      for (let j = 0; j < node.inputs.length; j++) {
        const contribution = gi[j];
        if (!node.needs[j] || !contribution) continue;
        const input = node.inputs[j]!;
        const inNode = input.node;
        if (inNode !== null) {
          if (inNode.visit !== pass) continue; // not on a path to a gradient we want
          const prev = inNode.pending;
          if (prev === null) {
            inNode.pending = contribution;
            inNode.ownsPending = false;
          } else if (inNode.ownsPending) {
            for (let t = 0; t < prev.length; t++) prev[t]! += contribution[t]!;
          } else {
            inNode.pending = added(prev, contribution);
            inNode.ownsPending = true;
          }
        } else if (input.requiresGrad) {
          const prev = leafGrads.get(input);
          if (prev === undefined) leafGrads.set(input, contribution);
          else if (ownedLeaf.has(input)) for (let t = 0; t < prev.length; t++) prev[t]! += contribution[t]!;
          else {
            leafGrads.set(input, added(prev, contribution));
            ownedLeaf.add(input);
          }
        }
      }
    }
    if (!retainGraph) {
      arr.node = null;
      arr.freed = true;
    }
  }
  for (const [leaf, g] of leafGrads) leaf.accumulateGrad(g);
}
