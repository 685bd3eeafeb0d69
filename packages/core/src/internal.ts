/**
 * `@smolml/core/internal`: helpers the other smolml packages share (argument checks, shape
 * checks), written once here. Not part of the public API: it may change in any release.
 * @packageDocumentation
 */
export {
  describeValue,
  clip,
  closestName,
  didYouMean,
  checkOptions,
  type Interval,
  interval,
  positive,
  nonNegative,
  unitOpenRight,
  real,
  formatInterval,
  inInterval,
  checkNumber,
  checkInteger,
  isPlainObject,
  ownEntry,
} from './validate.js';
export { sameShape, checkShape, sizeOf, allocate, MAX_ELEMENTS } from './shape.js';
export { trace, type TracedOp } from './trace/tape.js';
export { compileStep, type CompiledStep, type NotCompiled, type StepSpec } from './trace/compile.js';
export { toPair } from './image-args.js';
export { windowCount } from './kernels/window.js';
export { copyInto } from './kernels/layout.js';
export { checkGemm } from './kernels/gemm.js';
