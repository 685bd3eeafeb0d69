/**
 * Turns the form's settings into a network: 2 inputs, the hidden layers, one output logit
 * trained with binary cross-entropy on logits (class 1 where the logit is positive).
 */
import { type Initializer, type Optimizer, createRng } from '@smolml/core';
import { HeUniform, XavierUniform } from '@smolml/init';
import { binaryCrossEntropyWithLogits } from '@smolml/losses';
import { DenseLayer, NeuralNetwork } from '@smolml/nn';
import { AdaGrad, Adam, RMSProp, SGD, SGDMomentum } from '@smolml/optim';

export const activationNames = ['relu', 'tanh', 'sigmoid', 'leakyRelu', 'elu'] as const;
export type HiddenActivation = (typeof activationNames)[number];

/** Each optimizer with a learning rate that works well on these problems. */
export const optimizers = {
  SGD: { make: (lr: number): Optimizer => new SGD({ lr }), lr: 0.3 },
  SGDMomentum: { make: (lr: number): Optimizer => new SGDMomentum({ lr }), lr: 0.05 },
  Adam: { make: (lr: number): Optimizer => new Adam({ lr }), lr: 0.01 },
  RMSProp: { make: (lr: number): Optimizer => new RMSProp({ lr }), lr: 0.01 },
  AdaGrad: { make: (lr: number): Optimizer => new AdaGrad({ lr }), lr: 0.1 },
} as const;
export type OptimizerName = keyof typeof optimizers;
export const optimizerNames = Object.keys(optimizers) as OptimizerName[];

export interface ModelConfig {
  /** Hidden layer sizes, e.g. [16, 16]; [] gives a linear classifier. */
  hidden: number[];
  activation: HiddenActivation;
  optimizer: OptimizerName;
  lr: number;
  /** Seed of the initial weights. */
  seed: number;
}

/** The largest hidden layer the page accepts (keeps a careless "1000" from freezing the tab). */
export const MAX_UNITS = 256;

/**
 * Parses "16, 16" into [16, 16]. An empty text means no hidden layer. Throws a message meant
 * for the page on anything else.
 */
export function parseLayers(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length === 1 && parts[0] === '') return [];
  return parts.map((p) => {
    const n = Number(p);
    if (p === '' || !Number.isInteger(n) || n < 1 || n > MAX_UNITS) {
      throw new Error(`layer sizes must be whole numbers from 1 to ${MAX_UNITS} separated by commas, got "${p}"`);
    }
    return n;
  });
}

/** Builds the network; the same config (and seed) gives the same initial weights. */
export function buildNetwork(config: ModelConfig): NeuralNetwork {
  const rng = createRng(config.seed);
  // He initialization keeps ReLU-like units alive; Xavier suits the saturating tanh and sigmoid.
  const hiddenInit: Initializer = config.activation === 'tanh' || config.activation === 'sigmoid' ? new XavierUniform() : new HeUniform();
  const sizes = [2, ...config.hidden];
  const layers = config.hidden.map((units, i) => new DenseLayer(sizes[i]!, units, config.activation, hiddenInit, { rng }));
  layers.push(new DenseLayer(sizes[sizes.length - 1]!, 1, 'linear', new XavierUniform(), { rng }));
  return new NeuralNetwork(layers, binaryCrossEntropyWithLogits, optimizers[config.optimizer].make(config.lr));
}
