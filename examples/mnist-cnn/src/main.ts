/**
 * `pnpm --filter @smolml/example-mnist-cnn start`: trains the CNN on MNIST with the matrix
 * products on @smolml/wasm (WebAssembly SIMD), then reloads the saved model to show it predicts
 * identically. `--backend js` keeps the pure TypeScript kernels; `--epochs <n>` changes the
 * training length (default 10); `--onnx out/model.onnx` also writes the network as an ONNX model.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setBackend } from '@smolml/core';
import { reloadsIdentically } from '@smolml/example-mnist/files';
import { createWasmBackend, isWasmSimdSupported } from '@smolml/wasm';
import { run } from './cnn.js';

const { values } = parseArgs({ options: { backend: { type: 'string', default: 'wasm' }, epochs: { type: 'string' }, onnx: { type: 'string' } } });
if (values.backend !== 'wasm' && values.backend !== 'js') throw new Error(`--backend must be wasm or js, got ${values.backend}`);
if (values.backend === 'wasm') {
  if (isWasmSimdSupported()) setBackend(await createWasmBackend());
  else console.log('this runtime has no WebAssembly SIMD: training on the TypeScript kernels');
}
const epochs = values.epochs === undefined ? undefined : Number(values.epochs);
if (epochs !== undefined && !(Number.isInteger(epochs) && epochs > 0)) throw new Error(`--epochs must be a positive integer, got ${values.epochs}`);

const outDir = fileURLToPath(new URL('../out', import.meta.url));
// --onnx is relative to where the command was run (pnpm runs scripts in this package's folder).
const onnx = values.onnx === undefined ? undefined : resolve(process.env.INIT_CWD ?? process.cwd(), values.onnx);
const result = await run({ outDir, ...(epochs === undefined ? {} : { epochs }), ...(onnx === undefined ? {} : { onnx }) });

// Round trip: the saved JSON gives back a network with bit-identical predictions.
const identical = reloadsIdentically(result.net, result.files.model!, result.test.X);
// 97% is what this network must reach with the default 10 epochs; shorter runs only report
if (!identical || (epochs === undefined && result.testAccuracy < 0.97)) process.exitCode = 1;
