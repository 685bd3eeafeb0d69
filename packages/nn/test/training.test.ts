import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { MLArray, ShapeError, ValueError, createRng, type LossFunction, type Optimizer } from '@smolml/core';
import { XavierUniform, Zeros } from '@smolml/init';
import { binaryCrossEntropy, mseLoss } from '@smolml/losses';
import { AdaGrad, Adam, SGD } from '@smolml/optim';
import { type ActivationName, DenseLayer, NeuralNetwork, TrainingError } from '../src/index.js';
import { type FixtureTensor, expectBitIdentical, expectClose, fromFixture, snapshot } from './helpers.js';

interface TrainFixture {
  architecture: { in: number; out: number; activation: string }[];
  loss: string;
  optimizer: { name: string; lr: number; eps: number };
  epochs: number;
  batch_size: number;
  shuffle: boolean;
  X: FixtureTensor;
  y: FixtureTensor;
  initial_params: { W: FixtureTensor; b: FixtureTensor }[];
  loss_per_epoch: number[];
  params_after_first_step: { W: FixtureTensor; b: FixtureTensor }[];
  final_params: { W: FixtureTensor; b: FixtureTensor }[];
  final_output_full_batch: FixtureTensor;
  final_loss_full_batch: number;
}
const fixtures = JSON.parse(readFileSync(new URL('./fixtures/train.json', import.meta.url), 'utf8')) as Record<string, TrainFixture>;
const RTOL = 1e-7;
const ATOL = 1e-9;

/** The fixture's network, through the public API: layers, then the initial weights assigned. */
function fixtureNetwork(fx: TrainFixture): NeuralNetwork<DenseLayer> {
  expect(fx.loss).toBe('mse');
  expect(fx.optimizer.name).toBe('adagrad_torch');
  const layers = fx.architecture.map((a, i) => {
    const l = new DenseLayer(a.in, a.out, a.activation as ActivationName);
    l.weights.data.set(fx.initial_params[i]!.W.data);
    l.biases.data.set(fx.initial_params[i]!.b.data);
    return l;
  });
  return new NeuralNetwork(layers, mseLoss, new AdaGrad({ lr: fx.optimizer.lr, eps: fx.optimizer.eps }));
}

function expectParams(net: NeuralNetwork<DenseLayer>, expected: { W: FixtureTensor; b: FixtureTensor }[], label: string): void {
  net.layers.forEach((l, i) => {
    expect(l.weights.shape).toEqual(expected[i]!.W.shape);
    expectClose(l.weights.data, expected[i]!.W.data, RTOL, ATOL, `${label} W${i}`);
    expectClose(l.biases.data, expected[i]!.b.data, RTOL, ATOL, `${label} b${i}`);
  });
}

describe('train.json fixtures (PyTorch float64)', () => {
  for (const [name, fx] of Object.entries(fixtures)) {
    const run = async (mode: 'train' | 'fit'): Promise<void> => {
      const net = fixtureNetwork(fx);
      const X = fromFixture(fx.X);
      const y = fromFixture(fx.y);
      let afterFirst: Float64Array[] | null = null;
      const opts = {
        epochs: fx.epochs,
        batchSize: fx.batch_size,
        shuffle: fx.shuffle,
        callbacks: { onBatchEnd: (step: number) => void (step === 0 && (afterFirst = snapshot(net.parameters()))) },
      };
      const history = mode === 'train' ? net.train(X, y, opts) : await net.fit(X, y, opts);
      expectClose(history.loss, fx.loss_per_epoch, RTOL, ATOL, 'loss per epoch');
      const first = afterFirst as Float64Array[] | null;
      expect(first).not.toBeNull();
      fx.params_after_first_step.forEach((p, i) => {
        expectClose(first![2 * i]!, p.W.data, RTOL, ATOL, `after first step W${i}`);
        expectClose(first![2 * i + 1]!, p.b.data, RTOL, ATOL, `after first step b${i}`);
      });
      expectParams(net, fx.final_params, 'final');
      expectClose(net.predict(X).data, fx.final_output_full_batch.data, RTOL, ATOL, 'final output');
      expectClose([net.evaluate(X, y).loss], [fx.final_loss_full_batch], RTOL, ATOL, 'final loss');
    };
    it(`${name}: losses, first step and final parameters (train)`, () => run('train'));
    it(`${name}: the same through fit()`, () => run('fit'));
  }
});

// ---------------------------------------------------------------------------------------------

const X10 = MLArray.from(Array.from({ length: 10 }, (_, i) => [Math.sin(i), Math.cos(2 * i)]));
const y10 = MLArray.from(Array.from({ length: 10 }, (_, i) => [Math.sin(i) * Math.cos(2 * i) > 0 ? 1 : 0]));

function net10(optimizer: Optimizer = new Adam({ lr: 0.05 }), loss: LossFunction = binaryCrossEntropy): NeuralNetwork {
  const rng = createRng(1);
  return new NeuralNetwork(
    [new DenseLayer(2, 8, 'tanh', new XavierUniform(), { rng }), new DenseLayer(8, 1, 'sigmoid', new XavierUniform(), { rng })],
    loss,
    optimizer,
  );
}

describe('train: the loop', () => {
  it('each loss is taken before its update; History.loss is the size-weighted mean of the batch losses', () => {
    const net = net10();
    const before = net.evaluate(X10, y10).loss;
    const batches: { step: number; loss: number; size: number; epoch: number; batch: number }[] = [];
    const h = net.train(X10, y10, { epochs: 3, batchSize: 4, callbacks: { onBatchEnd: (step, l) => void batches.push({ step, ...l }) } });
    expect(batches.map((b) => b.size)).toEqual([4, 4, 2, 4, 4, 2, 4, 4, 2]);
    expect(batches.map((b) => b.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(batches.map((b) => b.batch)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2]);
    expect(batches.map((b) => b.epoch)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2]);
    h.loss.forEach((l, e) => {
      const bs = batches.slice(3 * e, 3 * e + 3);
      expect(l).toBeCloseTo(bs.reduce((s, b) => s + b.loss * b.size, 0) / 10, 15);
    });
    // the first batch (rows 0..3, no shuffle) is evaluated with the initial weights
    const fresh = net10();
    expect(batches[0]!.loss).toBe(fresh.evaluate(X10.take([0, 1, 2, 3]), y10.take([0, 1, 2, 3])).loss);
    // full batch: epoch e's loss is the loss before epoch e's single update
    const full = net10();
    const hf = full.train(X10, y10, { epochs: 2 });
    expect(hf.loss[0]).toBe(before);
    expect(full.evaluate(X10, y10).loss).not.toBe(hf.loss[1]);
  });

  it('without shuffle, batches are consecutive rows; with shuffle every row is seen once per epoch', () => {
    const seen: number[][] = [];
    const spy: LossFunction = (p, t) => {
      seen.push(Array.from(t.data));
      return mseLoss(p, t);
    };
    const yIds = MLArray.from(Array.from({ length: 10 }, (_, i) => [i]));
    net10(new SGD(), spy).train(X10, yIds, { epochs: 1, batchSize: 4 });
    expect(seen).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    seen.length = 0;
    net10(new SGD(), spy).train(X10, yIds, { epochs: 2, batchSize: 3, shuffle: true, seed: 9 });
    const epoch0 = seen.slice(0, 4).flat();
    const epoch1 = seen.slice(4).flat();
    expect([...epoch0].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...epoch1].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(epoch0).not.toEqual(epoch1);
    expect(epoch0).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('a seed makes shuffled training reproducible; train and fit give identical results', async () => {
    const opts = { epochs: 5, batchSize: 3, shuffle: true, seed: 4 };
    const a = net10();
    const b = net10();
    const c = net10();
    const ha = a.train(X10, y10, opts);
    const hb = await b.fit(X10, y10, opts);
    const hc = c.train(X10, y10, { ...opts, seed: 5 });
    expectBitIdentical(ha.loss, hb.loss, 'loss');
    a.parameters().forEach((p, i) => expectBitIdentical(p.data, b.parameters()[i]!.data, `param ${i}`));
    expect(hc.loss).not.toEqual(ha.loss);
  });

  it('the update is SmolML\'s original one (one optimizer step over all parameters, the same numbers as layer.update per layer), then gradients zeroed', () => {
    const net = net10(new SGD({ lr: 0.1 }));
    const w0 = snapshot(net.parameters());
    const X2 = X10.take([0, 1]);
    const y2 = y10.take([0, 1]);
    // by hand: forward, loss, backward, p -= lr * grad
    const ref = net10(new SGD({ lr: 0.1 }));
    binaryCrossEntropy(ref.forward(X2), y2).backward();
    const expected = ref.parameters().map((p, i) => w0[i]!.map((w, k) => w - 0.1 * p.grad!.data[k]!));
    net.train(X2, y2, { epochs: 1 });
    net.parameters().forEach((p, i) => expectBitIdentical(p.data, expected[i]!, `param ${i}`));
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('records training accuracy for class targets, and validation loss/accuracy with validationData', () => {
    const net = net10();
    const accBefore = net.evaluate(X10, y10).accuracy;
    const Xv = X10.take([1, 3, 5]);
    const yv = y10.take([1, 3, 5]);
    const epochLogs: unknown[] = [];
    const h = net.train(X10, y10, { epochs: 4, validationData: [Xv, yv], callbacks: { onEpochEnd: (e, logs) => void epochLogs.push([e, logs]) } });
    expect(h.accuracy).toHaveLength(4);
    expect(h.accuracy![0]).toBe(accBefore);
    expect(h.valLoss).toHaveLength(4);
    const after = net.evaluate(Xv, yv);
    expect(h.valLoss![3]).toBe(after.loss);
    expect(h.valAccuracy![3]).toBe(after.accuracy);
    expect(epochLogs[3]).toEqual([3, { loss: h.loss[3], accuracy: h.accuracy![3], valLoss: h.valLoss![3], valAccuracy: h.valAccuracy![3] }]);
    const reg = net10(new Adam(), mseLoss).train(X10, MLArray.from(Array.from({ length: 10 }, (_, i) => [i / 10])), { epochs: 2 });
    expect(reg).toEqual({ loss: reg.loss });
  });

  it('verbose prints the first, every printEvery-th and the last epoch', () => {
    const lines: string[] = [];
    net10().train(X10, y10, { epochs: 25, verbose: true, printEvery: 10, log: (l) => lines.push(l) });
    expect(lines.map((l) => l.split(' - ')[0])).toEqual(['Epoch 1/25', 'Epoch 10/25', 'Epoch 20/25', 'Epoch 25/25']);
    expect(lines[0]).toMatch(/^Epoch 1\/25 - loss: \d\.\d{6} - accuracy: \d\.\d{4}$/);
    const quiet: string[] = [];
    net10().train(X10, y10, { epochs: 3, log: (l) => quiet.push(l) });
    expect(quiet).toEqual([]);
  });

  it('epochs: 0 trains nothing', () => {
    const net = net10();
    const w = snapshot(net.parameters());
    expect(net.train(X10, y10, { epochs: 0 }).loss).toEqual([]);
    net.parameters().forEach((p, i) => expectBitIdentical(p.data, w[i]!));
  });
});

describe('fit', () => {
  it('yields to the event loop between batches (train does not)', async () => {
    let ticked = false;
    const ticks: boolean[] = [];
    const onBatchEnd = (): void => void ticks.push(ticked);
    setImmediate(() => (ticked = true));
    net10().train(X10, y10, { epochs: 1, batchSize: 5, callbacks: { onBatchEnd } });
    expect(ticks).toEqual([false, false]);
    ticks.length = 0;
    ticked = false;
    setImmediate(() => (ticked = true));
    await net10().fit(X10, y10, { epochs: 1, batchSize: 5, callbacks: { onBatchEnd } });
    expect(ticks).toEqual([false, true]);
  });
  it('refuses to start while the same network is training', async () => {
    const net = net10();
    const running = net.fit(X10, y10, { epochs: 3, batchSize: 2 });
    expect(() => net.train(X10, y10)).toThrow(/already training/);
    await expect(net.fit(X10, y10)).rejects.toThrow(/already training/);
    await running;
    expect(net.train(X10, y10, { epochs: 1 }).loss).toHaveLength(1);
  });
  it('rejects (does not throw synchronously) on bad data', async () => {
    await expect(net10().fit([[NaN, 1]], [[1]])).rejects.toThrow(ValueError);
  });
});

describe('train: errors before training starts (the model is untouched)', () => {
  const cases: [string, (n: NeuralNetwork) => unknown, RegExp, typeof ValueError | typeof ShapeError][] = [
    ['NaN in X', (n) => n.train([[0, 1], [NaN, 2]], [[1], [0]]), /train: X contains NaN at row 1, column 0/, ValueError],
    ['Infinity in y', (n) => n.train([[0, 1], [1, 2]], [[1], [-Infinity]]), /train: y contains -Infinity at row 1, column 0/, ValueError],
    ['NaN in validation data', (n) => n.train(X10, y10, { validationData: [[[0, NaN]], [[1]]] }), /validation X contains NaN/, ValueError],
    ['wrong feature count', (n) => n.train([[1, 2, 3], [4, 5, 6]], [[1], [0]]), /^train: X \(2, 3\) does not fit the network \(checked on its first sample\): NeuralNetwork\.forward: layer 0 \(DenseLayer\(2 -> 8, tanh\)\): DenseLayer\.forward: expected input of shape \(batch, 2\), received \(1, 3\)$/, ShapeError],
    ['rows of X and y differ', (n) => n.train(X10, y10.take([0, 1])), /X has 10 rows \(10, 2\) but y has shape \(2, 1\)/, ShapeError],
    ['validation y of another shape', (n) => n.train(X10, y10, { validationData: [X10, X10] }), /^train: binaryCrossEntropy: yPred shape \(10, 1\) does not match validation y shape \(10, 2\)/, ShapeError],
    ['validation y of another shape (custom loss)', (n) => new NeuralNetwork([...n.layers], (p, t) => mseLoss(p, t), n.optimizer).train(X10, y10, { validationData: [X10, X10] }), /validation y has shape \(10, 2\) but y has \(10, 1\)/, ShapeError],
    ['validationData not a pair', (n) => n.train(X10, y10, { validationData: [X10] as unknown as [MLArray, MLArray] }), /validationData must be a pair/, ValueError],
    ['negative epochs', (n) => n.train(X10, y10, { epochs: -1 }), /train: epochs must be an integer >= 0, got -1/, ValueError],
    ['batchSize 0', (n) => n.train(X10, y10, { batchSize: 0 }), /train: batchSize must be an integer >= 1, got 0/, ValueError],
    ['fractional printEvery', (n) => n.train(X10, y10, { printEvery: 2.5 }), /train: printEvery must be an integer >= 1, got 2.5/, ValueError],
    ['1-D X', (n) => n.train([1, 2], [1, 0]), /train: X must have a first axis of samples, \(samples, features\), received shape \(2,\); reshape a single sample to \(1, n\)/, ShapeError],
    ['targets that do not fit the output (checked before the first update)', (n) => n.train(X10, X10), /^train: binaryCrossEntropy: yPred shape \(10, 1\) does not match y shape \(10, 2\)/, ShapeError],
    ['empty X', (n) => n.train(MLArray.zeros([0, 2]), MLArray.zeros([0, 1])), /X has no samples/, ValueError],
  ];
  for (const [name, call, message, type] of cases) {
    it(name, () => {
      const net = net10();
      const w = snapshot(net.parameters());
      expect(() => call(net)).toThrow(type);
      expect(() => call(net)).toThrow(message);
      net.parameters().forEach((p, i) => expectBitIdentical(p.data, w[i]!));
    });
  }
});

describe('train: a non-finite loss or gradient stops training', () => {
  it('names the epoch and step of a diverging loss and keeps the last finite weights', () => {
    const rng = createRng(2);
    const net = new NeuralNetwork([new DenseLayer(2, 4, 'linear', new XavierUniform(), { rng }), new DenseLayer(4, 1, 'linear', new XavierUniform(), { rng })], mseLoss, new SGD({ lr: 50 }));
    let last: Float64Array[] = snapshot(net.parameters());
    let lastStep = -1;
    let error: unknown;
    try {
      net.train(X10, y10, { epochs: 1000, batchSize: 5, callbacks: { onBatchEnd: (step) => { last = snapshot(net.parameters()); lastStep = step; } } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TrainingError);
    expect(error).toBeInstanceOf(ValueError);
    const te = error as TrainingError;
    expect(te.step).toBe(lastStep + 1);
    expect(te.epoch).toBe(Math.floor(te.step / 2));
    expect(te.batch).toBe(te.step % 2);
    expect(te.message).toMatch(new RegExp(`the loss is (NaN|Infinity) at epoch ${te.epoch}, batch ${te.batch} \\(step ${te.step}; all 0-based\\)`));
    net.parameters().forEach((p, i) => {
      expect(p.data.every(Number.isFinite)).toBe(true);
      expectBitIdentical(p.data, last[i]!, `param ${i}`);
      expect(p.grad).toBeNull();
    });
  });
  it('stops before the update when a gradient is infinite although the loss is finite', () => {
    // sqrt(p - t) at p = t: the loss is 0 but its derivative 1 / (2 sqrt(0)) is infinite.
    const sqrtLoss: LossFunction = (p, t) => p.sub(t).sqrt().mean();
    const net = new NeuralNetwork([new DenseLayer(2, 1, 'linear', new Zeros())], sqrtLoss, new SGD({ lr: 0.1 }));
    expect(() => net.train(X10, MLArray.zeros([10, 1]), { epochs: 3 })).toThrow(
      /^train: the update failed \(SGD\.step: gradient of parameter 0 .*holds (NaN|Infinity).*\) at epoch 0, batch 0 \(step 0; all 0-based\); training stopped, and the model is as it was before this batch/,
    );
    expect(net.parameters().every((p) => p.data.every((v) => v === 0) && p.grad === null)).toBe(true);
  });
  it('a loss function that does not return one number is reported', () => {
    const net = net10(new SGD(), (p, t) => p.sub(t));
    expect(() => net.train(X10, y10, { epochs: 1 })).toThrow(/the loss function must return one number, got shape \(10, 1\)/);
  });
});
