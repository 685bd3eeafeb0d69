/**
 * Defect 12 of issue 10: train/fit options are checked before training (unknown keys with "did you
 * mean", null means the default, callbacks must be functions), and an AbortSignal stops training
 * between batches with a consistent model.
 */
import { describe, expect, it } from 'vitest';
import { MLArray, ValueError, createRng, type Optimizer } from '@smolml/core';
import { XavierUniform } from '@smolml/init';
import { binaryCrossEntropy } from '@smolml/losses';
import { Adam, SGD } from '@smolml/optim';
import { DenseLayer, NeuralNetwork, type TrainOptions } from '../src/index.js';
import { expectBitIdentical, snapshot } from './helpers.js';

const X = MLArray.from(Array.from({ length: 12 }, (_, i) => [Math.sin(i), Math.cos(3 * i)]));
const y = MLArray.from(Array.from({ length: 12 }, (_, i) => [i % 3 === 0 ? 1 : 0]));

function net(optimizer: Optimizer = new Adam({ lr: 0.05 })): NeuralNetwork {
  const rng = createRng(4);
  return new NeuralNetwork([new DenseLayer(2, 5, 'tanh', new XavierUniform(), { rng }), new DenseLayer(5, 1, 'sigmoid', new XavierUniform(), { rng })], binaryCrossEntropy, optimizer);
}

describe('train/fit options are checked before training', () => {
  const refused: [string, unknown, string | RegExp][] = [
    ['a misspelt key', { epoch: 5 }, "train: unknown option 'epoch'; did you mean 'epochs'?"],
    ['a Keras key', { batch_size: 4 }, "train: unknown option 'batch_size'; did you mean 'batchSize'?"],
    ['a misspelt callback', { callbacks: { onEpochEnds: () => undefined } }, "train: callbacks: unknown option 'onEpochEnds'; did you mean 'onEpochEnd'?"],
    ['a non-function callback', { callbacks: { onBatchEnd: 'log' } }, 'train: callbacks.onBatchEnd must be a function, got "log" (string)'],
    ['a callbacks array', { callbacks: [() => undefined] }, 'train: callbacks must be an object { onEpochEnd?, onBatchEnd? }, got [function] (array)'],
    // (the arrow function takes the key's name)
    ['a callbacks function', { callbacks: () => undefined }, 'train: callbacks must be an object { onEpochEnd?, onBatchEnd? }, got callbacks (function)'],
    ['a non-function log', { log: console }, 'train: log must be a function, got'],
    ['a string for shuffle', { shuffle: 'yes' }, 'train: shuffle must be true or false, got "yes" (string)'],
    ['a non-number seed', { shuffle: true, seed: '7' }, /^train: seed must be a finite number.*, got "7" \(string\)$/],
    ['an options array', [5], 'train: options must be an object, got [5] (array)'],
    ['a non-signal signal', { signal: true }, 'train: signal must be an AbortSignal (new AbortController().signal), got true (boolean)'],
    ['a validationData object', { validationData: { X, y } }, 'train: validationData must be a pair [X, y], got object {X, y}'],
  ];
  it.each(refused)('%s is refused with the model untouched', async (_name, options, message) => {
    const n = net();
    const w = snapshot(n.parameters());
    expect(() => n.train(X, y, options as TrainOptions)).toThrow(ValueError);
    expect(() => n.train(X, y, options as TrainOptions)).toThrow(message);
    const forFit = typeof message === 'string' ? message.replace(/^train:/, 'fit:') : new RegExp(message.source.replace('^train:', '^fit:'));
    await expect(n.fit(X, y, options as TrainOptions)).rejects.toThrow(forFit);
    n.parameters().forEach((p, i) => expectBitIdentical(p.data, w[i]!));
  });

  it('null options, and null option values, mean the defaults', () => {
    const a = net().train(X, y, null);
    const b = net().train(X, y, {});
    expect(a.loss).toHaveLength(100);
    expectBitIdentical(a.loss, b.loss);
    const nulls = { epochs: null, batchSize: null, shuffle: null, seed: null, validationData: null, verbose: null, printEvery: null, log: null, callbacks: null, signal: null };
    expectBitIdentical(net().train(X, y, nulls).loss, a.loss);
    expectBitIdentical(net().train(X, y, { epochs: 3, callbacks: { onEpochEnd: null, onBatchEnd: undefined } }).loss, a.loss.slice(0, 3));
  });
});

describe('signal: aborting training', () => {
  it('an already-aborted signal throws its reason before any update (train and fit)', async () => {
    const n = net();
    const w = snapshot(n.parameters());
    const c = new AbortController();
    c.abort(new Error('user stop'));
    expect(() => n.train(X, y, { signal: c.signal })).toThrow('user stop');
    await expect(n.fit(X, y, { signal: c.signal })).rejects.toThrow('user stop');
    // also before checking the data
    expect(() => n.train([[NaN, 0]], [[1]], { signal: c.signal })).toThrow('user stop');
    n.parameters().forEach((p, i) => expectBitIdentical(p.data, w[i]!));
    expect((n.optimizer as Adam).toJSON(n.parameters()).state.every((s) => s === null)).toBe(true);
  });

  it('aborting during fit stops after the current batch and rejects with an AbortError; the model equals one trained for those batches', async () => {
    const n = net();
    const c = new AbortController();
    let batches = 0;
    const running = n.fit(X, y, { epochs: 100000, batchSize: 4, signal: c.signal, callbacks: { onBatchEnd: () => void batches++ } });
    // abort from outside while fit waits between batches
    await new Promise((r) => setTimeout(r, 0));
    c.abort();
    let error: unknown;
    try {
      await running;
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('AbortError');
    expect(batches).toBeGreaterThan(0);
    expect(batches).toBeLessThan(300000); // far from done: it stopped on the abort
    // consistent: the same as training exactly `batches` batches without aborting
    const ref = net();
    const refState = new AbortController();
    let seen = 0;
    expect(() =>
      ref.train(X, y, { epochs: 100000, batchSize: 4, signal: refState.signal, callbacks: { onBatchEnd: () => void (++seen === batches && refState.abort()) } }),
    ).toThrow(DOMException);
    n.parameters().forEach((p, i) => expectBitIdentical(p.data, ref.parameters()[i]!.data, `param ${i}`));
    expect(n.parameters().every((p) => p.grad === null)).toBe(true);
    // the network is free again and resumes from where it stopped
    expect(n.train(X, y, { epochs: 1 }).loss).toHaveLength(1);
  });

  it('train checks the signal between batches: an abort from a callback stops after that batch, with the reason given', () => {
    const n = net(new SGD({ lr: 0.1 }));
    const c = new AbortController();
    const steps: number[] = [];
    const reason = new Error('enough');
    expect(() => n.train(X, y, { epochs: 3, batchSize: 5, signal: c.signal, callbacks: { onBatchEnd: (s) => { steps.push(s); if (s === 3) c.abort(reason); } } })).toThrow(reason);
    expect(steps).toEqual([0, 1, 2, 3]);
    const ref = net(new SGD({ lr: 0.1 }));
    ref.train(X, y, { epochs: 1, batchSize: 5 }); // steps 0, 1, 2
    ref.train(X.take([0, 1, 2, 3, 4]), y.take([0, 1, 2, 3, 4]), { epochs: 1 }); // step 3: the first batch of epoch 1
    n.parameters().forEach((p, i) => expectBitIdentical(p.data, ref.parameters()[i]!.data, `param ${i}`));
  });
});
