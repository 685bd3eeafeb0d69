/** What the smolml workloads need from a model (built by smolml-nn.ts). */
import type { MLArray } from '@smolml/core';

export interface ModelSpec {
  sizes: number[];
  activations: ('relu' | 'tanh' | 'softmax' | 'linear')[];
  loss: 'mse' | 'categoricalCrossEntropy';
  optimizer: { name: 'sgd' | 'adagrad' | 'adam'; lr: number };
  seed: number;
}

export interface SmolModel {
  /** Which API trains it (printed in the report). */
  api: string;
  /** `epochs` passes over the data in order (no shuffling); returns the last epoch's mean loss. */
  train(x: MLArray, y: MLArray, epochs: number, batchSize: number): number;
  predict(x: MLArray): MLArray;
}
