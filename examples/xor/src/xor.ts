/**
 * XOR, SmolML's original example: a 2-16-1 network (relu, then tanh) trained with MSE and
 * AdaGrad on the four points of the XOR truth table.
 */
import { MLArray, createRng } from '@smolml/core';
import { XavierUniform } from '@smolml/init';
import { mseLoss } from '@smolml/losses';
import { DenseLayer, type History, NeuralNetwork, accuracy } from '@smolml/nn';
import { AdaGrad } from '@smolml/optim';

export interface XorOptions {
  epochs?: number;
  /** Seed of the initial weights. */
  seed?: number;
  /** No output. */
  quiet?: boolean;
}

export interface XorResult {
  /** Network outputs for [0,0], [0,1], [1,0], [1,1]. */
  outputs: number[];
  /** Fraction of the four points on the right side of 0.5. */
  accuracy: number;
  finalLoss: number;
  history: History;
}

export const X = MLArray.from([[0, 0], [0, 1], [1, 0], [1, 1]]);
export const y = MLArray.from([[0], [1], [1], [0]]);

export function run({ epochs = 100, seed = 42, quiet = false }: XorOptions = {}): XorResult {
  const rng = createRng(seed); // one seeded stream for all initial weights: the run is reproducible
  const net = new NeuralNetwork(
    [new DenseLayer(2, 16, 'relu', new XavierUniform(), { rng }), new DenseLayer(16, 1, 'tanh', new XavierUniform(), { rng })],
    mseLoss,
    new AdaGrad({ lr: 0.1 }),
  );
  if (!quiet) console.log(`${net.summary()}\n`);
  const history = net.train(X, y, { epochs, verbose: !quiet, printEvery: 20 });
  const outputs = Array.from(net.predict(X).data);
  const result = { outputs, accuracy: accuracy(outputs.map((o) => [o]), y), finalLoss: history.loss.at(-1) ?? NaN, history };
  if (!quiet) {
    console.log('\n x1 x2 | target | output');
    (X.toArray() as number[][]).forEach(([a, b], i) => {
      console.log(`  ${a}  ${b} |   ${y.data[i]}    | ${outputs[i]!.toFixed(4)}`);
    });
    console.log(`\naccuracy: ${result.accuracy * 100}%`);
  }
  return result;
}
