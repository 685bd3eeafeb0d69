import { describe, expect, it } from 'vitest';
import { MLArray, ShapeError, ValueError, createRng, type Optimizer } from '@smolml/core';
import { Ones, XavierUniform } from '@smolml/init';
import {
  binaryCrossEntropyFromLogits,
  binaryCrossEntropyWithLogits,
  categoricalCrossEntropy,
  categoricalCrossEntropyFromLogits,
  defineLoss,
  huberLoss,
  mseLoss,
  sparseCategoricalCrossEntropyFromLogits,
  targets,
} from '@smolml/losses';
import { Adam, SGD } from '@smolml/optim';
import { DenseLayer, NeuralNetwork } from '../src/index.js';

const rng = (): ReturnType<typeof createRng> => createRng(5);
function small(loss = mseLoss, out = 'tanh' as const): NeuralNetwork<DenseLayer> {
  const r = rng();
  return new NeuralNetwork([new DenseLayer(2, 16, 'relu', new XavierUniform(), { rng: r }), new DenseLayer(16, 1, out, new XavierUniform(), { rng: r })], loss);
}

describe('NeuralNetwork construction', () => {
  it('checks layer-to-layer sizes, naming the layers and sizes', () => {
    const make = (): NeuralNetwork => new NeuralNetwork([new DenseLayer(2, 16), new DenseLayer(16, 4), new DenseLayer(8, 1)], mseLoss);
    expect(make).toThrow(ShapeError);
    expect(make).toThrow("layer 1 outputs 4 features but layer 2 expects 8 inputs; make layer 2's inputSize 4");
  });
  it('rejects an empty or invalid layer list, a non-function loss and an invalid optimizer', () => {
    expect(() => new NeuralNetwork([], mseLoss)).toThrow(ValueError);
    expect(() => new NeuralNetwork([{} as DenseLayer], mseLoss)).toThrow('NeuralNetwork: layer 0 is not a layer (type, forward(x, opts), parameters(), toJSON()): its type must be a non-empty string, got undefined; got object {}');
    expect(() => new NeuralNetwork(new DenseLayer(2, 2) as never, mseLoss)).toThrow('NeuralNetwork: layers must be a non-empty array of layers, got DenseLayer instance {type, inputSize');
    const l = new DenseLayer(2, 2);
    expect(() => new NeuralNetwork([l, l], mseLoss)).toThrow(/same layer object appears twice/);
    expect(() => new NeuralNetwork([new DenseLayer(2, 1)], 42 as unknown as typeof mseLoss)).toThrow("NeuralNetwork: lossFunction must be a function (yPred, yTrue) => MLArray or a loss name such as 'mse', got 42");
    expect(() => new NeuralNetwork([new DenseLayer(2, 1)], mseLoss, {} as Optimizer)).toThrow('NeuralNetwork: optimizer must have step(params) and zeroGrad(params), e.g. new Adam(); got object {}');
  });
  it('defaults to SGD and lists parameters layer by layer', () => {
    const net = small();
    expect(net.optimizer).toBeInstanceOf(SGD);
    const [a, b] = net.layers;
    expect(net.parameters()).toEqual([a!.weights, a!.biases, b!.weights, b!.biases]);
    expect(net.parameterCount).toBe(2 * 16 + 16 + 16 + 1);
  });
});

describe('forward and predict', () => {
  it('accept nested arrays and MLArrays alike', () => {
    const net = small();
    const x = [[0, 1], [1, 1], [0.5, -2]];
    expect(Array.from(net.predict(x).data)).toEqual(Array.from(net.predict(MLArray.from(x)).data));
    expect(net.forward(x).shape).toEqual([3, 1]);
  });
  it('compute the layers in order', () => {
    const net = new NeuralNetwork([new DenseLayer(2, 2, 'relu', new Ones()), new DenseLayer(2, 1, 'linear', new Ones())], mseLoss);
    net.layers[0]!.biases.data.set([-1, 0.5]);
    // [1, -3] @ ones = [-2, -2] + b = [-3, -1.5] -> relu 0 -> sum 0; [2, 1] -> [3, 3] + b = [2, 3.5] -> 5.5
    expect(Array.from(net.predict([[1, -3], [2, 1]]).data)).toEqual([0, 5.5]);
  });
  it('a wrong input shape throws ShapeError naming the layer and both shapes', () => {
    const net = small();
    expect(() => net.forward([[1, 2, 3]])).toThrow(ShapeError);
    expect(() => net.predict([[1, 2, 3]])).toThrow('NeuralNetwork.forward: layer 0 (DenseLayer(2 -> 16, relu)): DenseLayer.forward: expected input of shape (batch, 2), received (1, 3)');
    expect(() => net.predict([1, 2])).toThrow('layer 0 (DenseLayer(2 -> 16, relu)): DenseLayer.forward: expected input of shape (batch, 2), received (2,); a single sample must be a row: reshape it to (1, 2)');
    // a custom activation that changes the shape is caught at the next layer
    const dropLast = (x: MLArray): MLArray => x.take([0, 1], 1);
    const odd = new NeuralNetwork([new DenseLayer(2, 3, dropLast), new DenseLayer(3, 1)], mseLoss);
    expect(() => odd.predict([[1, 2]])).toThrow('NeuralNetwork.forward: layer 1 (DenseLayer(3 -> 1, linear)): DenseLayer.forward: expected input of shape (batch, 3), received (1, 2)');
  });
  it('predict records no graph and leaves gradients alone; forward records one', () => {
    const net = small();
    const p = net.predict([[1, 0]]);
    expect(p.requiresGrad).toBe(false);
    expect(net.forward([[1, 0]]).requiresGrad).toBe(true);
    expect(net.parameters().every((q) => q.grad === null)).toBe(true);
  });
});

describe('evaluate', () => {
  const X = [[0, 0], [0, 1], [1, 0], [1, 1]];
  it('gives the loss, and no accuracy for regression targets', () => {
    const net = small();
    const y = [[0.5], [1.2], [-0.3], [2]];
    const e = net.evaluate(X, y);
    expect(e.loss).toBe(mseLoss(net.predict(X), MLArray.from(y)).item());
    expect(e).not.toHaveProperty('accuracy');
  });
  it('thresholds a single output at 0.5, or at 0 for logits', () => {
    const net = small();
    const out = Array.from(net.predict(X).data);
    const y = out.map((o) => [o > 0.5 ? 1 : 0]);
    y[0] = [1 - y[0]![0]!]; // one wrong on purpose
    expect(net.evaluate(X, y).accuracy).toBe(0.75);
    const logits = small(binaryCrossEntropyWithLogits, 'linear' as 'tanh');
    const z = Array.from(logits.predict(X).data);
    expect(logits.evaluate(X, z.map((v) => [v > 0 ? 1 : 0])).accuracy).toBe(1);
  });
  it('uses the argmax of each row against one-hot rows or integer labels', () => {
    const r = rng();
    const net = new NeuralNetwork([new DenseLayer(2, 3, 'softmax', new XavierUniform(), { rng: r })], categoricalCrossEntropy, new Adam());
    const pred = net.predict(X).argmax(1).data;
    const labels = Array.from(pred);
    labels[1] = (labels[1]! + 1) % 3;
    const oneHot = labels.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)));
    expect(net.evaluate(X, oneHot).accuracy).toBe(0.75);
    const sparse = new NeuralNetwork([new DenseLayer(2, 3, 'linear', new XavierUniform(), { rng: rng() })], sparseCategoricalCrossEntropyFromLogits);
    const sl = Array.from(sparse.predict(X).argmax(1).data);
    expect(sparse.evaluate(X, sl).accuracy).toBe(1);
  });
  it('rejects mismatched rows and non-finite data', () => {
    const net = small();
    expect(() => net.evaluate(X, [[1], [0]])).toThrow(ShapeError);
    expect(() => net.evaluate(X, [[1], [0], [NaN], [1]])).toThrow(/y contains NaN at row 2, column 0/);
  });
});

describe('a loss by name', () => {
  it.each([
    ['mse', mseLoss],
    ['mseLoss', mseLoss],
    ['huber', huberLoss],
    ['categoricalCrossEntropy', categoricalCrossEntropy],
    ['categoricalCrossEntropyFromLogits', categoricalCrossEntropyFromLogits],
    ['binaryCrossEntropyWithLogits', binaryCrossEntropyFromLogits],
  ] as const)('%s is the registry\'s function (the one saved models use)', (name, fn) => {
    const net = new NeuralNetwork([new DenseLayer(2, 1)], name);
    expect(net.lossFunction).toBe(fn);
  });

  it('huber(delta) by name, and the canonical name in the summary and the saved model', () => {
    const net = new NeuralNetwork([new DenseLayer(2, 1)], 'huber(0.5)');
    expect(net.toJSON().loss).toBe('huber(0.5)');
    const b = new NeuralNetwork([new DenseLayer(2, 1)], 'binaryCrossEntropyWithLogits');
    expect(b.toJSON().loss).toBe('binaryCrossEntropyFromLogits');
    expect(b.summary()).toContain('Loss: binaryCrossEntropyFromLogits');
  });

  it.each([
    ['mean_squared_error', 'mseLoss'],
    ['binaryCrossentropy', 'binaryCrossEntropy'],
    ['categorical_crossentropy', 'categoricalCrossEntropy'],
    ['sparseCategoricalCrossentropy', 'sparseCategoricalCrossEntropy'],
    ['MSE', 'mse'],
  ])('an unknown name %j suggests %j', (name, suggestion) => {
    const make = (): NeuralNetwork => new NeuralNetwork([new DenseLayer(2, 1)], name as 'mse');
    expect(make).toThrow(ValueError);
    expect(make).toThrow(`NeuralNetwork: unknown loss ${JSON.stringify(name)} (string); did you mean '${suggestion}'?`);
  });
});

describe('threshold and zeroGrad', () => {
  it('the threshold comes from the loss\'s fromLogits, not from its identity', () => {
    const layers = (): DenseLayer[] => [new DenseLayer(2, 1)];
    expect(new NeuralNetwork(layers(), binaryCrossEntropyFromLogits).threshold).toBe(0);
    expect(new NeuralNetwork(layers(), binaryCrossEntropyWithLogits).threshold).toBe(0);
    expect(new NeuralNetwork(layers(), 'binaryCrossEntropy' as 'mse').threshold).toBe(0.5);
    const myLogitLoss = defineLoss('myLogitLoss', { fromLogits: true, targets: targets.probabilities }, (z, t) => binaryCrossEntropyFromLogits(z, t).mul(2));
    expect(new NeuralNetwork(layers(), myLogitLoss).threshold).toBe(0);
    expect(new NeuralNetwork(layers(), (p, t) => mseLoss(p, t)).threshold).toBe(0.5);
  });

  it('zeroGrad() (and SmolML\'s original restart()) clears every parameter\'s gradient', () => {
    const net = small();
    for (const clear of [() => net.zeroGrad(), () => net.restart()]) {
      mseLoss(net.forward([[1, 2]]), MLArray.from([[0.5]])).backward();
      expect(net.parameters().every((p) => p.grad !== null)).toBe(true);
      clear();
      expect(net.parameters().every((p) => p.grad === null)).toBe(true);
    }
  });

  it('a loop written by hand with optimizer.step(net.parameters()) matches train()', () => {
    const a = small();
    const b = small();
    const X = MLArray.from([[0, 1], [1, 1], [2, -1]]);
    const y = MLArray.from([[0.5], [1], [-1]]);
    for (let e = 0; e < 3; e++) {
      mseLoss(a.forward(X), y).backward();
      a.optimizer.step(a.parameters());
      a.zeroGrad();
    }
    b.train(X, y, { epochs: 3 });
    a.parameters().forEach((p, i) => expect(Array.from(p.data)).toEqual(Array.from(b.parameters()[i]!.data)));
  });
});
