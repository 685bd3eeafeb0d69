/**
 * MNIST digits: a 784-128-10 network (relu, then logits) trained with softmax cross-entropy
 * and Adam on minibatches of 64, with a validation split, a test evaluation, an SVG of the
 * training curves and the trained model saved as JSON.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '@smolml/core';
import { HeUniform, XavierUniform } from '@smolml/init';
import { categoricalCrossEntropyFromLogits } from '@smolml/losses';
import { DenseLayer, type History, NeuralNetwork, trainTestSplit } from '@smolml/nn';
import { Adam } from '@smolml/optim';
import { sparkline, trainingCurvesSvg } from './charts.js';
import { type DigitData, loadMnist } from './data.js';
import { displayPath, saveOnnx, writeAtomically } from './files.js';
import type { DigitRunOptions } from './options.js';
import { fitWithProgress } from './progress.js';

export { displayPath } from './files.js';

/** run()'s options: the same for both MNIST examples (options.ts). */
export type MnistOptions = DigitRunOptions;

export interface MnistResult {
  testAccuracy: number;
  testLoss: number;
  history: History;
  /** The loss of every batch, before its update. */
  batchLosses: number[];
  /** Training time (fit only), in seconds. */
  seconds: number;
  samplesPerSecond: number;
  net: NeuralNetwork;
  /** The test set (evaluated once, after training). */
  test: DigitData;
  files: { svg?: string; model?: string; onnx?: string };
}

export async function run(options: MnistOptions = {}): Promise<MnistResult> {
  const { trainSize = 8000, testSize = 2000, validationFraction = 0.1, epochs = 5, batchSize = 64, lr = 1e-3, seed = 0, quiet = false } = options;
  const say = quiet ? () => undefined : (line = '') => console.log(line);

  const t0 = performance.now();
  const { train, test } = loadMnist({ trainSize, testSize, seed });
  // The data is already shuffled, so the validation set is simply the last rows.
  const { XTrain, XTest: XVal, yTrain, yTest: yVal } = trainTestSplit(train.X, train.y, { testSize: validationFraction, shuffle: false });
  say(`MNIST: ${XTrain.shape[0]} training, ${XVal.shape[0]} validation, ${testSize} test images (loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);

  const rng = createRng(seed + 1);
  const net = new NeuralNetwork(
    [new DenseLayer(784, 128, 'relu', new HeUniform(), { rng }), new DenseLayer(128, 10, 'linear', new XavierUniform(), { rng })],
    categoricalCrossEntropyFromLogits, // the output layer gives logits; softmax is fused into the loss
    new Adam({ lr }),
  );
  say(net.summary());
  say();

  const { history, batchLosses, seconds, samplesPerSecond } = await fitWithProgress(net, XTrain, yTrain, { epochs, batchSize, seed, validationData: [XVal, yVal], quiet });

  const { loss: testLoss, accuracy } = net.evaluate(test.X, test.y);
  const testAccuracy = accuracy!;
  say();
  say(`test accuracy ${(testAccuracy * 100).toFixed(2)}% on ${testSize} unseen digits (loss ${testLoss.toFixed(4)})`);
  say(`trained ${epochs} epochs in ${seconds.toFixed(1)} s (${Math.round(samplesPerSecond).toLocaleString('en-US')} samples/s)`);
  say();
  say(`batch loss   ${sparkline(batchLosses)}  ${batchLosses[0]!.toFixed(3)} -> ${batchLosses.at(-1)!.toFixed(3)}`);
  const val = history.valAccuracy ?? [];
  say(`val accuracy ${sparkline(val, val.length)}  ${val.map((a) => `${(a * 100).toFixed(1)}%`).join(' ')}`);

  const files: MnistResult['files'] = {};
  if (options.outDir !== undefined) {
    mkdirSync(options.outDir, { recursive: true });
    files.svg = join(options.outDir, 'mnist-curves.svg');
    writeAtomically(files.svg, trainingCurvesSvg(batchLosses, history));
    files.model = join(options.outDir, 'mnist-model.json');
    const modelText = JSON.stringify(net);
    writeAtomically(files.model, modelText);
    say();
    const kb = (text: string): string => `${Math.round(text.length / 1024).toLocaleString('en-US')} KB`;
    say(`wrote ${displayPath(files.svg)} (loss and accuracy curves)`);
    say(`wrote ${displayPath(files.model)} (${kb(modelText)}; load it with NeuralNetwork.fromJSON)`);
  }
  if (options.onnx !== undefined) {
    // input (batch, 784) pixels in [0, 1], output (batch, 10) logits: the digit is the argmax
    say(saveOnnx(net, options.onnx));
    files.onnx = options.onnx;
  }
  return { testAccuracy, testLoss, history, batchLosses, seconds, samplesPerSecond, net, test, files };
}
