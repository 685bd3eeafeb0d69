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
  out.node = { prim, inputs, params, needs: inputs.map((x) => x.requiresGrad) };
}

/** Post-order DFS with an explicit stack over the arrays that require gradients. */
function topologicalOrder(root: Differentiable): Differentiable[] {
  const order: Differentiable[] = [];
  const seen = new Set<Differentiable>([root]);
  const stack: Differentiable[] = [root];
  const next: number[] = [0];
  while (stack.length > 0) {
    const top = stack.length - 1;
    const arr = stack[top]!;
    const inputs = arr.node?.inputs;
    const i = next[top]!;
    if (inputs && i < inputs.length) {
      next[top] = i + 1;
      const child = inputs[i]!;
      if (child.requiresGrad && !seen.has(child)) {
        if (child.freed) {
          throw new AutodiffError(
            'backward: part of this graph was already released by an earlier backward(); ' +
              'recompute the forward pass, or pass { retainGraph: true } to the first backward()',
          );
        }
        seen.add(child);
        stack.push(child);
        next.push(0);
      }
    } else {
      stack.pop();
      next.pop();
      order.push(arr);
    }
  }
  return order;
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
  const order = topologicalOrder(root);
  // Pending gradients. A buffer in `owned` was allocated here and may be added into in place;
  // others may be shared with a rule's input or output and are copied before summing.
  const grads = new Map<Differentiable, Float64Array>([[root, upstream]]);
  const owned = new Set<Differentiable>();
  for (let i = order.length - 1; i >= 0; i--) {
    const arr = order[i]!;
    const g = grads.get(arr);
    grads.delete(arr);
    const node = arr.node;
    if (node === null) {
      if (g) arr.accumulateGrad(g);
      continue;
    }
    if (g) {
      if (arr.retainsGrad) arr.accumulateGrad(g);
      const rule = RULES[node.prim] as Rule<PrimitiveParams[Primitive]>;
      const gi = rule.backward(g, { inputs: node.inputs, out: arr, params: node.params, needs: node.needs });
      for (let j = 0; j < node.inputs.length; j++) {
        const contribution = gi[j];
        if (!node.needs[j] || !contribution) continue;
        const input = node.inputs[j]!;
        const prev = grads.get(input);
        if (prev === undefined) {
          grads.set(input, contribution);
        } else if (owned.has(input)) {
          for (let t = 0; t < prev.length; t++) prev[t]! += contribution[t]!;
        } else {
          const total = new Float64Array(prev.length);
          for (let t = 0; t < prev.length; t++) total[t] = prev[t]! + contribution[t]!;
          grads.set(input, total);
          owned.add(input);
        }
      }
    }
    if (!retainGraph) {
      arr.node = null;
      arr.freed = true;
    }
  }
}
