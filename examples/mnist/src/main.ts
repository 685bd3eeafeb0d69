/**
 * `pnpm demo`: trains on MNIST, then reloads the saved model to show it predicts identically.
 * `--onnx <file>` also writes the network as an ONNX model (e.g. `pnpm demo --onnx out/model.onnx`;
 * the path is relative to where the command was run).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { reloadsIdentically } from './files.js';
import { run } from './mnist.js';

const { values } = parseArgs({ options: { onnx: { type: 'string' } } });
const onnx = values.onnx === undefined ? undefined : resolve(process.env.INIT_CWD ?? process.cwd(), values.onnx);
const outDir = fileURLToPath(new URL('../out', import.meta.url));
const result = await run({ outDir, ...(onnx === undefined ? {} : { onnx }) });

// Round trip: the saved JSON gives back a network with bit-identical predictions.
const identical = reloadsIdentically(result.net, result.files.model!, result.test.X);
if (!identical || result.testAccuracy < 0.9) process.exitCode = 1;
