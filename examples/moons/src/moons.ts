/**
 * Two moons: a 2-16-16-1 network (relu, relu, sigmoid) with binary cross-entropy and Adam
 * separates two interleaving half circles that no straight line can.
 */
import { createRng } from '@smolml/core';
import { HeUniform, XavierUniform } from '@smolml/init';
import { binaryCrossEntropy } from '@smolml/losses';
import { DenseLayer, type History, NeuralNetwork, trainTestSplit } from '@smolml/nn';
import { Adam } from '@smolml/optim';
import { makeMoons } from './make-moons.js';

export interface MoonsOptions {
  samples?: number;
  epochs?: number;
  seed?: number;
  quiet?: boolean;
}

export interface MoonsResult {
  trainAccuracy: number;
  testAccuracy: number;
  history: History;
  net: NeuralNetwork;
}

export function run({ samples = 500, epochs = 60, seed = 0, quiet = false }: MoonsOptions = {}): MoonsResult {
  const { X, y } = makeMoons(samples, { noise: 0.2, seed });
  const { XTrain, XTest, yTrain, yTest } = trainTestSplit(X, y, { testSize: 0.2, seed });
  const rng = createRng(seed + 1);
  const net = new NeuralNetwork(
    [
      new DenseLayer(2, 16, 'relu', new HeUniform(), { rng }),
      new DenseLayer(16, 16, 'relu', new HeUniform(), { rng }),
      new DenseLayer(16, 1, 'sigmoid', new XavierUniform(), { rng }),
    ],
    binaryCrossEntropy,
    new Adam({ lr: 0.01 }),
  );
  if (!quiet) console.log(`${net.summary()}\n`);
  const history = net.train(XTrain, yTrain, {
    epochs,
    batchSize: 32,
    shuffle: true,
    seed,
    validationData: [XTest, yTest],
    verbose: !quiet,
    printEvery: 10,
  });
  const trainAccuracy = net.evaluate(XTrain, yTrain).accuracy!;
  const testAccuracy = net.evaluate(XTest, yTest).accuracy!;
  if (!quiet) {
    console.log(`\ntrain accuracy ${(trainAccuracy * 100).toFixed(1)}%, test accuracy ${(testAccuracy * 100).toFixed(1)}%\n`);
    console.log(decisionMap(net));
  }
  return { trainAccuracy, testAccuracy, history, net };
}

/** The learned decision regions on [-1.5, 2.5] x [-1, 1.5] as text: '#' class 1, '.' class 0. */
export function decisionMap(net: NeuralNetwork, cols = 60, rows = 20): string {
  const grid: number[][] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) grid.push([-1.5 + (4 * c) / (cols - 1), 1.5 - (2.5 * r) / (rows - 1)]);
  }
  const p = net.predict(grid).data;
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    lines.push(Array.from(p.subarray(r * cols, (r + 1) * cols), (v) => (v > 0.5 ? '#' : '.')).join(''));
  }
  return lines.join('\n');
}
