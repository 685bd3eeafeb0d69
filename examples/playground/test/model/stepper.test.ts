import { MLArray } from '@smolml/core';
import { describe, expect, it } from 'vitest';
import { makeDataset } from '../../src/datasets.js';
import { featurize } from '../../src/features.js';
import { Network } from '../../src/model/network.js';
import { BackpropStepper, describePhase, phasesOf } from '../../src/model/stepper.js';
import { type OptimizerName, type Regularization, makeOptimizer, trainStep } from '../../src/model/train.js';

function setup(hidden: number[], optimizer: OptimizerName) {
  const data = makeDataset('xor', { n: 16, seed: 4, noise: 0.1 });
  const x = featurize(data.x, ['x1', 'x2', 'x1x2']);
  const y = MLArray.from(data.y.map((v) => [v]));
  const make = () => new Network({ inputs: 3, hidden, activation: 'tanh', task: 'classification', seed: 3 });
  return { x, y, a: make(), b: make(), optA: makeOptimizer(optimizer, () => 0.05), optB: makeOptimizer(optimizer, () => 0.05) };
}

describe('BackpropStepper', () => {
  it('orders the phases: forward through each layer, loss, backward from the output, update', () => {
    expect(phasesOf(3).map((p) => ('layer' in p ? `${p.kind} ${p.layer}` : p.kind))).toEqual([
      'forward 0', 'forward 1', 'forward 2', 'loss', 'backward 2', 'backward 1', 'backward 0', 'update',
    ]);
    expect(describePhase({ kind: 'backward', layer: 2 }, 3)).toMatch(/^Backward: the output layer receives/);
    expect(describePhase({ kind: 'forward', layer: 0 }, 3)).toMatch(/^Forward: hidden layer 1/);
  });

  it.each([
    [[5, 3], 'Adam', 'L2'],
    [[4], 'SGDMomentum', 'L1'],
    [[], 'SGD', 'none'],
  ] as const)('layer by layer gives the gradients and the update of one whole backward (hidden %j, %s, %s)', (hidden, optimizer, reg) => {
    const { x, y, a, b, optA, optB } = setup([...hidden], optimizer);
    const options = { reg: reg as Regularization, regRate: 0.01 };
    const whole = trainStep(a, optA, x, y, options);
    const stepper = new BackpropStepper(b, optB, x, y, options);
    const layers = b.weights.length;
    // forward phases: each layer's output equals the whole network's activations
    for (let l = 0; l < layers; l++) stepper.step();
    const acts = b.activations(x);
    for (let l = 0; l < layers; l++) expect([...stepper.post[l]!.data]).toEqual([...acts.post[l]!.data]);
    stepper.step(); // loss
    expect(stepper.loss).toBeCloseTo(whole.loss, 14);
    // backward phases fill the gradients from the output layer down
    for (let l = layers - 1; l >= 0; l--) {
      expect(stepper.step()).toEqual({ kind: 'backward', layer: l });
      for (let k = 0; k < layers; k++) {
        const filled = k >= l;
        const g = stepper.gradients.weights[k]!;
        if (filled) g.forEach((v, i) => expect(v).toBeCloseTo(whole.gradients.weights[k]![i]!, 13));
        else expect(g.every((v) => v === 0)).toBe(true);
      }
      stepper.gradients.biases[l]!.forEach((v, i) => expect(v).toBeCloseTo(whole.gradients.biases[l]![i]!, 13));
    }
    expect(stepper.step()).toEqual({ kind: 'update' });
    expect(stepper.done).toBe(true);
    b.parameters().forEach((p, k) => p.data.forEach((v, i) => expect(v).toBeCloseTo(a.parameters()[k]!.data[i]!, 13)));
    expect(() => stepper.step()).toThrow(/complete/);
  });
});
