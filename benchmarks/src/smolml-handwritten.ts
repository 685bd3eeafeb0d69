/**
 * A small MLP trainer written directly on @smolml/core's MLArray ops: the same work as
 * @smolml/nn's DenseLayer + NeuralNetwork.train (forward, loss, backward, update, zero
 * gradients), used while that package is not available.
 */
import { MLArray, createRng, noGrad } from '@smolml/core';
import type { ModelSpec, SmolModel } from './smolml-model.js';

type Act = ModelSpec['activations'][number];

function activate(x: MLArray, act: Act): MLArray {
  switch (act) {
    case 'relu': return x.relu();
    case 'tanh': return x.tanh();
    case 'softmax': return x.softmax(-1);
    case 'linear': return x;
  }
}

/** Glorot/Xavier uniform, as the default initializers of @smolml/nn and TF.js. */
function xavierUniform(fanIn: number, fanOut: number, uniform: () => number): MLArray {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const w = MLArray.zeros([fanIn, fanOut], { requiresGrad: true });
  for (let i = 0; i < w.data.length; i++) w.data[i] = (uniform() * 2 - 1) * limit;
  return w;
}

type Update = (params: MLArray[]) => void;

function makeOptimizer(spec: ModelSpec['optimizer']): Update {
  const state = new Map<MLArray, Float64Array[]>();
  const slots = (p: MLArray, n: number): Float64Array[] => {
    let s = state.get(p);
    if (!s) state.set(p, (s = Array.from({ length: n }, () => new Float64Array(p.size))));
    return s;
  };
  const { lr } = spec;
  let t = 0;
  switch (spec.name) {
    case 'sgd':
      return (params) => {
        for (const p of params) {
          const g = p.grad!.data, d = p.data;
          for (let i = 0; i < d.length; i++) d[i]! -= lr * g[i]!;
        }
      };
    case 'adagrad':
      return (params) => {
        for (const p of params) {
          const g = p.grad!.data, d = p.data, [sum] = slots(p, 1) as [Float64Array];
          for (let i = 0; i < d.length; i++) {
            sum[i]! += g[i]! * g[i]!;
            d[i]! -= (lr * g[i]!) / (Math.sqrt(sum[i]!) + 1e-8);
          }
        }
      };
    case 'adam':
      return (params) => {
        t++;
        const c1 = 1 - 0.9 ** t, c2 = 1 - 0.999 ** t;
        for (const p of params) {
          const g = p.grad!.data, d = p.data, [m, v] = slots(p, 2) as [Float64Array, Float64Array];
          for (let i = 0; i < d.length; i++) {
            m[i] = 0.9 * m[i]! + 0.1 * g[i]!;
            v[i] = 0.999 * v[i]! + 0.001 * g[i]! * g[i]!;
            d[i]! -= (lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + 1e-8);
          }
        }
      };
  }
}

export function buildHandwritten(spec: ModelSpec): SmolModel {
  const rng = createRng(spec.seed);
  const layers = spec.activations.map((act, i) => ({
    w: xavierUniform(spec.sizes[i]!, spec.sizes[i + 1]!, () => rng.uniform()),
    b: MLArray.zeros([1, spec.sizes[i + 1]!], { requiresGrad: true }),
    act,
  }));
  const params = layers.flatMap((l) => [l.w, l.b]);
  const update = makeOptimizer(spec.optimizer);
  const forward = (x: MLArray): MLArray => layers.reduce((h, l) => activate(h.matmul(l.w).add(l.b), l.act), x);
  const loss = (p: MLArray, y: MLArray): MLArray =>
    spec.loss === 'mse'
      ? p.sub(y).pow(2).mean()
      : y.mul(p.clip(1e-15, Infinity).log()).sum(1).mean().neg(); // categorical CE on probabilities

  return {
    api: 'hand-written loop on @smolml/core MLArray ops',
    train(x, y, epochs, batchSize) {
      const rows = x.shape[0]!;
      let total = 0;
      for (let epoch = 0; epoch < epochs; epoch++) {
        total = 0;
        for (let start = 0; start < rows; start += batchSize) {
          const end = Math.min(rows, start + batchSize);
          const xb = end - start === rows ? x : rowsOf(x, start, end);
          const yb = end - start === rows ? y : rowsOf(y, start, end);
          const l = loss(forward(xb), yb);
          total += l.item() * (end - start);
          l.backward();
          update(params);
          for (const p of params) p.zeroGrad();
        }
      }
      return total / rows;
    },
    predict: (x) => noGrad(() => forward(x)),
  };
}

function rowsOf(x: MLArray, start: number, end: number): MLArray {
  const cols = x.shape[1]!;
  return new MLArray(x.data.slice(start * cols, end * cols), [end - start, cols]);
}
