/**
 * Replayed training steps (src/replay.ts) against the eager path, bit for bit. The eager
 * reference is the same network trained with its loss wrapped in a plain function: the numbers
 * are the same, but a loss that is not a built-in makes the loop run every step eagerly. A spy on
 * `Replayer.prototype.ready` proves which path each run took.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordingAllocator } from '@smolml/test-utils';
import { type Backend, type LossFunction, MLArray, type Optimizer, createRng, jsBackend, setBackend } from '@smolml/core';
import { XavierUniform } from '@smolml/init';
import {
  binaryCrossEntropy, binaryCrossEntropyFromLogits, categoricalCrossEntropy, categoricalCrossEntropyFromLogits,
  huber, huberLoss, maeLoss, mseLoss,
} from '@smolml/losses';
import { AdaGrad, Adam, AdamW, RMSProp, SGD, SGDMomentum } from '@smolml/optim';
import {
  Activation, type ActivationName, AvgPool2D, BatchNorm, Conv2D, DenseLayer, Dropout, Flatten, type Layer, LayerNorm, MaxPool2D, NeuralNetwork, type TrainOptions,
} from '../src/index.js';
import { Replayer } from '../src/replay.js';
import { expectBitIdentical } from './helpers.js';

interface Case {
  sizes: number[];
  activations: ActivationName[];
  loss: LossFunction;
  optimizer: () => Optimizer;
  /** 'onehot' targets (one 1 per row), 'binary' (0/1), else real numbers. */
  targets: 'onehot' | 'binary' | 'values';
}

function data(c: Case, rows: number, seed: number): [MLArray, MLArray] {
  const rng = createRng(seed);
  const inputs = c.sizes[0]!;
  const outputs = c.sizes[c.sizes.length - 1]!;
  const x = MLArray.from(Float64Array.from({ length: rows * inputs }, () => rng.uniform() * 4 - 2), { shape: [rows, inputs] });
  const y = new Float64Array(rows * outputs);
  for (let r = 0; r < rows; r++) {
    if (c.targets === 'onehot') y[r * outputs + rng.int(outputs)] = 1;
    else for (let j = 0; j < outputs; j++) y[r * outputs + j] = c.targets === 'binary' ? rng.int(2) : rng.uniform() * 2 - 1;
  }
  return [x, MLArray.from(y, { shape: [rows, outputs] })];
}

function network(c: Case, loss: LossFunction): NeuralNetwork {
  const rng = createRng(7);
  const layers = c.activations.map((a, i) => new DenseLayer(c.sizes[i]!, c.sizes[i + 1]!, a, new XavierUniform(), { rng }));
  return new NeuralNetwork(layers, loss, c.optimizer());
}

/** Counts the batches the replayer replayed (ready() handed back a compiled step). */
function countReplays(): { readonly count: number } {
  const ready = Replayer.prototype.ready;
  const counter = { count: 0 };
  vi.spyOn(Replayer.prototype, 'ready').mockImplementation(function (this: Replayer, size: number) {
    const r = ready.call(this, size);
    if (r !== null) counter.count++;
    return r;
  });
  return counter;
}

afterEach(() => {
  vi.restoreAllMocks();
});

/** Trains the case replayed and eagerly on the same data; checks weights, history and predictions are identical bit for bit. */
function expectSameTraining(c: Case, options: TrainOptions, rows = 10, expectReplays = true): void {
  const [x, y] = data(c, rows, 3);
  const counter = countReplays();
  const replayed = network(c, c.loss);
  const hr = replayed.train(x, y, options);
  const replays = counter.count;
  const eager = network(c, (p, t) => c.loss(p, t));
  const he = eager.train(x, y, options);
  expect(counter.count - replays, 'the eager reference replayed nothing').toBe(0);
  if (expectReplays) expect(replays).toBeGreaterThan(0);
  else expect(replays).toBe(0);
  replayed.parameters().forEach((p, i) => expectBitIdentical(p.data, eager.parameters()[i]!.data, `parameter ${i}`));
  expectBitIdentical(hr.loss, he.loss, 'loss per epoch');
  if (he.accuracy) expectBitIdentical(hr.accuracy!, he.accuracy, 'accuracy per epoch');
  expectBitIdentical(replayed.predict(x).data, eager.predict(x).data, 'predictions');
  // The optimizer state is the same too: one more step from each gives the same weights.
  replayed.train(x, y, { epochs: 1 });
  eager.train(x, y, { epochs: 1 });
  replayed.parameters().forEach((p, i) => expectBitIdentical(p.data, eager.parameters()[i]!.data, `parameter ${i} after one more step`));
  expect(replayed.parameters().every((p) => p.grad === null)).toBe(true);
}

const CASES: Record<string, Case> = {
  'xor-like relu/tanh, mse, AdaGrad': { sizes: [2, 16, 1], activations: ['relu', 'tanh'], loss: mseLoss, optimizer: () => new AdaGrad({ lr: 0.1 }), targets: 'values' },
  'sigmoid, binaryCrossEntropy, SGD': { sizes: [3, 5, 1], activations: ['tanh', 'sigmoid'], loss: binaryCrossEntropy, optimizer: () => new SGD({ lr: 0.5 }), targets: 'binary' },
  'linear logits, binaryCrossEntropyFromLogits, SGDMomentum': {
    sizes: [3, 4, 2], activations: ['elu', 'linear'], loss: binaryCrossEntropyFromLogits, optimizer: () => new SGDMomentum({ lr: 0.1, momentum: 0.9 }), targets: 'binary',
  },
  'softmax, categoricalCrossEntropy, Adam': { sizes: [4, 8, 6, 3], activations: ['relu', 'leakyRelu', 'softmax'], loss: categoricalCrossEntropy, optimizer: () => new Adam({ lr: 0.01 }), targets: 'onehot' },
  'logits, categoricalCrossEntropyFromLogits, AdamW': {
    sizes: [4, 6, 3], activations: ['sigmoid', 'linear'], loss: categoricalCrossEntropyFromLogits, optimizer: () => new AdamW({ lr: 0.01, weightDecay: 0.1 }), targets: 'onehot',
  },
  'maeLoss, RMSProp': { sizes: [3, 7, 2], activations: ['tanh', 'linear'], loss: maeLoss, optimizer: () => new RMSProp({ lr: 0.01 }), targets: 'values' },
  'huberLoss and huber(0.3), Adam': { sizes: [2, 5, 2], activations: ['relu', 'linear'], loss: huberLoss, optimizer: () => new Adam({ lr: 0.05 }), targets: 'values' },
  'huber(0.3), SGD': { sizes: [2, 5, 2], activations: ['elu', 'linear'], loss: huber(0.3), optimizer: () => new SGD({ lr: 0.2 }), targets: 'values' },
};

/** The TypeScript backend, and the same with an `allocate` (a backend with memory of its own, into which a compiled step copies the parameters at each forward). */
const BACKENDS: [string, () => Backend][] = [
  ['TypeScript backend', () => jsBackend],
  ['backend with allocate', () => ({ name: 'allocate-spy', gemm: jsBackend.gemm, ...recordingAllocator() })],
];

for (const [where, backend] of BACKENDS) describe(`replayed training steps are bit-identical to eager ones (${where})`, () => {
  beforeEach(() => setBackend(backend()));
  afterEach(() => setBackend(jsBackend));

  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: full batch`, () => expectSameTraining(c, { epochs: 30 }));
    it(`${name}: batches of 4 of 10 rows (a smaller last batch), shuffled`, () => expectSameTraining(c, { epochs: 12, batchSize: 4, shuffle: true, seed: 5 }));
  }

  it('a learning-rate schedule gives the same steps', () => {
    const c = { ...CASES['xor-like relu/tanh, mse, AdaGrad']!, optimizer: () => new SGD({ lr: (step: number) => 0.5 / (1 + step) }) };
    expectSameTraining(c, { epochs: 20, batchSize: 3 });
  });

  it('fit (async) replays too', async () => {
    const c = CASES['softmax, categoricalCrossEntropy, Adam']!;
    const [x, y] = data(c, 9, 4);
    const counter = countReplays();
    const replayed = network(c, c.loss);
    const eager = network(c, (p, t) => c.loss(p, t));
    const options = { epochs: 8, batchSize: 4, shuffle: true, seed: 1, validationData: data(c, 5, 6) } as const;
    const hr = await replayed.fit(x, y, options);
    expect(counter.count).toBeGreaterThan(0);
    const he = await eager.fit(x, y, options);
    replayed.parameters().forEach((p, i) => expectBitIdentical(p.data, eager.parameters()[i]!.data, `parameter ${i}`));
    expectBitIdentical(hr.loss, he.loss);
    expectBitIdentical(hr.valLoss!, he.valLoss!);
  });

  it('a callback that changes the weights in place is seen by the next replayed step', () => {
    const c = CASES['xor-like relu/tanh, mse, AdaGrad']!;
    const scale = (net: NeuralNetwork) => ({
      onBatchEnd: (step: number) => {
        if (step % 3 === 0) for (const p of net.parameters()) for (let i = 0; i < p.size; i++) p.data[i] = p.data[i]! * 0.9;
      },
    });
    const [x, y] = data(c, 8, 2);
    const counter = countReplays();
    const replayed = network(c, c.loss);
    replayed.train(x, y, { epochs: 10, batchSize: 3, callbacks: scale(replayed) });
    expect(counter.count).toBeGreaterThan(0);
    const eager = network(c, (p, t) => c.loss(p, t));
    eager.train(x, y, { epochs: 10, batchSize: 3, callbacks: scale(eager) });
    replayed.parameters().forEach((p, i) => expectBitIdentical(p.data, eager.parameters()[i]!.data, `parameter ${i}`));
  });
});

it("with a backend's allocate, a replayed update reads the parameters from the compiled step's copies in that memory", () => {
  const thetas: boolean[] = []; // per update kernel call: was theta an array of allocate?
  const memory = recordingAllocator();
  const sgd = (theta: Float64Array) => void thetas.push(memory.made.has(theta)); // declines: SGD's own loop computes
  setBackend({ name: 'allocate-spy', gemm: jsBackend.gemm, ...memory, updateKernels: { sgd } });
  try {
    const c = CASES['huber(0.3), SGD']!;
    const [x, y] = data(c, 10, 3);
    const counter = countReplays();
    network(c, c.loss).train(x, y, { epochs: 3, batchSize: 5 }); // 4 parameters, 6 steps: the first eager, then replayed
    expect(counter.count).toBe(5);
    expect(thetas).toEqual([...Array<boolean>(4).fill(false), ...Array<boolean>(20).fill(true)]);
  } finally {
    setBackend(jsBackend);
  }
});

describe('what is not replayed runs eagerly', () => {
  const c = CASES['xor-like relu/tanh, mse, AdaGrad']!;

  it('a custom loss, a custom activation, a subclass, a non-@smolml/optim optimizer', () => {
    const [x, y] = data(c, 6, 1);
    const counter = countReplays();
    const custom = (p: MLArray, t: MLArray) => p.sub(t).pow(2).mean();
    new NeuralNetwork([new DenseLayer(2, 3, (v) => v.tanh()), new DenseLayer(3, 1)], mseLoss, new SGD()).train(x, y, { epochs: 5 });
    new NeuralNetwork([new DenseLayer(2, 3, 'tanh'), new DenseLayer(3, 1)], custom, new SGD()).train(x, y, { epochs: 5 });
    class Scaled extends NeuralNetwork {
      override forward(v: MLArray): MLArray {
        return super.forward(v).mul(2);
      }
    }
    new Scaled([new DenseLayer(2, 3, 'tanh'), new DenseLayer(3, 1)], mseLoss, new SGD()).train(x, y, { epochs: 5 });
    const plain: Optimizer = {
      step: (params) => params.forEach((p) => p.data.forEach((v, i) => (p.data[i] = v - 0.1 * p.grad!.data[i]!))),
      zeroGrad: (params) => params.forEach((p) => p.zeroGrad()),
    };
    new NeuralNetwork([new DenseLayer(2, 3, 'tanh'), new DenseLayer(3, 1)], mseLoss, plain).train(x, y, { epochs: 5 });
    expect(counter.count).toBe(0);
  });

  it('a parameter holding a gradient from a callback makes that step eager (backward adds to it)', () => {
    const [x, y] = data(c, 8, 2);
    const leak = (net: NeuralNetwork) => ({
      onBatchEnd: (step: number) => {
        if (step % 4 === 1) net.forward(x).sum().backward(); // leaves .grad on every parameter
      },
    });
    const counter = countReplays();
    const replayed = network(c, c.loss);
    replayed.train(x, y, { epochs: 6, batchSize: 4, callbacks: leak(replayed) });
    const eager = network(c, (p, t) => c.loss(p, t));
    eager.train(x, y, { epochs: 6, batchSize: 4, callbacks: leak(eager) });
    expect(counter.count).toBeGreaterThan(0);
    replayed.parameters().forEach((p, i) => expectBitIdentical(p.data, eager.parameters()[i]!.data, `parameter ${i}`));
  });

  it('a callback that swaps a layer makes the later steps eager (they use the new layer, as eager ones do)', () => {
    const [x, y] = data(c, 8, 2);
    const swap = (net: NeuralNetwork) => ({
      onBatchEnd: (step: number) => {
        if (step === 4) (net.layers as DenseLayer[])[1] = new DenseLayer(16, 1, 'sigmoid', { seed: 9 });
      },
    });
    const counter = countReplays();
    const replayed = network(c, c.loss);
    replayed.train(x, y, { epochs: 6, batchSize: 4, callbacks: swap(replayed) });
    expect(counter.count).toBe(4); // steps 1 to 4 (0 is traced); from 5 on, the new layer runs eagerly
    const eager = network(c, (p, t) => c.loss(p, t));
    eager.train(x, y, { epochs: 6, batchSize: 4, callbacks: swap(eager) });
    replayed.parameters().forEach((p, i) => expectBitIdentical(p.data, eager.parameters()[i]!.data, `parameter ${i}`));
    expectBitIdentical(replayed.predict(x).data, eager.predict(x).data, 'predictions');
  });

  it('a step that fails during replay stops training as the eager step does (same error, same weights)', () => {
    const [x, y] = data(c, 8, 2);
    const blowUp = (net: NeuralNetwork) => ({
      onBatchEnd: (step: number) => {
        if (step === 5) net.parameters()[3]!.data.fill(NaN);
      },
    });
    const run = (net: NeuralNetwork): string => {
      try {
        net.train(x, y, { epochs: 10, batchSize: 4, callbacks: blowUp(net) });
      } catch (e) {
        return String(e);
      }
      return 'no error';
    };
    const counter = countReplays();
    const replayed = network(c, c.loss);
    const replayedError = run(replayed);
    expect(counter.count).toBeGreaterThan(0);
    const eager = network(c, (p, t) => c.loss(p, t));
    expect(replayedError).toMatch(/TrainingError: train: the loss is NaN at epoch 3, batch 0 \(step 6/);
    expect(run(eager)).toBe(replayedError);
    replayed.parameters().forEach((p, i) => expectBitIdentical(p.data, eager.parameters()[i]!.data, `parameter ${i}`));
  });
});

describe('networks of other layers', () => {
  /** Trains build(loss) replayed and build(wrapped loss) eagerly; expects the same numbers, and replays or not as told. */
  function expectSame(build: (loss: LossFunction) => NeuralNetwork, x: MLArray, y: MLArray, options: TrainOptions, replays: boolean): void {
    const counter = countReplays();
    const replayed = build(mseLoss);
    const hr = replayed.train(x, y, options);
    const n = counter.count;
    const eager = build((p, t) => mseLoss(p, t));
    const he = eager.train(x, y, options);
    expect(counter.count).toBe(n);
    if (replays) expect(n).toBeGreaterThan(0);
    else expect(n).toBe(0);
    replayed.parameters().forEach((p, i) => expectBitIdentical(p.data, eager.parameters()[i]!.data, `parameter ${i}`));
    replayed.buffers().forEach((b, i) => expectBitIdentical(b.data, eager.buffers()[i]!.data, `buffer ${i}`));
    expectBitIdentical(hr.loss, he.loss, 'loss per epoch');
    expectBitIdentical(replayed.predict(x).data, eager.predict(x).data, 'predictions');
  }

  const images = (n: number): [MLArray, MLArray] => {
    const rng = createRng(n);
    const x = MLArray.from(Float64Array.from({ length: n * 2 * 6 * 6 }, () => rng.normal()), { shape: [n, 2, 6, 6] });
    return [x, MLArray.from(Float64Array.from({ length: n * 3 }, () => rng.uniform()), { shape: [n, 3] })];
  };
  const options = { epochs: 4, batchSize: 4, shuffle: true, seed: 3 } as const;
  const net = (layers: (rng: ReturnType<typeof createRng>) => Layer[]) => (loss: LossFunction) =>
    new NeuralNetwork(layers(createRng(5)), loss, new Adam({ lr: 0.01 }));

  it('Conv2D, MaxPool2D, AvgPool2D, Flatten, Dense: replayed bit for bit', () => {
    const [x, y] = images(10);
    const build = net((rng) => [
      new Conv2D(2, 3, 3, { padding: 1, activation: 'relu', rng }), new MaxPool2D(2), new AvgPool2D(1), new Flatten(), new DenseLayer(27, 3, 'sigmoid', { rng }),
    ]);
    expectSame(build, x, y, options, true);
  });

  it('LayerNorm, an Activation layer and Dropout(0): replayed bit for bit', () => {
    const [x, y] = images(10);
    const build = net((rng) => [new Flatten(), new DenseLayer(72, 8, 'linear', { rng }), new LayerNorm(8), new Activation('tanh'), new Dropout(0), new DenseLayer(8, 3, 'linear', { rng })]);
    expectSame(build, x, y, options, true);
  });

  it('Dropout (a fresh mask every step) and BatchNorm (running statistics) run eagerly, with the same results', () => {
    const [x, y] = images(10);
    const dropout = net((rng) => [new Flatten(), new DenseLayer(72, 8, 'relu', { rng }), new Dropout(0.5, { seed: 1 }), new DenseLayer(8, 3, 'linear', { rng })]);
    expectSame(dropout, x, y, options, false);
    const batchNorm = net((rng) => [new Conv2D(2, 2, 3, { rng }), new BatchNorm(2), new Flatten(), new DenseLayer(32, 3, 'linear', { rng })]);
    expectSame(batchNorm, x, y, options, false);
  });

  it('a custom layer or a subclass of a built-in one runs eagerly', () => {
    const [x, y] = images(6);
    class Scale implements Layer {
      readonly type = 'scale';
      readonly scale = MLArray.ones([1], { requiresGrad: true });
      forward(v: MLArray) { return v.mul(this.scale); }
      parameters() { return [this.scale]; }
      toJSON() { return { type: this.type, scale: this.scale.item() }; }
    }
    class Noisy extends Flatten {
      override forward(v: MLArray) { return super.forward(v).add(Math.random()); }
    }
    const counter = countReplays();
    new NeuralNetwork([new Flatten(), new Scale(), new DenseLayer(72, 3)], mseLoss, new SGD()).train(x, y, { epochs: 3, batchSize: 2 });
    new NeuralNetwork([new Noisy(), new DenseLayer(72, 3)], mseLoss, new SGD()).train(x, y, { epochs: 3, batchSize: 2 });
    expect(counter.count).toBe(0);
  });
});
