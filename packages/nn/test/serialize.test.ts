import { describe, expect, it } from 'vitest';
import { MLArray, SmolMLError, ValueError, createRng, type LossFunction, type Optimizer } from '@smolml/core';
import { HeUniform, XavierUniform } from '@smolml/init';
import { categoricalCrossEntropyFromLogits, huber, mseLoss } from '@smolml/losses';
import { AdaGrad, Adam, SGD, SGDMomentum } from '@smolml/optim';
import { type ActivationFunction as Activation, DenseLayer, type DenseLayerJSON, NeuralNetwork, type NetworkJSON, activations } from '../src/index.js';
import { type DenseNetworkJSON, denseNetwork, expectBitIdentical } from './helpers.js';

const rng0 = createRng(123);
const X = MLArray.randn([12, 3], rng0);
const yCls = MLArray.from(Array.from({ length: 12 }, (_, i) => [0, 1, 2].map((k) => (k === i % 3 ? 1 : 0))));

function classifier(optimizer: Optimizer = new Adam({ lr: 0.01 }), seed = 7): NeuralNetwork<DenseLayer> {
  const rng = createRng(seed);
  return new NeuralNetwork(
    [
      new DenseLayer(3, 6, 'relu', new HeUniform(), { rng }),
      new DenseLayer(6, 5, 'tanh', new XavierUniform(), { rng }),
      new DenseLayer(5, 3, 'linear', new XavierUniform(), { rng }),
    ],
    categoricalCrossEntropyFromLogits,
    optimizer,
  );
}

const roundTrip = (net: NeuralNetwork, options = {}): NeuralNetwork<DenseLayer> => denseNetwork(NeuralNetwork.fromJSON(JSON.parse(JSON.stringify(net)) as NetworkJSON, options));

describe('toJSON', () => {
  it('writes the versioned format', () => {
    const net = classifier();
    net.train(X, yCls, { epochs: 2 });
    const json = net.toJSON() as unknown as DenseNetworkJSON;
    expect(json.format).toBe('smolml-network');
    expect(json.version).toBe(2);
    expect(json.inputShape).toEqual([3]);
    expect(json.loss).toBe('categoricalCrossEntropyFromLogits');
    expect(json.layers.map((l) => [l.type, l.inputSize, l.outputSize, l.activation])).toEqual([
      ['dense', 3, 6, 'relu'],
      ['dense', 6, 5, 'tanh'],
      ['dense', 5, 3, 'linear'],
    ]);
    expect(json.layers[0]!.weights).toEqual(net.layers[0]!.weights.toArray());
    expect(json.layers[2]!.biases).toEqual(Array.from(net.layers[2]!.biases.data));
    expect(json.optimizer!.type).toBe('Adam');
    expect(json.optimizer!.state).toHaveLength(6);
    // a plain copy: later training does not change a saved object
    const w = json.layers[0]!.weights[0]![0];
    net.train(X, yCls, { epochs: 1 });
    expect(json.layers[0]!.weights[0]![0]).toBe(w);
  });

  it('refuses NaN or Infinity instead of letting JSON turn them into null', () => {
    const net = classifier();
    net.layers[1]!.weights.data[4] = NaN;
    expect(() => net.toJSON()).toThrow(ValueError);
    expect(() => JSON.stringify(net)).toThrow(/NeuralNetwork\.toJSON: layers\[1\]\.weights\[0\]\[4\] is NaN, which JSON cannot represent/);
    net.layers[1]!.weights.data[4] = 0;
    net.layers[2]!.biases.data[0] = -Infinity;
    expect(() => JSON.stringify(net)).toThrow(/layers\[2\]\.biases\[0\] is -Infinity/);
  });

  it('float64 values round-trip exactly through JSON text', () => {
    const net = classifier();
    const tricky = [1 / 3, 0.1 + 0.2, 5e-324, -2.2250738585072014e-308, 1.7976931348623157e308, Math.PI * 1e-200, -123456789.12345679, 2 ** -1074 * 3];
    net.layers[0]!.weights.data.set(tricky);
    const loaded = denseNetwork(NeuralNetwork.fromJSON(JSON.stringify(net)));
    expectBitIdentical(loaded.layers[0]!.weights.data, net.layers[0]!.weights.data);
  });
});

describe('fromJSON', () => {
  it('restores architecture, activations, loss and optimizer: predictions are bit-identical', () => {
    const net = classifier();
    net.train(X, yCls, { epochs: 5, batchSize: 4, shuffle: true, seed: 1 });
    const text = JSON.stringify(net);
    const loaded = denseNetwork(NeuralNetwork.fromJSON(text));
    expect(loaded.layers.map((l) => l.activationName)).toEqual(['relu', 'tanh', 'linear']);
    expect(loaded.layers.map((l) => l.activation)).toEqual([activations.relu, activations.tanh, activations.linear]);
    expect(loaded.lossFunction).toBe(categoricalCrossEntropyFromLogits);
    expect(loaded.optimizer).toBeInstanceOf(Adam);
    expect((loaded.optimizer as Adam).lr).toBe(0.01);
    expectBitIdentical(loaded.predict(X).data, net.predict(X).data, 'predictions');
    loaded.parameters().forEach((p, i) => {
      expect(p.requiresGrad).toBe(true);
      expect(p.data).not.toBe(net.parameters()[i]!.data);
    });
    expect(JSON.stringify(loaded)).toBe(text);
  });

  it('every built-in activation is restored by name', () => {
    const layers = Object.keys(activations).map((name) => new DenseLayer(4, 4, name as keyof typeof activations, new XavierUniform({ seed: 3 })));
    const net = new NeuralNetwork(layers, mseLoss);
    const loaded = roundTrip(net);
    loaded.layers.forEach((l, i) => expect(l.activation).toBe(layers[i]!.activation));
    const x = MLArray.randn([3, 4], createRng(1));
    expectBitIdentical(loaded.predict(x).data, net.predict(x).data);
  });

  it('restores huber(delta) and SGD/SGDMomentum/AdaGrad hyperparameters', () => {
    const net = new NeuralNetwork([new DenseLayer(3, 2, 'linear', new XavierUniform({ seed: 1 }))], huber(0.7), new SGDMomentum({ lr: 0.02, momentum: 0.8, nesterov: true }));
    net.train(X, MLArray.randn([12, 2], createRng(2)), { epochs: 3 });
    const loaded = roundTrip(net);
    expect(net.toJSON().loss).toBe('huber(0.7)');
    const yp = MLArray.from([[1, 2]]);
    const yt = MLArray.from([[0, 3.5]]);
    expect(loaded.lossFunction(yp, yt).item()).toBe(huber(0.7)(yp, yt).item());
    expect(loaded.optimizer).toBeInstanceOf(SGDMomentum);
    expect(loaded.toJSON().optimizer).toEqual(net.toJSON().optimizer);
    for (const opt of [new SGD({ lr: 0.3 }), new AdaGrad({ lr: 0.1, eps: 1e-6 })]) {
      const n = classifier(opt);
      n.train(X, yCls, { epochs: 2 });
      expect(roundTrip(n).toJSON()).toEqual(n.toJSON());
    }
  });

  it('resumed training (save mid-run, load, continue) follows the uninterrupted trajectory exactly (Adam)', () => {
    const opts = { batchSize: 5 }; // 3 batches per epoch, the last one smaller
    const straight = classifier(new Adam({ lr: 0.02 }));
    const full = straight.train(X, yCls, { ...opts, epochs: 12 });

    const first = classifier(new Adam({ lr: 0.02 }));
    const h1 = first.train(X, yCls, { ...opts, epochs: 5 });
    const saved = JSON.stringify(first);
    first.train(X, yCls, { ...opts, epochs: 1 }); // the original moves on; the saved copy must not
    const resumed = NeuralNetwork.fromJSON(saved);
    const h2 = resumed.train(X, yCls, { ...opts, epochs: 7 });

    expectBitIdentical([...h1.loss, ...h2.loss], full.loss, 'loss history');
    resumed.parameters().forEach((p, i) => expectBitIdentical(p.data, straight.parameters()[i]!.data, `param ${i}`));
    // without the optimizer state the trajectory differs (so the test above can fail)
    const fresh = NeuralNetwork.fromJSON(saved, { optimizer: new Adam({ lr: 0.02 }) });
    const firstBatch: number[] = [];
    const h3 = fresh.train(X, yCls, { ...opts, epochs: 7, callbacks: { onBatchEnd: (step, l) => void (step === 0 && firstBatch.push(l.loss)) } });
    expect(firstBatch[0]).toBe(NeuralNetwork.fromJSON(saved).evaluate(X.take([0, 1, 2, 3, 4]), yCls.take([0, 1, 2, 3, 4])).loss);
    expect(h3.loss[0]).not.toBe(h2.loss[0]);
    expect(fresh.parameters()[0]!.data).not.toEqual(resumed.parameters()[0]!.data);
  });

  it('a custom loss, activation or optimizer is named in the JSON and must be passed to fromJSON', () => {
    const myLoss: LossFunction = (p, t) => p.sub(t).pow(4).mean();
    const swish: Activation = (x) => x.mul(x.sigmoid());
    const custom: Optimizer = { step: () => undefined, zeroGrad: (ps) => ps.forEach((p) => p.zeroGrad()) };
    const net = new NeuralNetwork([new DenseLayer(3, 4, swish, new XavierUniform({ seed: 2 })), new DenseLayer(4, 1)], myLoss, custom);
    const json = JSON.parse(JSON.stringify(net)) as DenseNetworkJSON;
    expect(json.loss).toBe('custom:myLoss');
    expect(json.layers[0]!.activation).toBe('custom:swish');
    expect(json.optimizer).toBeNull();
    expect(() => NeuralNetwork.fromJSON(json)).toThrow("the model was saved with the custom loss 'myLoss'; pass it");
    expect(() => NeuralNetwork.fromJSON(json, { loss: myLoss })).toThrow("layers[0].activation uses the custom activation 'swish'; pass it: NeuralNetwork.fromJSON(json, { activations: { swish } })");
    expect(() => NeuralNetwork.fromJSON(json, { activations: { swish }, loss: myLoss })).toThrow(/saved without optimizer state/);
    const loaded = denseNetwork(NeuralNetwork.fromJSON(json, { activations: { swish }, loss: myLoss, optimizer: new SGD() }));
    expect(loaded.lossFunction).toBe(myLoss);
    expect(loaded.layers[0]!.activation).toBe(swish);
    expectBitIdentical(loaded.predict(X).data, net.predict(X).data);
  });

  it('toJSON({ optimizer: false }) leaves the optimizer out', () => {
    const net = classifier();
    net.train(X, yCls, { epochs: 1 });
    const json = net.toJSON({ optimizer: false });
    expect(json.optimizer).toBeNull();
    expect(NeuralNetwork.fromJSON(json, { optimizer: new SGD() }).optimizer).toBeInstanceOf(SGD);
  });
});

describe('fromJSON rejects malformed input with a clear error, never a half-loaded model', () => {
  const net = classifier();
  net.train(X, yCls, { epochs: 2 });
  const text = JSON.stringify(net);
  const good = (): DenseNetworkJSON => JSON.parse(text) as DenseNetworkJSON;

  const cases: [string, (j: DenseNetworkJSON) => unknown, RegExp][] = [
    ['wrong format', (j) => ({ ...j, format: 'keras' }), /not a smolml network: format is "keras"/],
    ['newer version', (j) => ({ ...j, version: 3 }), /unsupported version 3; this @smolml\/nn reads versions 1 and 2/],
    ['missing version', (j) => ({ ...j, version: undefined }), /unsupported version undefined/],
    ['no layers', (j) => ({ ...j, layers: [] }), /layers must be a non-empty array/],
    ['unknown layer type', (j) => (j.layers[1]!.type = 'conv3d' as 'dense', j), /layers\[1\]\.type "conv3d" \(string\) is not a known layer type; did you mean 'conv2d'\? \(built-in: dense, conv2d, .*\); a custom layer must be registered before loading: registerLayer\('conv3d', fromJSON\)/],
    ['inherited layer type', (j) => (j.layers[1]!.type = 'constructor' as 'dense', j), /layers\[1\]\.type "constructor" \(string\) is not a known layer type/],
    ['bad size', (j) => (j.layers[0]!.inputSize = 2.5, j), /NeuralNetwork\.fromJSON: layers\[0\]\.inputSize must be an integer >= 1, got 2.5/],
    ['unknown activation', (j) => (j.layers[2]!.activation = 'swish', j), /layers\[2\]\.activation "swish" \(string\) is unknown; valid names are: linear, relu/],
    ['misspelt activation', (j) => (j.layers[2]!.activation = 'Tanh', j), /layers\[2\]\.activation "Tanh" \(string\) is unknown; did you mean 'tanh'\?/],
    ['missing weight row', (j) => (j.layers[0]!.weights.pop(), j), /layers\[0\]\.weights must be an array of 3 rows \(inputSize\), got 2 rows/],
    ['short weight row', (j) => (j.layers[1]!.weights[2]!.pop(), j), /layers\[1\]\.weights\[2\] has 4 numbers, expected 5/],
    ['null weight (a NaN written by JSON.stringify)', (j) => ((j.layers[1]!.weights[0] as unknown[])[3] = null, j), /layers\[1\]\.weights\[0\]\[3\] must be a finite number, got null/],
    ['string weight', (j) => ((j.layers[0]!.weights[0] as unknown[])[0] = '0.5', j), /must be a finite number, got "0.5"/],
    ['missing biases', (j) => (delete (j.layers[2] as Partial<DenseLayerJSON>).biases, j), /layers\[2\]\.biases must be an array of 3 numbers, got undefined/],
    ['sizes do not chain', (j) => {
      j.layers[1]!.inputSize = 5;
      j.layers[1]!.weights.pop();
      return j;
    }, /the saved layers do not fit together: NeuralNetwork\.fromJSON: layer 0 outputs 6 features but layer 1 expects 5 inputs/],
    ['unknown loss', (j) => ({ ...j, loss: 'focalLoss' }), /loss: .*focalLoss/],
    ['loss not a string', (j) => ({ ...j, loss: 3 }), /loss must be a loss name, got 3/],
    ['optimizer not an object', (j) => ({ ...j, optimizer: 'Adam' }), /optimizer must be an object \{ type, config, state \} or null/],
    ['unknown optimizer', (j) => (j.optimizer!.type = 'Lion', j), /optimizer: .*unknown optimizer type "Lion"/],
    ['optimizer config without lr', (j) => (delete (j.optimizer!.config as Partial<Record<string, unknown>>).lr, j), /optimizer: .*config lacks lr/],
    ['optimizer state for other shapes', (j) => ((j.optimizer!.state[0]!.buffers.m as number[]).pop(), j), /optimizer: .*must be an array of 18 numbers/],
    ['optimizer state of another count', (j) => (j.optimizer!.state.pop(), j), /optimizer: .*5 parameter entries for 6 parameters/],
    ['not an object', () => 42, /expected a saved network \(the output of net\.toJSON\(\) or its JSON text\), got 42$/],
    ['null', () => null, /expected a saved network \(the output of net\.toJSON\(\) or its JSON text\), got null$/],
  ];
  for (const [name, corrupt, message] of cases) {
    it(name, () => {
      const bad = corrupt(good());
      expect(() => NeuralNetwork.fromJSON(bad as NetworkJSON)).toThrow(ValueError);
      expect(() => NeuralNetwork.fromJSON(bad as NetworkJSON)).toThrow(message);
    });
  }

  it('truncated or corrupted text: a clear error at every cut', () => {
    expect(() => NeuralNetwork.fromJSON(text.slice(0, text.length / 2))).toThrow(/not valid JSON \(truncated or corrupted\?\)/);
    for (let cut = 0; cut < text.length; cut += Math.ceil(text.length / 97)) {
      let error: unknown;
      try {
        NeuralNetwork.fromJSON(text.slice(0, cut));
      } catch (e) {
        error = e;
      }
      expect(error, `cut at ${cut}`).toBeInstanceOf(ValueError);
    }
  });

  it('every missing field gives a SmolMLError, never a TypeError', () => {
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, path: (string | number)[]): void => {
      if (path.length > 0) paths.push(path);
      if (path.length >= 4) return; // deep enough: rows of weights, optimizer state entries
      if (Array.isArray(v)) v.slice(0, 2).forEach((x, i) => walk(x, [...path, i]));
      else if (v !== null && typeof v === 'object') Object.entries(v).forEach(([k, x]) => walk(x, [...path, k]));
    };
    walk(good(), []);
    expect(paths.length).toBeGreaterThan(30);
    for (const path of paths) {
      // an optimizer-state entry without `shape` is the earlier format, which still loads (sizes checked)
      if (path[0] === 'optimizer' && path.at(-1) === 'shape') continue;
      const j = good() as unknown as Record<string | number, unknown>;
      let parent = j;
      for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
      const last = path.at(-1)!;
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
      let error: unknown;
      try {
        NeuralNetwork.fromJSON(j);
      } catch (e) {
        error = e;
      }
      // a removed optimizer-state entry of a parameter without state, or a removed array entry that
      // still leaves a valid model, cannot happen here: every field is needed
      expect(error, `without ${path.join('.')}`).toBeInstanceOf(SmolMLError);
    }
  });
});
