/**
 * Issue 10, saving and loading: declared sizes are checked against the data before anything is
 * allocated (defect 5), names are looked up among own properties only (defect 6), messages stay
 * short whatever the input (defect 8), common mistakes get a message that says what to do, and
 * models saved before the issue still load.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MLArray, ValueError } from '@smolml/core';
import { binaryCrossEntropyFromLogits, huber, sparseCategoricalCrossEntropyFromLogits } from '@smolml/losses';
import { Adam, RMSProp, SGDMomentum } from '@smolml/optim';
import { DenseLayer, NeuralNetwork, type NetworkJSON } from '../src/index.js';
import { denseNetwork, expectBitIdentical } from './helpers.js';

/** The message of what `fn` throws (and checks it is a ValueError). */
function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValueError);
    return (e as Error).message;
  }
  return expect.fail('expected a ValueError');
}

const tinyModel = (layer: Record<string, unknown>): string =>
  JSON.stringify({ format: 'smolml-network', version: 1, layers: [{ type: 'dense', activation: 'linear', ...layer }], loss: 'mseLoss', optimizer: null });

describe('fromJSON checks declared sizes before allocating (defect 5)', () => {
  it.each([
    [40000, 40000, 'layers[0].weights declares (40000, 40000) = 1600000000 numbers, more than the 268435456 an array may hold'],
    [65536, 65536, 'layers[0].weights declares (65536, 65536) = 4294967296 numbers, more than the 268435456 an array may hold'],
    [2 ** 53, 1, 'layers[0].inputSize must be an integer >= 1, got 9007199254740992'],
    [10000, 10000, 'layers[0].weights must be an array of 10000 rows (inputSize), got 0 rows'],
  ])('a small file declaring a %d x %d layer throws a ValueError at once', (inputSize, outputSize, message) => {
    const text = tinyModel({ inputSize, outputSize, weights: [], biases: [] });
    expect(text.length).toBeLessThan(200);
    expect(messageOf(() => NeuralNetwork.fromJSON(text, { optimizer: new Adam() }))).toContain(message);
  });

  it('rows are checked before anything is built: one short row among many', () => {
    const rows = Array.from({ length: 300 }, () => Array.from({ length: 300 }, () => 0.5));
    rows[299] = [0.5];
    expect(messageOf(() => NeuralNetwork.fromJSON(tinyModel({ inputSize: 300, outputSize: 300, weights: rows, biases: [] }), { optimizer: new Adam() }))).toBe(
      'NeuralNetwork.fromJSON: layers[0].weights[299] has 1 numbers, expected 300',
    );
  });
});

describe('names are looked up among own properties only (defect 6)', () => {
  const net = new NeuralNetwork([new DenseLayer(2, 2, 'linear', { seed: 1 })], 'mse', new Adam());
  const json = (): NetworkJSON => JSON.parse(JSON.stringify(net)) as NetworkJSON;

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])('custom:%s does not resolve to an inherited function', (name) => {
    const j = json();
    j.layers[0]!.activation = `custom:${name}`;
    expect(messageOf(() => NeuralNetwork.fromJSON(j))).toContain(`layers[0].activation uses the custom activation '${name}'; pass it`);
    // nor through options.activations' prototype
    expect(messageOf(() => NeuralNetwork.fromJSON(j, { activations: {} }))).toContain('uses the custom activation');
    expect(messageOf(() => NeuralNetwork.fromJSON(j, { activations: Object.create({ [name]: (x: MLArray) => x }) as Record<string, never> }))).toContain('uses the custom activation');
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('activation and loss named %j are unknown', (name) => {
    const j = json();
    j.layers[0]!.activation = name;
    expect(messageOf(() => NeuralNetwork.fromJSON(j))).toContain('is unknown');
    const k = json();
    k.loss = name;
    expect(messageOf(() => NeuralNetwork.fromJSON(k))).toContain('unknown loss');
    expect(messageOf(() => new DenseLayer(2, 2, name as 'relu'))).toContain('unknown activation');
    expect(messageOf(() => new NeuralNetwork([new DenseLayer(2, 2)], name as 'mse'))).toContain('NeuralNetwork: unknown loss');
  });

  it('a custom activation passed by its own name loads', () => {
    const j = json();
    const id = (x: MLArray): MLArray => x;
    j.layers[0]!.activation = 'custom:id';
    expect(denseNetwork(NeuralNetwork.fromJSON(j, { activations: { id } })).layers[0]!.activation).toBe(id);
  });
});

describe('messages stay short whatever the input (defect 8)', () => {
  const huge = 'x'.repeat(50_000_000);
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  let deep: unknown = 1;
  for (let i = 0; i < 100_000; i++) deep = { d: deep };
  const hostile: [string, unknown][] = [['a 50 MB string', huge], ['a cyclic object', cyclic], ['a 1e5-deep object', deep]];

  const good = JSON.parse(JSON.stringify(new NeuralNetwork([new DenseLayer(2, 2, 'relu', { seed: 1 })], 'mse', new Adam()))) as Record<string, unknown>;
  const layer = (good.layers as Record<string, unknown>[])[0]!;
  const places: [string, (v: unknown) => unknown][] = [
    ['fromJSON(v)', (v) => NeuralNetwork.fromJSON(v as object)],
    ['fromJSON: format', (v) => NeuralNetwork.fromJSON({ ...good, format: v })],
    ['fromJSON: version', (v) => NeuralNetwork.fromJSON({ ...good, version: v })],
    ['fromJSON: layers', (v) => NeuralNetwork.fromJSON({ ...good, layers: v })],
    ['fromJSON: a layer', (v) => NeuralNetwork.fromJSON({ ...good, layers: [v] })],
    ['fromJSON: layer type', (v) => NeuralNetwork.fromJSON({ ...good, layers: [{ ...layer, type: v }] })],
    ['fromJSON: activation', (v) => NeuralNetwork.fromJSON({ ...good, layers: [{ ...layer, activation: v }] })],
    ['fromJSON: custom activation', (v) => NeuralNetwork.fromJSON({ ...good, layers: [{ ...layer, activation: `custom:${typeof v === 'string' ? v : ''}` }] })],
    ['fromJSON: inputSize', (v) => NeuralNetwork.fromJSON({ ...good, layers: [{ ...layer, inputSize: v }] })],
    ['fromJSON: weights', (v) => NeuralNetwork.fromJSON({ ...good, layers: [{ ...layer, weights: v }] })],
    ['fromJSON: a weight', (v) => NeuralNetwork.fromJSON({ ...good, layers: [{ ...layer, weights: [[v, 0], [0, 0]] }] })],
    ['fromJSON: loss', (v) => NeuralNetwork.fromJSON({ ...good, loss: v })],
    ['fromJSON: optimizer', (v) => NeuralNetwork.fromJSON({ ...good, optimizer: v })],
    ['fromJSON: options', (v) => NeuralNetwork.fromJSON(good, v as never)],
    // (any object is a valid activations table: these give an error through the layer that needs one)
    ['fromJSON: options.activations', (v) => NeuralNetwork.fromJSON({ ...good, layers: [{ ...layer, activation: 'custom:f' }] }, { activations: v as never })],
    ['DenseLayer: inputSize', (v) => new DenseLayer(v as number, 2)],
    ['DenseLayer: activation', (v) => new DenseLayer(2, 2, v as 'relu')],
    ['DenseLayer: options', (v) => new DenseLayer(2, 2, 'relu', v as never)],
    ['DenseLayer: seed', (v) => new DenseLayer(2, 2, 'relu', { seed: v as number })],
    ['NeuralNetwork: layers', (v) => new NeuralNetwork(v as never, 'mse')],
    ['NeuralNetwork: a layer', (v) => new NeuralNetwork([v] as never, 'mse')],
    ['NeuralNetwork: loss', (v) => new NeuralNetwork([new DenseLayer(2, 1)], v as 'mse')],
    ['NeuralNetwork: optimizer', (v) => new NeuralNetwork([new DenseLayer(2, 1)], 'mse', v as never)],
    ['train: options', (v) => new NeuralNetwork([new DenseLayer(2, 1)], 'mse').train([[1, 2]], [[1]], v as never)],
    ['train: an option value', (v) => new NeuralNetwork([new DenseLayer(2, 1)], 'mse').train([[1, 2]], [[1]], { epochs: v as number })],
    ['train: callbacks', (v) => new NeuralNetwork([new DenseLayer(2, 1)], 'mse').train([[1, 2]], [[1]], { callbacks: v as never })],
    ['train: validationData', (v) => new NeuralNetwork([new DenseLayer(2, 1)], 'mse').train([[1, 2]], [[1]], { validationData: v as never })],
    ['train: X', (v) => new NeuralNetwork([new DenseLayer(2, 1)], 'mse').train(v as never, [[1]])],
  ];
  for (const [what, value] of hostile) {
    it.each(places)(`${what} passed to %s gives a short ValueError`, (_place, call) => {
      const m = messageOf(() => call(value));
      expect(m.length).toBeLessThan(600);
    });
  }
});

describe('loading mistakes get messages that say what to do', () => {
  const net = new NeuralNetwork([new DenseLayer(2, 1, 'sigmoid', { seed: 2 })], 'mse', new Adam());
  it('a NeuralNetwork instance', () => {
    expect(messageOf(() => NeuralNetwork.fromJSON(net))).toBe(
      'NeuralNetwork.fromJSON: got a NeuralNetwork instance, not a saved model: to copy a network use NeuralNetwork.fromJSON(net.toJSON()) or NeuralNetwork.fromJSON(JSON.stringify(net))',
    );
  });
  it('another object', () => {
    expect(messageOf(() => NeuralNetwork.fromJSON({ weights: [1] }))).toBe(
      "NeuralNetwork.fromJSON: not a smolml network: format is undefined, expected 'smolml-network'; pass the output of net.toJSON() or its JSON text",
    );
    expect(messageOf(() => NeuralNetwork.fromJSON([net.toJSON()]))).toMatch(/^NeuralNetwork\.fromJSON: expected a saved network \(the output of net\.toJSON\(\) or its JSON text\), got \[object\] \(array\)$/);
  });
  it.each(['model.json', './out/model.json', 'C:\\models\\net.JSON', 'models/xor'])('a file path: %s', (path) => {
    expect(messageOf(() => NeuralNetwork.fromJSON(path))).toMatch(/^NeuralNetwork\.fromJSON: got ".*" \(string\), which looks like a file path, not the model's JSON text: read the file first, e\.g\. NeuralNetwork\.fromJSON\(await readFile\(path, 'utf8'\)\)/);
  });
  it('JSON encoded twice', () => {
    const twice = JSON.stringify(JSON.stringify(net));
    expect(messageOf(() => NeuralNetwork.fromJSON(twice))).toBe(
      'NeuralNetwork.fromJSON: the text is JSON-encoded twice (JSON.stringify of a string that was already JSON): pass JSON.parse(text) instead, or save with JSON.stringify(net) once',
    );
  });
  it('unknown options are refused with a suggestion', () => {
    expect(messageOf(() => NeuralNetwork.fromJSON(JSON.stringify(net), { optimiser: new Adam() } as never))).toBe(
      "NeuralNetwork.fromJSON: unknown option 'optimiser'; did you mean 'optimizer'?; known options: loss, optimizer, activations",
    );
    expect(NeuralNetwork.fromJSON(JSON.stringify(net), null).optimizer).toBeInstanceOf(Adam);
  });
});

describe('models saved before issue 10 still load (test/fixtures/saved-v1.json)', () => {
  interface Saved { model: NetworkJSON; y: number[] | number[][]; predictions: number[][] }
  const fixture = JSON.parse(readFileSync(new URL('./fixtures/saved-v1.json', import.meta.url), 'utf8')) as { X: number[][]; models: Record<string, Saved> };
  const expected: Record<string, [unknown, unknown]> = {
    bceWithLogitsAdam: [binaryCrossEntropyFromLogits, Adam],
    sparseMomentum: [sparseCategoricalCrossEntropyFromLogits, SGDMomentum],
    huberRMSProp: [undefined, RMSProp],
  };
  it.each(Object.keys(expected))('%s: same predictions bit for bit, same loss and optimizer, and it trains on', (name) => {
    const saved = fixture.models[name]!;
    const net = NeuralNetwork.fromJSON(saved.model);
    const [loss, Optim] = expected[name]!;
    if (loss !== undefined) expect(net.lossFunction).toBe(loss);
    else expect(net.lossFunction(MLArray.from([[2, 0]]), MLArray.from([[0, 0]])).item()).toBe(huber(0.5)(MLArray.from([[2, 0]]), MLArray.from([[0, 0]])).item());
    expect(net.optimizer).toBeInstanceOf(Optim as typeof Adam);
    expectBitIdentical(net.predict(fixture.X).data, saved.predictions.flat(), 'predictions');
    const h = net.train(fixture.X, saved.y, { epochs: 2 });
    expect(h.loss.every(Number.isFinite)).toBe(true);
    // saved again, it uses today's names (binaryCrossEntropyWithLogits -> binaryCrossEntropyFromLogits)
    if (name === 'bceWithLogitsAdam') {
      expect(saved.model.loss).toBe('binaryCrossEntropyWithLogits');
      expect(net.toJSON().loss).toBe('binaryCrossEntropyFromLogits');
    }
  });
});
