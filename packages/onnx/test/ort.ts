/**
 * ONNX Runtime for the tests: onnxruntime-web's WebAssembly build, which runs under Node (its
 * package.json sends Node to dist/ort.node.min.mjs, which finds its .wasm next to itself).
 * One thread: no worker threads in test processes, and the same numbers on every machine.
 */
import { MLArray } from '@smolml/core';
import * as ort from 'onnxruntime-web';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

/** Runs `bytes` on `x` in ONNX Runtime and returns the output as a float64 MLArray. */
export async function runOnnx(bytes: Uint8Array, x: MLArray, dtype: 'float32' | 'float64' = 'float32'): Promise<MLArray> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const data = dtype === 'float32' ? Float32Array.from(x.data) : Float64Array.from(x.data);
    const result = await session.run({ input: new ort.Tensor(dtype, data, [...x.shape]) });
    const out = result.output;
    if (out === undefined) throw new Error('the model has no output named "output"');
    return new MLArray(Float64Array.from(out.data as Float32Array | Float64Array), out.dims);
  } finally {
    await session.release();
  }
}

export { ort };
