/**
 * `pnpm --filter @smolml/example-mnist-cnn start`: trains the CNN on MNIST with the matrix
 * products on @smolml/wasm (WebAssembly SIMD), then reloads the saved model to show it predicts
 * identically. `--backend js` keeps the pure TypeScript kernels; `--epochs <n>` changes the
 * training length (default 8).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setBackend } from '@smolml/core';
import { NeuralNetwork } from '@smolml/nn';
import { createWasmBackend, isWasmSimdSupported } from '@smolml/wasm';
import { run } from './cnn.js';

const { values } = parseArgs({ options: { backend: { type: 'string', default: 'wasm' }, epochs: { type: 'string' } } });
if (values.backend !== 'wasm' && values.backend !== 'js') throw new Error(`--backend must be wasm or js, got ${values.backend}`);
if (values.backend === 'wasm') {
  if (isWasmSimdSupported()) setBackend(await createWasmBackend());
  else console.log('this runtime has no WebAssembly SIMD: training on the TypeScript kernels');
}
const epochs = values.epochs === undefined ? undefined : Number(values.epochs);
if (epochs !== undefined && !(Number.isInteger(epochs) && epochs > 0)) throw new Error(`--epochs must be a positive integer, got ${values.epochs}`);

const outDir = fileURLToPath(new URL('../out', import.meta.url));
const result = await run({ outDir, ...(epochs === undefined ? {} : { epochs }) });

// Round trip: the saved JSON gives back a network with bit-identical predictions.
const { test } = result;
const reloaded = NeuralNetwork.fromJSON(readFileSync(result.files.model!, 'utf8'));
const a = result.net.predict(test.X).data;
const b = reloaded.predict(test.X).data;
const identical = a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
console.log(`reloaded the saved model: predictions ${identical ? 'bit-identical' : 'DIFFER'} on the ${test.X.shape[0]} test digits`);
// 97% is what this network must reach with the default 8 epochs; shorter runs only report
if (!identical || (epochs === undefined && result.testAccuracy < 0.97)) process.exitCode = 1;
