/** The smolml side of every workload (backend "js" or the opt-in WASM SIMD backend, 1 or 2 threads, float64 or float32). */
import { MLArray, getBackend, noGrad, setBackend } from '@smolml/core';
import { type WasmBackend, createWasmBackend } from '@smolml/wasm';
import { XOR, accuracy, head, loadMnist } from './data.js';
import { buildCnn, buildExampleCnn } from './smolml-cnn.js';
import { buildModel } from './smolml-nn.js';
import type { ModelSpec } from './smolml-model.js';
import {
  type Bench, type ImplSpec, type MemoryResult, type WorkloadId,
  CNN, CNN_EPOCH, GEMM_N, GEMM_PER_REP, MEMORY_STEPS, MNIST_BATCH, WIDE, XOR_EPOCHS, heapSnapshot, timed,
} from './workloads.js';

const XOR_SPEC: ModelSpec = {
  sizes: [2, 16, 1], activations: ['relu', 'tanh'], loss: 'mse', optimizer: { name: 'adagrad', lr: 0.1 }, seed: 1,
};

function xorData(): [MLArray, MLArray] {
  return [new MLArray(XOR.x.slice(), [4, 2]), new MLArray(XOR.y.slice(), [4, 1])];
}

export async function smolmlBench(workload: WorkloadId, impl: ImplSpec): Promise<Bench> {
  let wasm: WasmBackend | undefined;
  if (impl.backend === 'wasm') setBackend((wasm = await createWasmBackend({ threads: impl.threads, precision: impl.precision, fma: impl.fma === true })));
  // a case named fma that fell back would report the separate multiply-add kernels under its name
  if (impl.fma && !wasm?.fma) throw new Error(`smolml bench: ${impl.label} needs fused multiply-adds: ${wasm?.fmaNote ?? 'not the wasm backend'}`);
  const info: Record<string, string | number> = { backend: getBackend().name, dtype: wasm?.precision ?? 'float64', threads: wasm?.threads ?? 1 };
  if (wasm?.fma) info.fma = 'fused multiply-adds (relaxed SIMD)';
  if (wasm?.threadsNote) info.note = wasm.threadsNote;
  return { ...(await smolmlWorkload(workload, info, wasm)), dispose: () => wasm?.dispose() };
}

async function smolmlWorkload(workload: WorkloadId, info: Record<string, string | number>, wasm: WasmBackend | undefined): Promise<Bench> {
  switch (workload) {
    case 'w1-xor': {
      const [x, y] = xorData();
      return {
        info: { ...info, api: buildModel(XOR_SPEC).api },
        async rep() {
          const model = buildModel(XOR_SPEC);
          let loss = 0;
          const seconds = await timed(() => (loss = model.train(x, y, XOR_EPOCHS, 4)));
          return { seconds, extra: { loss } };
        },
      };
    }
    case 'w2-mnist-mlp': {
      const { train, test } = await loadMnist();
      const x = new MLArray(train.x, [train.rows, 784]);
      const y = new MLArray(train.y, [train.rows, 10]);
      const xTest = new MLArray(test.x, [test.rows, 784]);
      const spec: ModelSpec = {
        sizes: [784, 128, 10], activations: ['relu', 'softmax'], loss: 'categoricalCrossEntropy', optimizer: { name: 'adam', lr: 1e-3 }, seed: 2,
      };
      let rep = 0;
      return {
        info: { ...info, api: buildModel(spec).api },
        async rep() {
          const model = buildModel({ ...spec, seed: spec.seed + rep++ });
          let loss = 0;
          const seconds = await timed(() => (loss = model.train(x, y, 1, MNIST_BATCH)));
          const acc = accuracy(model.predict(xTest).data, test.labels, 10);
          return { seconds, extra: { loss, accuracy: acc } };
        },
      };
    }
    case 'w3-wide-mlp': {
      const d = head((await loadMnist()).train, WIDE.batch * WIDE.steps);
      const x = new MLArray(d.x.slice(), [d.rows, 784]);
      const y = new MLArray(d.y.slice(), [d.rows, 10]);
      const spec: ModelSpec = {
        sizes: [...WIDE.sizes], activations: ['relu', 'relu', 'softmax'], loss: 'categoricalCrossEntropy', optimizer: { name: 'sgd', lr: WIDE.lr }, seed: 3,
      };
      return {
        info: { ...info, api: buildModel(spec).api },
        async rep() {
          const model = buildModel(spec);
          let loss = 0;
          const seconds = await timed(() => (loss = model.train(x, y, 1, WIDE.batch)));
          return { seconds, extra: { loss } };
        },
      };
    }
    case 'w4-gemm': {
      const n = GEMM_N;
      // The operands live where the backend computes, as TF.js's tensors live in its WebAssembly
      // heap: arrays of the WASM backend's allocate() (in its memory, read in place; an ordinary
      // array where the memory is not shared), ordinary arrays for the TypeScript backend.
      const operand = (f: (i: number) => number) => {
        const data = wasm ? wasm.allocate(n * n) : new Float64Array(n * n);
        for (let i = 0; i < data.length; i++) data[i] = f(i);
        return new MLArray(data, [n, n]);
      };
      const a = operand(Math.sin);
      const b = operand(Math.cos);
      return {
        info: { ...info, api: wasm ? 'MLArray.matmul (noGrad), operands from backend.allocate' : 'MLArray.matmul (noGrad)' },
        async rep() {
          let c: MLArray | null = null;
          const seconds = await timed(() => {
            for (let i = 0; i < GEMM_PER_REP; i++) c = noGrad(() => a.matmul(b));
          });
          return { seconds, extra: { checksum: c!.data[12345]! } };
        },
      };
    }
    case 'w5-cnn': {
      const { train, test } = await loadMnist();
      const d = head(train, CNN.train);
      const x = new MLArray(d.x.slice(), [d.rows, 1, 28, 28]);
      const y = new MLArray(d.y.slice(), [d.rows, 10]);
      const xTest = new MLArray(test.x, [test.rows, 1, 28, 28]);
      let rep = 0;
      return {
        info: { ...info, api: buildCnn(5, CNN.lr).api },
        async rep() {
          const model = buildCnn(5 + rep++, CNN.lr);
          let loss = 0;
          const seconds = await timed(() => (loss = model.train(x, y, 1, CNN.batch)));
          const acc = accuracy(model.predict(xTest).data, test.labels, 10);
          return { seconds, extra: { loss, accuracy: acc, samples: CNN.train } };
        },
      };
    }
    case 'cnn-epoch': {
      // examples/mnist-cnn trains on 7,200 of its 8,000 digits and validates on 800 each epoch;
      // this trains on all 8,000 (shuffled, as the example's fit does), a little more work.
      const { train } = await loadMnist();
      const x = new MLArray(train.x, [train.rows, 1, 28, 28]);
      const y = new MLArray(train.y, [train.rows, 10]);
      const batches = Math.ceil(CNN_EPOCH.train / CNN_EPOCH.batch);
      const epoch = (model: ReturnType<typeof buildExampleCnn>, xs: MLArray, ys: MLArray) =>
        model.train(xs, ys, { epochs: 1, batchSize: CNN_EPOCH.batch, shuffle: true, seed: 1 }).loss.at(-1)!;
      return {
        info: { ...info, api: 'the examples/mnist-cnn network, NeuralNetwork.train (1 epoch, shuffled)', warmUp: `${CNN_EPOCH.warmUpBatches} batches` },
        async warmUp() {
          const n = CNN_EPOCH.warmUpBatches * CNN_EPOCH.batch;
          const model = buildExampleCnn(1, CNN_EPOCH.lr, batches);
          const seconds = await timed(() => epoch(model, new MLArray(train.x.subarray(0, n * 784), [n, 1, 28, 28]), new MLArray(train.y.subarray(0, n * 10), [n, 10])));
          return { seconds };
        },
        async rep() {
          const model = buildExampleCnn(1, CNN_EPOCH.lr, batches);
          let loss = 0;
          const seconds = await timed(() => (loss = epoch(model, x, y)));
          return { seconds, extra: { loss, samples: train.rows } };
        },
      };
    }
    case 'memory':
      throw new Error('use smolmlMemory');
    case 'pairs':
      throw new Error('use pairedRatios (paired.ts)');
  }
}

/** Heap after MEMORY_STEPS.early and .late W1 steps: no dispose, no tidy in user code. */
export async function smolmlMemory(): Promise<MemoryResult> {
  const [x, y] = xorData();
  const model = buildModel(XOR_SPEC);
  model.train(x, y, MEMORY_STEPS.early, 4);
  const early = heapSnapshot();
  const seconds = await timed(() => model.train(x, y, MEMORY_STEPS.late - MEMORY_STEPS.early, 4));
  const late = heapSnapshot();
  model.train(x, y, MEMORY_STEPS.plateau - MEMORY_STEPS.late, 4);
  const plateau = heapSnapshot();
  return { early, late, plateau, seconds, info: { api: model.api } };
}
