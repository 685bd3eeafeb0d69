/**
 * @smolml/core — `Value` (scalar autodiff, SmolML's original teaching engine) and `MLArray`
 * (float64 n-d arrays with reverse-mode autodiff over whole arrays), plus the RNG,
 * errors, kernels backend and the interfaces satellite packages implement.
 * @packageDocumentation
 */
export { Value } from './value.js';
export { MLArray, type ArrayOptions, type FromOptions, type BackwardOptions, type BatchNormOpOptions } from './mlarray.js';
export { noGrad, isGradEnabled, type Differentiable, type GraphNode } from './autodiff.js';
export type { Primitive, PrimitiveParams, Rule, RuleContext, Tensor, NoParams, AxesParams, Operand } from './ops/types.js';
export type { Pair, Conv2dParams, Pool2dParams, MaxPool2dParams, BatchNormParams } from './ops/types.js';
export type { Size2d, Conv2dOptions, MaxPool2dOptions, AvgPool2dOptions } from './image-args.js';
export { createRng, type Rng } from './rng.js';
export { SmolMLError, ShapeError, ValueError, AutodiffError, UnsupportedError, formatShape } from './errors.js';
export type { Shape, Nested } from './shape-types.js';
export { gradcheck, type GradcheckOptions, type GradcheckResult } from './gradcheck.js';
export type { LossFunction, Optimizer, Initializer } from './interfaces.js';
export { type AdamCoefficients, type Backend, type StepKernels, type UpdateKernels, jsBackend, getBackend, setBackend } from './kernels/backend.js';
export { broadcastShapes } from './shape.js';
export { allFinite } from './kernels/finite.js';
export { toDot, type DotOptions } from './dot.js';
