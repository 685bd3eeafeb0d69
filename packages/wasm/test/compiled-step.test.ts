/**
 * Core's compiled training step on this backend, on one thread and on two: compiled while the
 * backend is set, it keeps its buffers in the backend's shared memory (allocate()), so its
 * products read and write them in place, and it still gives the loss and gradients of the eager
 * step on core's TypeScript kernels, bit for bit.
 */
import { afterAll, expect, it } from 'vitest';
import { MLArray, createRng, getBackend, jsBackend, setBackend } from '@smolml/core';
import { compileStep, trace } from '@smolml/core/internal';
import { createWasmBackend } from '../src/index.js';
import { expectSameBits } from './helpers.js';

const backends = { 'one thread': await createWasmBackend(), 'two threads': await createWasmBackend({ threads: 2 }) };
afterAll(() => Object.values(backends).forEach((b) => b.dispose()));
const shared = typeof SharedArrayBuffer === 'function'; // always in Node

for (const [name, backend] of Object.entries(backends)) it(`${name}: a compiled step keeps its buffers in shared memory and gives the eager bits on the TS kernels`, () => {
  const rng = createRng(5);
  const param = (shape: number[]) => MLArray.from(MLArray.randn(shape, rng).mul(0.1).data, { shape, requiresGrad: true });
  const params = [param([200, 128]), param([1, 128]), param([128, 10]), param([1, 10])];
  const batch = () => MLArray.randn([64, 200], rng);
  const targets = MLArray.randn([64, 10], rng);
  // big enough for both threads: 64 x 128 x 200 multiply-adds
  const loss = (x: MLArray) => {
    const [w1, b1, w2, b2] = params as [MLArray, MLArray, MLArray, MLArray];
    return x.matmul(w1).add(b1).relu().matmul(w2).add(b2).sub(targets).pow(2).mean();
  };
  const before = getBackend();
  try {
    setBackend(backend);
    const x0 = batch();
    const { result, ops } = trace(() => loss(x0));
    const step = compileStep({ ops, loss: result, inputs: [x0], params });
    if ('reason' in step) throw new Error(step.reason);
    if (shared) expect(step.inputs[0]!.buffer).toBeInstanceOf(SharedArrayBuffer);
    for (let k = 0; k < 3; k++) {
      const x = batch();
      setBackend(jsBackend);
      for (const p of params) p.zeroGrad();
      const eager = loss(x);
      eager.backward();
      setBackend(backend);
      step.inputs[0]!.set(x.data);
      expectSameBits(Float64Array.of(step.forward()), eager.data, `loss ${k}`);
      const grads = step.backward();
      params.forEach((p, i) => {
        // (arrays under 4 KiB, such as the biases', are ordinary ones)
        if (shared && p.size >= 512) expect(grads[i]!.buffer, `gradient ${i} in shared memory`).toBeInstanceOf(SharedArrayBuffer);
        expectSameBits(grads[i]!, p.grad!.data, `gradient ${i}, batch ${k}`);
      });
      for (const p of params) for (let i = 0; i < p.size; i++) p.data[i] = p.data[i]! * 0.9; // an update, in place
    }
  } finally {
    setBackend(before);
  }
});
