/**
 * The TF.js 4.22 side of every workload, on the `cpu` or `wasm` backend (1 thread), through
 * its high-level API (tf.sequential + model.fit), as a user would write it.
 */
import * as tf from '@tensorflow/tfjs';
import { XOR, accuracy, head, loadMnist, type Dataset } from './data.js';
import { checkWasmConvFilterGrad, cnnModel, imageTensors, registerWasmConvFilterGrad } from './tfjs-cnn.js';
import {
  type Bench, type MemoryResult, type WorkloadId,
  CNN, GEMM_N, GEMM_PER_REP, MEMORY_STEPS, MNIST_BATCH, WIDE, XOR_EPOCHS, heapSnapshot, timed,
} from './workloads.js';

export async function initTf(backend: 'cpu' | 'wasm'): Promise<Record<string, string | number | boolean>> {
  const wasm = backend === 'wasm' ? await import('@tensorflow/tfjs-backend-wasm') : null;
  wasm?.setThreadsCount(1);
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend ${backend} failed to initialise`);
  await tf.ready();
  const info: Record<string, string | number | boolean> = { backend: tf.getBackend(), dtype: 'float32', version: tf.version.tfjs };
  if (wasm) {
    info.simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
    info.threads = wasm.getThreadsCount();
  }
  return info;
}

function mlp(sizes: number[], activations: ('relu' | 'tanh' | 'softmax')[]): tf.Sequential {
  return tf.sequential({
    layers: activations.map((activation, i) =>
      tf.layers.dense({ units: sizes[i + 1]!, activation, ...(i === 0 ? { inputShape: [sizes[0]!] } : {}) })),
  });
}

function tensors(d: Dataset): [tf.Tensor2D, tf.Tensor2D] {
  return [tf.tensor2d(Float32Array.from(d.x), [d.rows, d.features]), tf.tensor2d(Float32Array.from(d.y), [d.rows, d.classes])];
}

function xorModel(): tf.Sequential {
  const model = mlp([2, 16, 1], ['relu', 'tanh']);
  model.compile({ optimizer: tf.train.adagrad(0.1), loss: 'meanSquaredError' });
  return model;
}

export async function tfjsBench(workload: WorkloadId, info: Record<string, string | number | boolean>): Promise<Bench> {
  switch (workload) {
    case 'w1-xor': {
      const [x, y] = tensors(XOR);
      return {
        info: { ...info, api: 'model.fit' },
        async rep() {
          const model = xorModel();
          let loss = 0;
          const seconds = await timed(async () => {
            const h = await model.fit(x, y, { epochs: XOR_EPOCHS, batchSize: 4, shuffle: false, verbose: 0 });
            loss = h.history.loss!.at(-1) as number;
          });
          model.dispose();
          return { seconds, extra: { loss } };
        },
      };
    }
    case 'w2-mnist-mlp': {
      const { train, test } = await loadMnist();
      const [x, y] = tensors(train);
      const [xTest] = tensors(test);
      return {
        info: { ...info, api: 'model.fit' },
        async rep() {
          const model = mlp([784, 128, 10], ['relu', 'softmax']);
          model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
          let loss = 0;
          const seconds = await timed(async () => {
            const h = await model.fit(x, y, { epochs: 1, batchSize: MNIST_BATCH, shuffle: false, verbose: 0 });
            loss = h.history.loss!.at(-1) as number;
          });
          const scores = tf.tidy(() => (model.predict(xTest) as tf.Tensor).dataSync());
          model.dispose();
          return { seconds, extra: { loss, accuracy: accuracy(scores, test.labels, 10) } };
        },
      };
    }
    case 'w3-wide-mlp': {
      const [x, y] = tensors(head((await loadMnist()).train, WIDE.batch * WIDE.steps));
      return {
        info: { ...info, api: 'model.fit' },
        async rep() {
          const model = mlp([...WIDE.sizes], ['relu', 'relu', 'softmax']);
          model.compile({ optimizer: tf.train.sgd(WIDE.lr), loss: 'categoricalCrossentropy' });
          let loss = 0;
          const seconds = await timed(async () => {
            const h = await model.fit(x, y, { epochs: 1, batchSize: WIDE.batch, shuffle: false, verbose: 0 });
            loss = h.history.loss!.at(-1) as number;
          });
          model.dispose();
          return { seconds, extra: { loss } };
        },
      };
    }
    case 'w4-gemm': {
      const n = GEMM_N;
      const a = tf.tensor2d(Float32Array.from({ length: n * n }, (_, i) => Math.sin(i)), [n, n]);
      const b = tf.tensor2d(Float32Array.from({ length: n * n }, (_, i) => Math.cos(i)), [n, n]);
      return {
        info: { ...info, api: 'tf.matMul + dataSync' },
        async rep() {
          let checksum = 0;
          const seconds = await timed(() => {
            for (let i = 0; i < GEMM_PER_REP; i++) {
              const c = tf.matMul(a, b);
              checksum = c.dataSync()[12345]!;
              c.dispose();
            }
          });
          return { seconds, extra: { checksum } };
        },
      };
    }
    case 'w5-cnn': {
      if (info.backend === 'wasm') {
        registerWasmConvFilterGrad();
        checkWasmConvFilterGrad();
      }
      const { train, test } = await loadMnist();
      // TF.js cpu trains at a few samples/s here: time it on the first few batches only
      const samples = info.backend === 'cpu' ? CNN.tfjsCpuSamples : CNN.train;
      const [x, y] = imageTensors(head(train, samples));
      const [xTest] = imageTensors(test);
      return {
        info: { ...info, api: 'model.fit', samples, ...(info.backend === 'wasm' ? { Conv2DBackpropFilter: 'registered by the benchmark (Transpose + Conv2D)' } : {}) },
        async rep() {
          const model = cnnModel(CNN.lr);
          let loss = 0;
          const seconds = await timed(async () => {
            const h = await model.fit(x, y, { epochs: 1, batchSize: CNN.batch, shuffle: false, verbose: 0 });
            loss = h.history.loss!.at(-1) as number;
          });
          const extra: Record<string, number> = { loss, samples };
          if (samples === CNN.train) extra.accuracy = accuracy(tf.tidy(() => (model.predict(xTest) as tf.Tensor).dataSync()), test.labels, 10);
          model.dispose();
          return { seconds, extra };
        },
      };
    }
    case 'cnn-epoch':
      throw new Error('cnn-epoch times the smolml example only');
    case 'memory':
      throw new Error('use tfjsMemory');
    case 'pairs':
      throw new Error('pairs interleave smolml cases only');
  }
}

/**
 * The same W1 steps written with TF.js's low-level API, which needs tf.tidy (and the
 * optimizer's own bookkeeping) to keep memory flat.
 */
export async function tfjsMemory(): Promise<MemoryResult> {
  const [x, y] = tensors(XOR);
  const model = mlp([2, 16, 1], ['relu', 'tanh']);
  const optimizer = tf.train.adagrad(0.1);
  const step = () => tf.tidy(() => {
    optimizer.minimize(() => tf.losses.meanSquaredError(y, model.apply(x) as tf.Tensor) as tf.Scalar);
  });
  for (let i = 0; i < MEMORY_STEPS.early; i++) step();
  const early = { ...heapSnapshot(), tensors: tf.memory().numTensors };
  const seconds = await timed(() => {
    for (let i = MEMORY_STEPS.early; i < MEMORY_STEPS.late; i++) step();
  });
  const late = { ...heapSnapshot(), tensors: tf.memory().numTensors };
  for (let i = MEMORY_STEPS.late; i < MEMORY_STEPS.plateau; i++) step();
  const plateau = { ...heapSnapshot(), tensors: tf.memory().numTensors };
  return { early, late, plateau, seconds, info: { api: 'optimizer.minimize inside tf.tidy' } };
}
