import { describe, expect, it } from 'vitest';
import { makeDataset, splitIndices } from '../../src/datasets.js';
import { type FeatureName, featurize } from '../../src/features.js';
import { type ActivationName, Network } from '../../src/model/network.js';
import { DivergenceError, type OptimizerName } from '../../src/model/train.js';
import { type LiveSettings, Trainer, toArrays } from '../../src/model/trainer.js';

function makeTrainer(live: LiveSettings, opts: { dataset?: 'circles' | 'xor' | 'sine'; features?: FeatureName[]; hidden?: number[]; optimizer?: OptimizerName; activation?: ActivationName } = {}) {
  const { dataset = 'circles', features = ['x1', 'x2'], hidden = [4, 2], optimizer = 'SGD', activation = 'tanh' } = opts;
  const data = makeDataset(dataset, { n: 200, seed: 1 });
  const all = featurize(data.x, features);
  const { train, test } = splitIndices(200, 0.5, 1);
  const tr = toArrays(all, data.y, train);
  const te = toArrays(all, data.y, test);
  const net = new Network({ inputs: features.length, hidden, activation, task: data.task, seed: 1 });
  return new Trainer(net, optimizer, { xTrain: tr.x, yTrain: tr.y, xTest: te.x, yTest: te.y }, () => live, 1);
}

describe('Trainer', () => {
  it("learns TensorFlow Playground's default (circles, 4-2 tanh, SGD 0.03, batch 10): test loss falls below 0.2", () => {
    const live: LiveSettings = { lr: 0.03, reg: 'none', regRate: 0, batchSize: 10 };
    const t = makeTrainer(live);
    for (let e = 0; e < 150; e++) t.runEpoch();
    expect(t.epoch).toBe(150);
    expect(t.history.train).toHaveLength(150);
    expect(t.history.test[149]!).toBeLessThan(0.2);
    expect(t.history.test[149]!).toBeLessThan(0.5 * t.history.test[0]!);
  });

  it('an epoch is ceil(train points / batch size) steps; the batch size is read live', () => {
    const live: LiveSettings = { lr: 0.03, reg: 'none', regRate: 0, batchSize: 10 };
    const t = makeTrainer(live);
    let steps = 0;
    while (!t.runBatch()) steps++;
    expect(steps + 1).toBe(10); // 100 training points, batches of 10
    live.batchSize = 30;
    steps = 0;
    while (!t.runBatch()) steps++;
    expect(steps + 1).toBe(4); // 30 + 30 + 30 + 10
    expect(t.lastGradients!.weights).toHaveLength(3);
  });

  it('the same seeds give the same run', () => {
    const live: LiveSettings = { lr: 0.01, reg: 'L2', regRate: 0.01, batchSize: 7 };
    const run = (): number[] => {
      const t = makeTrainer(live, { dataset: 'xor', optimizer: 'RMSProp' });
      for (let e = 0; e < 3; e++) t.runEpoch();
      return t.history.train;
    };
    expect(run()).toEqual(run());
  });

  it('a finished backprop stepper counts as the batch it trained', () => {
    const live: LiveSettings = { lr: 0.03, reg: 'none', regRate: 0, batchSize: 50 };
    const t = makeTrainer(live);
    const s = t.stepper();
    expect(() => t.finishStepper(s)).toThrow(/not complete/);
    while (!s.done) s.step();
    expect(t.finishStepper(s)).toBe(false); // 50 of 100 points
    expect(t.runBatch()).toBe(true); // the other 50 end the epoch
    expect(t.epoch).toBe(1);
  });

  it('SGD with learning rate 1000 diverges within a few epochs, with a message naming the epoch', () => {
    const live: LiveSettings = { lr: 1000, reg: 'none', regRate: 0, batchSize: 10 };
    const t = makeTrainer(live);
    let error: unknown;
    for (let e = 0; e < 20 && error === undefined; e++) {
      try {
        t.runEpoch();
      } catch (err) {
        error = err;
      }
    }
    expect(error).toBeInstanceOf(DivergenceError);
    expect(t.diverged).toMatch(/at epoch \d+/);
    expect(() => t.runBatch()).toThrow(DivergenceError);
  });
});
