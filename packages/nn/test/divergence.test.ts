/**
 * Defect 9 of issue 10: a TrainingError promises finite weights. A step that would make any
 * parameter non-finite is rolled back whole (by a @smolml/optim optimizer itself, or by the loop
 * for any other optimizer), so the model is exactly as it was before the failing batch.
 */
import { describe, expect, it } from 'vitest';
import { MLArray, ValueError, createRng, type Optimizer } from '@smolml/core';
import { XavierUniform } from '@smolml/init';
import { mseLoss } from '@smolml/losses';
import { Adam } from '@smolml/optim';
import { DenseLayer, NeuralNetwork, TrainingError } from '../src/index.js';
import { expectBitIdentical, snapshot } from './helpers.js';

const X = MLArray.from(Array.from({ length: 12 }, (_, i) => [Math.sin(i), Math.cos(2 * i), i / 12]));
const y = MLArray.from(Array.from({ length: 12 }, (_, i) => [Math.sin(i) * 0.9]));

/** tanh outputs keep the loss finite however large the weights grow: only the update can fail. */
function net(optimizer: Optimizer): NeuralNetwork {
  const rng = createRng(8);
  return new NeuralNetwork([new DenseLayer(3, 6, 'tanh', new XavierUniform(), { rng }), new DenseLayer(6, 1, 'tanh', new XavierUniform(), { rng })], mseLoss, optimizer);
}

/** Trains until it throws; returns the error and the parameters after the last completed batch. */
function trainUntilError(n: NeuralNetwork, batchSize: number): { error: unknown; last: Float64Array[]; lastStep: number } {
  let last = snapshot(n.parameters());
  let lastStep = -1;
  let error: unknown;
  try {
    n.train(X, y, { epochs: 50, batchSize, callbacks: { onBatchEnd: (s) => { last = snapshot(n.parameters()); lastStep = s; } } });
  } catch (e) {
    error = e;
  }
  return { error, last, lastStep };
}

describe('a step that would leave non-finite weights is rolled back', () => {
  it('Adam with lr 1e308: TrainingError, weights bit-identical to before the failing batch, and the model still saves and loads', () => {
    const n = net(new Adam({ lr: 1e308 }));
    const { error, last, lastStep } = trainUntilError(n, 4);
    expect(error).toBeInstanceOf(TrainingError);
    const te = error as TrainingError;
    expect(te.step).toBe(lastStep + 1);
    expect([te.epoch, te.batch]).toEqual([Math.floor(te.step / 3), te.step % 3]);
    expect(te.message).toMatch(new RegExp(`^train: the update failed \\(Adam\\.step: .*\\) at epoch ${te.epoch}, batch ${te.batch} \\(step ${te.step}; all 0-based\\); training stopped, and the model is as it was before this batch`));
    expect(te.cause).toBeInstanceOf(ValueError);
    expect(te.cause).not.toBeInstanceOf(TrainingError);
    n.parameters().forEach((p, i) => {
      expectBitIdentical(p.data, last[i]!, `param ${i}`);
      expect(p.data.every(Number.isFinite)).toBe(true);
      expect(p.grad).toBeNull();
    });
    const copy = NeuralNetwork.fromJSON(JSON.stringify(n));
    expectBitIdentical(copy.predict(X).data, n.predict(X).data, 'predictions after a save/load');
    expect(copy.toJSON().optimizer).toEqual(n.toJSON().optimizer);
  });

  it('a custom optimizer that makes a parameter non-finite: the loop restores every parameter', () => {
    let calls = 0;
    // plain SGD, but the 3rd step writes Infinity into the second layer's weights after updating the first layer
    const wild: Optimizer = {
      step(params) {
        calls++;
        for (const [k, p] of params.entries()) {
          const g = p.grad!.data;
          for (let i = 0; i < p.size; i++) p.data[i]! -= 0.05 * g[i]!;
          if (calls === 3 && k === 2) p.data[1] = Infinity;
        }
      },
      zeroGrad: (params) => params.forEach((p) => p.zeroGrad()),
    };
    const n = net(wild);
    const { error, last, lastStep } = trainUntilError(n, 5);
    expect(lastStep).toBe(1);
    expect(error).toBeInstanceOf(TrainingError);
    expect((error as TrainingError).step).toBe(2);
    expect((error as Error).message).toBe(
      'train: the optimizer made parameter 2 (shape (6, 1)) non-finite at epoch 0, batch 2 (step 2; all 0-based); training stopped, and the model is as it was before this batch. ' +
        'Lower the learning rate, scale the inputs or clip gradients.',
    );
    n.parameters().forEach((p, i) => {
      expectBitIdentical(p.data, last[i]!, `param ${i}`);
      expect(p.grad).toBeNull();
    });
  });

  it('a custom optimizer that throws half-way: parameters restored, its ValueError becomes a TrainingError with the cause', () => {
    const cause = new ValueError('MyOpt: refused');
    const halfway: Optimizer = {
      step(params) {
        params[0]!.data.fill(7); // changes a parameter, then fails
        throw cause;
      },
      zeroGrad: (params) => params.forEach((p) => p.zeroGrad()),
    };
    const n = net(halfway);
    const before = snapshot(n.parameters());
    const { error } = trainUntilError(n, 12);
    expect(error).toBeInstanceOf(TrainingError);
    expect((error as TrainingError).cause).toBe(cause);
    expect((error as Error).message).toMatch(/^train: the update failed \(MyOpt: refused\) at epoch 0, batch 0 \(step 0; all 0-based\)/);
    n.parameters().forEach((p, i) => expectBitIdentical(p.data, before[i]!, `param ${i}`));
    // any other error passes through unchanged, after the same restore
    const bug = new TypeError('oops');
    const broken: Optimizer = { step: (params) => { params[1]!.data.fill(3); throw bug; }, zeroGrad: () => undefined };
    const m = net(broken);
    const b2 = snapshot(m.parameters());
    expect(() => m.train(X, y, { epochs: 1 })).toThrow(bug);
    m.parameters().forEach((p, i) => expectBitIdentical(p.data, b2[i]!, `param ${i}`));
  });

  it('a finite run with a custom optimizer is unchanged by the safety copy (same numbers as @smolml/optim SGD)', async () => {
    const { SGD } = await import('@smolml/optim');
    const plain: Optimizer = {
      step(params) {
        for (const p of params) for (let i = 0; i < p.size; i++) p.data[i]! -= 0.05 * p.grad!.data[i]!;
      },
      zeroGrad: (params) => params.forEach((p) => p.zeroGrad()),
    };
    const a = net(plain);
    const b = net(new SGD({ lr: 0.05 }));
    expectBitIdentical(a.train(X, y, { epochs: 5, batchSize: 5 }).loss, b.train(X, y, { epochs: 5, batchSize: 5 }).loss);
    a.parameters().forEach((p, i) => expectBitIdentical(p.data, b.parameters()[i]!.data));
  });
});
