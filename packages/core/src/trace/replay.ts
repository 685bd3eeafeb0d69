/**
 * How a compiled step (compile.ts) runs each traced primitive again: the same kernels, called
 * in the same order with the same arguments as the primitive's rule in ops/, but writing into
 * buffers allocated once, when the step is compiled. Elementwise results do not depend on how a
 * loop is arranged, but sums do, so every reduction here is the rule's own: `reduceSplits` and
 * `sumAxis` for sums and broadcasting adjoints, the rule's loops for unary ops (`loops`), the
 * softmax VJPs, the backend's gemm with the rule's arguments. test/trace/ compares every
 * primitive bit for bit with its rule. A backend's StepKernels (a bias add, relu and its
 * backward, sumAxis) may run in place of core's loops: they promise the same bits.
 *
 * A primitive without an entry here (or whose entry declines, e.g. a batched matmul) is replayed
 * through its rule itself: correct by construction, it only allocates what the rule allocates.
 */
import { getBackend } from '../kernels/backend.js';
import { type BinaryCode, binaryKernel, broadcastTo } from '../kernels/broadcast.js';
import { sumAxis } from '../kernels/reduce.js';
import { type SoftmaxMode, softmaxAxis } from '../kernels/softmax.js';
import { conv2dBackward, conv2dForward } from '../ops/conv.js';
import { type UnaryRule, elementwiseRules } from '../ops/elementwise.js';
import { maxPool2dArgmax } from '../ops/pool.js';
import { logSoftmaxVjp, softmaxVjp } from '../ops/softmax.js';
import { RULES } from '../ops/table.js';
import type { NoParams, Primitive, PrimitiveParams, Rule, Tensor } from '../ops/types.js';
import { broadcastAxes, negate, reduceSplits } from '../ops/util.js';
import { axisSplit, reducedShape, sizeOf } from '../shape.js';
import type { Shape } from '../shape-types.js';

/** One traced operation, ready to run again on whatever numbers its input buffers now hold. */
export interface OpReplay {
  /** Computes the result into the output buffer. */
  forward(): void;
  /**
   * dL/d(input i) for the upstream gradient `g`, null where the input needs none: the contract of
   * `Rule.backward` (a result may be `g` itself, and the caller writes into none of them).
   */
  backward(g: Float64Array): readonly (Float64Array | null)[];
}

/** Makes a zero-filled buffer of the step's (compile.ts: the backend's `allocate`, or a plain array). */
export type Alloc = (length: number) => Float64Array;

/**
 * Prepares a primitive for fixed shapes and params: `ins` and `out` are buffers that keep their
 * identity for the life of the step (their numbers change from call to call); the buffers it
 * keeps come from `alloc`. Returns null to be replayed through the rule instead.
 */
type Plan<P> = (ins: readonly Tensor[], out: Tensor, params: P, needs: readonly boolean[], alloc: Alloc) => OpReplay | null;

/** Any primitive, through its rule: the rule allocates its results, forward's is copied into `out`. */
function viaRule<P>(rule: Rule<P>, ins: readonly Tensor[], out: Tensor, params: P, needs: readonly boolean[]): OpReplay {
  const ctx = { inputs: ins, out, params, needs };
  return {
    forward: () => out.data.set(rule.forward(ins, params).data),
    backward: (g) => rule.backward(g, ctx),
  };
}

/** `reduceKeep(x, shape, axes, sumAxis)` for a fixed shape, into kept buffers (the last one `last` when given). */
function sumPlan(shape: Shape, axes: readonly number[], alloc: Alloc, last?: Float64Array): (x: Float64Array) => Float64Array {
  const splits = reduceSplits(shape, axes);
  const steps = splits.map(([outer, n, inner], i) => ({ outer, n, inner, out: last !== undefined && i === splits.length - 1 ? last : alloc(outer * inner) }));
  return (x) => {
    let data = x;
    for (const s of steps) {
      if (!getBackend().stepKernels?.sumAxis(data, s.outer, s.n, s.inner, s.out)) sumAxis(data, s.outer, s.n, s.inner, s.out);
      data = s.out;
    }
    return data;
  };
}

/** `sumTo(g, gShape, target)` (ops/util.ts) for fixed shapes: g itself, or the same sums. */
function sumToPlan(gShape: Shape, target: Shape, alloc: Alloc): (g: Float64Array) => Float64Array {
  const axes = broadcastAxes(gShape, target);
  return axes === null ? (g) => g : sumPlan(gShape, axes, alloc);
}

/**
 * `binaryKernel(code, a, aShape, b, bShape, out, outShape)` for fixed shapes. Every element is
 * the same `a[i] (op) b[j]` however the loop is arranged, so the broadcast worked out per call
 * by binaryKernel's general path can be worked out once: a bias row added to each row of a
 * batch (b repeated along out's leading axes) runs as a loop over rows, anything else through
 * binaryKernel itself.
 */
function binaryLoop(code: BinaryCode, aShape: Shape, bShape: Shape, outShape: Shape): (a: Float64Array, b: Float64Array, out: Float64Array) => void {
  const size = sizeOf(outShape);
  const cols = sizeOf(bShape);
  if (sizeOf(aShape) !== size || cols === size || cols <= 1 || !trailing(bShape, outShape)) {
    return (a, b, out) => binaryKernel(code, a, aShape, b, bShape, out, outShape);
  }
  switch (code) {
    case 'add': return (a, b, out) => {
      if (getBackend().stepKernels?.addRow(a, b, out, size / cols, cols)) return;
      for (let o = 0; o < size; o += cols) for (let j = 0; j < cols; j++) out[o + j] = a[o + j]! + b[j]!;
    };
    case 'sub': return (a, b, out) => { for (let o = 0; o < size; o += cols) for (let j = 0; j < cols; j++) out[o + j] = a[o + j]! - b[j]!; };
    case 'mul': return (a, b, out) => { for (let o = 0; o < size; o += cols) for (let j = 0; j < cols; j++) out[o + j] = a[o + j]! * b[j]!; };
    case 'div': return (a, b, out) => { for (let o = 0; o < size; o += cols) for (let j = 0; j < cols; j++) out[o + j] = a[o + j]! / b[j]!; };
  }
}

/** Whether `shape`, leading 1s dropped, is the trailing part of `outShape` (so its numbers repeat along out's other axes). */
function trailing(shape: Shape, outShape: Shape): boolean {
  let lead = 0;
  while (lead < shape.length && shape[lead] === 1) lead++;
  const tail = shape.length - lead;
  for (let i = 1; i <= tail; i++) if (shape[shape.length - i] !== outShape[outShape.length - i]) return false;
  return tail <= outShape.length;
}

/**
 * add, sub, mul (ops/elementwise.ts `binary`): forward is binaryKernel; backward computes each
 * needed input's derivative on the output's shape (g; -g; g * the other operand), then sums it
 * back to the input's shape.
 */
function binary(code: BinaryCode): Plan<NoParams> {
  return (ins, out, _params, needs, alloc) => {
    const [a, b] = ins as [Tensor, Tensor];
    const grads: (Float64Array | null)[] = [null, null];
    const parts = ins.map((x, i) => {
      if (!needs[i]) return null;
      const other = ins[1 - i]!;
      const buf = code === 'add' || (code === 'sub' && i === 0) ? null : alloc(out.data.length);
      const times = binaryLoop('mul', out.shape, other.shape, out.shape);
      const derivative =
        buf === null ? (g: Float64Array) => g
        : code === 'sub' ? (g: Float64Array) => negate(g, buf)
        : (g: Float64Array) => (times(g, other.data, buf), buf);
      const back = sumToPlan(out.shape, x.shape, alloc);
      return (g: Float64Array) => back(derivative(g));
    });
    const loop = binaryLoop(code, a.shape, b.shape, out.shape);
    return {
      forward: () => loop(a.data, b.data, out.data),
      backward(g) {
        for (let i = 0; i < 2; i++) grads[i] = parts[i]?.(g) ?? null;
        return grads;
      },
    };
  };
}

/**
 * A unary op: the rule's own two loops, into a kept gradient buffer. relu's (`backendLoops`) run
 * on the backend's StepKernels where it takes the buffers.
 */
function unary<P>(rule: UnaryRule<P>, backendLoops?: 'relu'): Plan<P> {
  const { forward, backward } = rule.loops;
  const relu = backendLoops === 'relu';
  return ([x], out, params, _needs, alloc) => {
    const gx = alloc(out.data.length); // zero once, like the rule's fresh buffer
    const grads = [gx];
    return {
      forward() {
        if (!(relu && getBackend().stepKernels?.relu(x!.data, out.data))) forward(x!.data, out.data, params);
      },
      backward(g) {
        if (!(relu && getBackend().stepKernels?.reluBackward(g, x!.data, gx))) backward(g, x!.data, out.data, gx, params);
        return grads;
      },
    };
  };
}

function softmaxFamily(mode: SoftmaxMode): Plan<PrimitiveParams['softmax']> {
  const vjp = mode === 'softmax' ? softmaxVjp : logSoftmaxVjp;
  return ([x], out, { axis }, _needs, alloc) => {
    const [outer, n, inner] = axisSplit(x!.shape, axis);
    const gx = alloc(out.data.length);
    const grads = [gx];
    return {
      forward: () => softmaxAxis(x!.data, outer, n, inner, out.data, mode),
      backward(g) {
        vjp(g, out.data, out.shape, axis, gx);
        return grads;
      },
    };
  };
}

const sum: Plan<PrimitiveParams['sum']> = ([x], out, { axes }, _needs, alloc) => {
  const reduce = axes.length === 0 ? null : sumPlan(x!.shape, axes, alloc, out.data);
  const kept = reducedShape(x!.shape, axes, true);
  const gx = alloc(x!.data.length);
  const grads = [gx];
  return {
    forward: () => (reduce === null ? out.data.set(x!.data) : reduce(x!.data)),
    backward(g) {
      broadcastTo(g, kept, gx, x!.shape);
      return grads;
    },
  };
};

/** 2-d B (every dense layer): one gemm forward, dA = G Bᵀ and dB = Aᵀ G backward, as the rule. Batched products go through the rule. */
const matmul: Plan<NoParams> = ([a, b], out, _params, needs, alloc) => {
  if (b!.shape.length !== 2) return null;
  const k = a!.shape[a!.shape.length - 1]!;
  const n = b!.shape[1]!;
  const rows = sizeOf(a!.shape.slice(0, -1));
  const ga = needs[0] ? alloc(a!.data.length) : null;
  const gb = needs[1] ? alloc(b!.data.length) : null;
  const grads = [ga, gb];
  return {
    forward: () => getBackend().gemm(false, false, rows, n, k, a!.data, b!.data, out.data, false),
    backward(g) {
      const gemm = getBackend().gemm;
      if (ga) gemm(false, true, rows, k, n, g, b!.data, ga, false);
      if (gb) gemm(true, false, k, n, rows, a!.data, g, gb, false);
      return grads;
    },
  };
};

const reshape: Plan<PrimitiveParams['reshape']> = ([x], out) => {
  const grads: Float64Array[] = [];
  return {
    forward: () => out.data.set(x!.data),
    backward(g) {
      grads[0] = g;
      return grads;
    },
  };
};

/**
 * conv2d and maxPool2d: the rule's own kernels, into kept buffers (their results are large, so
 * allocating them fresh every step costs more than computing them). Their backward passes add
 * into the gradient buffers, which are therefore zeroed first.
 */
const conv2d: Plan<PrimitiveParams['conv2d']> = (ins, out, params, needs, alloc) => {
  const grads = ins.map((x, i) => (needs[i] ? alloc(x.data.length) : null));
  return {
    forward: () => conv2dForward(ins, params, out.data),
    backward(g) {
      for (const b of grads) b?.fill(0);
      conv2dBackward(g, ins, out, params, grads[0] ?? null, grads[1] ?? null, grads[2] ?? null);
      return grads;
    },
  };
};

/** maxPool2d keeps its windows' argmax from forward (the rule finds them again in backward): y = x[idx], dx[idx] += g. */
const maxPool2d: Plan<PrimitiveParams['maxPool2d']> = ([x], out, params, _needs, alloc) => {
  const idx = new Int32Array(out.data.length);
  const gx = alloc(x!.data.length);
  const grads = [gx];
  return {
    forward() {
      maxPool2dArgmax(x!, params, idx);
      for (let o = 0; o < idx.length; o++) out.data[o] = x!.data[idx[o]!]!;
    },
    backward(g) {
      gx.fill(0);
      for (let o = 0; o < idx.length; o++) gx[idx[o]!]! += g[o]!;
      return grads;
    },
  };
};

const e = elementwiseRules;
const PLANS: { readonly [P in Primitive]?: Plan<PrimitiveParams[P]> } = {
  add: binary('add'),
  sub: binary('sub'),
  mul: binary('mul'),
  neg: unary(e.neg),
  exp: unary(e.exp),
  log: unary(e.log),
  sqrt: unary(e.sqrt),
  abs: unary(e.abs),
  relu: unary(e.relu, 'relu'),
  sigmoid: unary(e.sigmoid),
  tanh: unary(e.tanh),
  softplus: unary(e.softplus),
  pow: unary(e.pow),
  leakyRelu: unary(e.leakyRelu),
  elu: unary(e.elu),
  clip: unary(e.clip),
  sum,
  softmax: softmaxFamily('softmax'),
  logSoftmax: softmaxFamily('logSoftmax'),
  matmul,
  reshape,
  conv2d,
  maxPool2d,
};

/** The replay of `out = prim(ins; params)` for these buffers: its plan above, else its rule. */
export function replayOf<P extends Primitive>(prim: P, ins: readonly Tensor[], out: Tensor, params: PrimitiveParams[P], needs: readonly boolean[], alloc: Alloc): OpReplay {
  const plan = PLANS[prim] as Plan<PrimitiveParams[P]> | undefined;
  return plan?.(ins, out, params, needs, alloc) ?? viaRule(RULES[prim] as Rule<PrimitiveParams[P]>, ins, out, params, needs);
}
