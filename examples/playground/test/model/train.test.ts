import { MLArray, noGrad } from '@smolml/core';
import { describe, expect, it } from 'vitest';
import { makeDataset } from '../../src/datasets.js';
import { featurize } from '../../src/features.js';
import { Network, dataLoss } from '../../src/model/network.js';
import { DivergenceError, type Regularization, computeGradients, makeOptimizer, penalty, trainStep } from '../../src/model/train.js';

function smallProblem(task: 'classification' | 'regression' = 'classification', activation: 'tanh' | 'relu' = 'tanh') {
  const data = makeDataset(task === 'classification' ? 'circles' : 'sine', { n: 24, seed: 2, noise: 0.1 });
  const x = featurize(data.x, ['x1', 'x2', 'x1sq']);
  const y = MLArray.from(data.y.map((v) => [v]));
  const net = new Network({ inputs: 3, hidden: [4, 3], activation, task, seed: 7 });
  return { net, x, y };
}

/** Data loss + penalty with the current weights, no graph. */
function totalLoss(net: Network, x: MLArray, y: MLArray, reg: Regularization, rate: number): number {
  return noGrad(() => dataLoss(net.spec.task, net.forward(x), y).item() + (penalty(net.weights, reg, rate)?.item() ?? 0));
}

describe('penalty', () => {
  const w = [MLArray.from([[1, -2], [0.5, 0]]), MLArray.from([[-3]])];

  it('L1 = rate Σ|w|, L2 = rate ½ Σ w², none = null; biases are not passed in', () => {
    expect(penalty(w, 'L1', 0.1)!.item()).toBeCloseTo(0.1 * (1 + 2 + 0.5 + 3), 15);
    expect(penalty(w, 'L2', 0.1)!.item()).toBeCloseTo(0.1 * 0.5 * (1 + 4 + 0.25 + 9), 15);
    expect(penalty(w, 'none', 0.1)).toBeNull();
    expect(penalty(w, 'L2', 0)).toBeNull();
  });
});

describe('computeGradients: data loss + regularisation, checked by finite differences', () => {
  it.each([
    ['classification', 'none', 0],
    ['classification', 'L1', 0.05],
    ['classification', 'L2', 0.3],
    ['regression', 'L1', 0.01],
    ['regression', 'L2', 0.1],
  ] as const)('%s with %s (rate %d)', (task, reg, rate) => {
    const { net, x, y } = smallProblem(task);
    computeGradients(net, x, y, { reg, regRate: rate });
    const h = 1e-6;
    for (const p of net.parameters()) {
      const analytic = Float64Array.from(p.grad!.data);
      for (let i = 0; i < p.size; i++) {
        // L1's kink at 0: keep the central difference on one side of it
        if (reg === 'L1' && Math.abs(p.data[i]!) < 10 * h) continue;
        const saved = p.data[i]!;
        p.data[i] = saved + h;
        const up = totalLoss(net, x, y, reg, rate);
        p.data[i] = saved - h;
        const down = totalLoss(net, x, y, reg, rate);
        p.data[i] = saved;
        expect(Math.abs(analytic[i]! - (up - down) / (2 * h))).toBeLessThan(1e-7);
      }
    }
  });

  it('L2 adds exactly rate · w to each weight gradient, L1 rate · sign(w); biases untouched', () => {
    const grads = (reg: Regularization): Float64Array[] => {
      const { net, x, y } = smallProblem();
      computeGradients(net, x, y, { reg, regRate: 0.5 });
      return net.parameters().map((p) => Float64Array.from(p.grad!.data));
    };
    const { net } = smallProblem();
    const [plain, l1, l2] = [grads('none'), grads('L1'), grads('L2')];
    net.parameters().forEach((p, k) => {
      const isWeight = k % 2 === 0;
      for (let i = 0; i < p.size; i++) {
        expect(l2[k]![i]! - plain[k]![i]!).toBeCloseTo(isWeight ? 0.5 * p.data[i]! : 0, 12);
        expect(l1[k]![i]! - plain[k]![i]!).toBeCloseTo(isWeight ? 0.5 * Math.sign(p.data[i]!) : 0, 12);
      }
    });
  });
});

describe('trainStep', () => {
  it('lowers the loss of the batch and returns the gradients it used', () => {
    const { net, x, y } = smallProblem();
    const opt = makeOptimizer('SGD', () => 0.1);
    const before = totalLoss(net, x, y, 'none', 0);
    const w0 = Float64Array.from(net.weights[0]!.data);
    const { loss, gradients } = trainStep(net, opt, x, y, { reg: 'none', regRate: 0 });
    expect(loss).toBeCloseTo(before, 14);
    expect(totalLoss(net, x, y, 'none', 0)).toBeLessThan(before);
    // SGD: w1 = w0 - lr g
    net.weights[0]!.data.forEach((w, i) => expect(w).toBeCloseTo(w0[i]! - 0.1 * gradients.weights[0]![i]!, 14));
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('reads the learning rate at every step (the page changes it while training)', () => {
    let lr = 0.1;
    const { net, x, y } = smallProblem();
    const opt = makeOptimizer('SGD', () => lr);
    trainStep(net, opt, x, y, { reg: 'none', regRate: 0 });
    lr = 0.001;
    const w0 = Float64Array.from(net.weights[1]!.data);
    const { gradients } = trainStep(net, opt, x, y, { reg: 'none', regRate: 0 });
    net.weights[1]!.data.forEach((w, i) => expect(w).toBeCloseTo(w0[i]! - 0.001 * gradients.weights[1]![i]!, 14));
  });

  it('SGD with learning rate 1000 diverges: DivergenceError, and the weights stay finite', () => {
    const { net, x, y } = smallProblem('regression', 'relu');
    const opt = makeOptimizer('SGD', () => 1000);
    let error: unknown;
    for (let i = 0; i < 50 && error === undefined; i++) {
      try {
        trainStep(net, opt, x, y, { reg: 'none', regRate: 0 });
      } catch (e) {
        error = e;
      }
    }
    expect(error).toBeInstanceOf(DivergenceError);
    expect(net.parameters().every((p) => p.data.every(Number.isFinite))).toBe(true);
  });
});
