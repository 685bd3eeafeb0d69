/**
 * @smolml/optim — optimizers implementing core's `Optimizer` (state per parameter array,
 * updates in place), learning-rate schedules, gradient clipping and JSON state for resuming.
 * @packageDocumentation
 */
export type { Optimizer } from '@smolml/core';
export { isSerializableOptimizer, type OptimizerConfig, type OptimizerJSON, type SerializableOptimizer } from './base.js';
export type { ParamStateJSON, StateNumber } from './state.js';
export type { Hyperparams } from './hyperparams.js';
export { SGD, type SGDOptions } from './sgd.js';
export { SGDMomentum, type SGDMomentumOptions } from './momentum.js';
export { AdaGrad, type AdaGradOptions } from './adagrad.js';
export { RMSProp, type RMSPropOptions } from './rmsprop.js';
export { Adam, AdamW, type AdamOptions, type AdamWOptions } from './adam.js';
export {
  stepDecay,
  exponentialDecay,
  cosineDecay,
  scheduleToJSON,
  scheduleFromJSON,
  type Schedule,
  type LearningRate,
  type ScheduleJSON,
} from './schedules.js';
export { clipGradNorm } from './clip.js';
export { optimizerFromJSON } from './serialize.js';
