/**
 * @smolml/nn — activations, DenseLayer and NeuralNetwork (train, fit, evaluate, summary,
 * save/load), plus data helpers (oneHot, trainTestSplit, StandardScaler, accuracy).
 * @packageDocumentation
 */
export {
  type Activation,
  type ActivationName,
  activations,
  activationName,
  getActivation,
  isActivationName,
  linear,
  relu,
  leakyRelu,
  elu,
  sigmoid,
  tanh,
  softmax,
} from './activations.js';
export { DenseLayer, type DenseLayerOptions } from './layers/dense.js';
export { NeuralNetwork, type Evaluation } from './network.js';
export { type TrainOptions, type TrainCallbacks, type EpochLogs, type BatchLogs } from './train-options.js';
export { type History, type Trainable, TrainingError, formatEpoch, yieldToEventLoop } from './training.js';
export { type NetworkJSON, type DenseLayerJSON, type FromJSONOptions, type ToJSONOptions, FORMAT, VERSION, MAX_LAYER_ELEMENTS } from './serialize.js';
export { formatBytes } from './summary.js';
export {
  oneHot,
  trainTestSplit,
  type TrainTestSplit,
  type TrainTestSplitOptions,
  StandardScaler,
  accuracy,
  type AccuracyOptions,
  toLabels,
} from './data.js';
export type { ArrayLikeInput } from './input.js';
