/**
 * @smolml/nn — activations, layers (DenseLayer, Conv2D, pooling, Flatten, Dropout, BatchNorm,
 * LayerNorm, Activation, and any custom `Layer`), NeuralNetwork (train, fit, evaluate, summary,
 * save/load), plus data helpers (oneHot, trainTestSplit, StandardScaler, accuracy).
 * @packageDocumentation
 */
export {
  type ActivationFunction,
  type ActivationName,
  type ActivationLike,
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
export type { Layer, LayerJSON, ForwardOptions } from './layer.js';
export { registerLayer, layerTypes } from './layers/registry.js';
export { type LayerJSONContext, type LayerFromJSON, LayerReader, MAX_LAYER_ELEMENTS } from './layers/json.js';
export { DenseLayer, type DenseLayerOptions, type DenseLayerJSON } from './layers/dense.js';
export { Conv2D, type Conv2DOptions, type Conv2DJSON } from './layers/conv2d.js';
export type { Pair } from './layers/check.js';
export { MaxPool2D, type MaxPool2DOptions, type MaxPool2DJSON } from './layers/max-pool2d.js';
export { AvgPool2D, type AvgPool2DOptions, type AvgPool2DJSON } from './layers/avg-pool2d.js';
export { Flatten, type FlattenJSON } from './layers/flatten.js';
export { Dropout, type DropoutOptions, type DropoutJSON } from './layers/dropout.js';
export { BatchNorm, type BatchNormOptions, type BatchNormJSON } from './layers/batch-norm.js';
export { LayerNorm, type LayerNormOptions, type LayerNormJSON } from './layers/layer-norm.js';
export { Activation, type ActivationJSON } from './layers/activation.js';
export { NeuralNetwork, type NetworkOptions, type Evaluation } from './network.js';
export { type TrainOptions, type TrainCallbacks, type EpochLogs, type BatchLogs } from './train-options.js';
export { type History, type Trainable, TrainingError, formatEpoch, yieldToEventLoop } from './training.js';
export { type NetworkJSON, type FromJSONOptions, type ToJSONOptions, FORMAT, VERSION } from './serialize.js';
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
