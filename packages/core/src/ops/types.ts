/**
 * The primitive set and the shape of a gradient rule.
 *
 * smolml's arrays are differentiated through a small closed set of primitives. Each has a
 * `Rule`: `forward` computes the output from the inputs, `backward` maps the gradient of the
 * output to the gradient of each input (a vector–Jacobian product). Everything else
 * (mean, variance, losses, layers) is composed from these, so its gradient comes for free.
 */
import type { Shape } from '../shape-types.js';

/** Plain data + shape: what rules and kernels see (an MLArray is one, structurally). */
export interface Tensor {
  /** The numbers, row-major. */
  readonly data: Float64Array;
  /** Length of each axis. */
  readonly shape: Shape;
}

/** The parameters of a primitive that takes none. */
export type NoParams = Record<string, never>;
/** A reduction's parameters: the axes reduced (normalized, ascending) and whether they are kept with length 1. */
export interface AxesParams { readonly axes: readonly number[]; readonly keepdims: boolean }
/** A (height, width) pair: kernel size, stride or padding of an image op. */
export type Pair = readonly [number, number];
/** conv2d: the kernel size comes from the weight's shape; `relu`: relu fused into the output pass. */
export interface Conv2dParams { readonly stride: Pair; readonly padding: Pair; readonly relu?: boolean }
/** avgPool2d: window size and step (no padding). */
export interface Pool2dParams { readonly kernel: Pair; readonly stride: Pair }
/** maxPool2d: window size, step and padding (with −∞). */
export interface MaxPool2dParams extends Pool2dParams { readonly padding: Pair }

/**
 * batchNorm: per-channel statistics (length C each) and whether they are the batch's own
 * (training: gradients flow through them) or given constants (running statistics).
 */
export interface BatchNormParams { readonly mean: Float64Array; readonly invStd: Float64Array; readonly batchStats: boolean }

/** Every primitive and the parameters it takes. Adding a key without a rule is a compile error. */
export interface PrimitiveParams {
  add: NoParams;
  sub: NoParams;
  mul: NoParams;
  div: NoParams;
  neg: NoParams;
  exp: NoParams;
  log: NoParams;
  sqrt: NoParams;
  abs: NoParams;
  relu: NoParams;
  sigmoid: NoParams;
  tanh: NoParams;
  softplus: NoParams;
  pow: { readonly exponent: number };
  leakyRelu: { readonly alpha: number };
  elu: { readonly alpha: number };
  clip: { readonly min: number; readonly max: number };
  sum: AxesParams;
  max: AxesParams;
  min: AxesParams;
  softmax: { readonly axis: number };
  logSoftmax: { readonly axis: number };
  logsumexp: { readonly axis: number; readonly keepdims: boolean };
  matmul: NoParams;
  transpose: { readonly perm: readonly number[] };
  reshape: { readonly shape: readonly number[] };
  take: { readonly indices: Int32Array; readonly axis: number };
  conv2d: Conv2dParams;
  maxPool2d: MaxPool2dParams;
  avgPool2d: Pool2dParams;
  batchNorm: BatchNormParams;
}

/** The name of a primitive: a key of PrimitiveParams (`'add'`, `'matmul'`, `'conv2d'`, ...). */
export type Primitive = keyof PrimitiveParams;

/** What a backward rule may read: the inputs, the output it produced, its params, which inputs need a gradient. */
export interface RuleContext<P> {
  /** The inputs of the forward pass. */
  readonly inputs: readonly Tensor[];
  /** What forward returned. */
  readonly out: Tensor;
  /** The parameters forward was called with. */
  readonly params: P;
  /** For each input, whether its gradient is needed (return null where not). */
  readonly needs: readonly boolean[];
}

/** An input of a rule by its index, or its output. */
export type Operand = number | 'out';

/** A primitive's forward computation and its gradient rule, side by side (see docs/extending.md). */
export interface Rule<P> {
  /**
   * Which numbers `backward` reads: input indices and/or `'out'`. Backward refuses to run when
   * one of them was changed in place after the forward pass (see MLArray.version). Omitted: every
   * input and the output, which is always safe; list fewer only when backward provably does not
   * read the others (test/ops/reads.test.ts checks each declaration).
   */
  readonly reads?: readonly Operand[];
  /** Computes the output from the inputs; must not write into them. */
  forward(inputs: readonly Tensor[], params: P): Tensor;
  /**
   * Given g = dL/d(out) (same size as out), returns dL/d(input i) for each input
   * (same size as that input), or null where `needs[i]` is false.
   * Must not write into `g`: it may be shared with other gradients.
   */
  backward(g: Float64Array, ctx: RuleContext<P>): (Float64Array | null)[];
}

/** The typed table: one rule per primitive, checked exhaustively by the compiler. */
export type RuleTable = { readonly [P in Primitive]: Rule<PrimitiveParams[P]> };
