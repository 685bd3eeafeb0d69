#!/usr/bin/env node
// Writes ONNX models exported by smolml into a folder, for ONNX's own checker:
//
//   pnpm --filter @smolml/onnx build
//   node packages/onnx/scripts/export-samples.mjs /tmp/smolml-onnx-samples
//   /usr/bin/python3 packages/onnx/test/fixtures/generate.py --check /tmp/smolml-onnx-samples
//
// (onnx.checker.check_model with full_check, and strict shape inference, in onnx 1.12.) Covers
// toOnnx of MLPs with every activation in float32 and float64 at opsets 13 to 17, toOnnx of
// networks of @smolml/nn's other layers (Conv2D, pooling, BatchNorm, LayerNorm, Flatten, Dropout,
// Activation) at opsets 13 and 17 and in float64 where allowed, and writeOnnx of every spec kind (convolution, pooling, BatchNorm, LayerNorm in both forms, flatten,
// dropout) read from the PyTorch fixtures. Not part of CI: CI and tests never need Python.
/* global process, console, URL */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mseLoss } from '@smolml/losses';
import { Activation, AvgPool2D, BatchNorm, Conv2D, DenseLayer, Dropout, Flatten, LayerNorm, MaxPool2D, NeuralNetwork } from '@smolml/nn';
import { readOnnx, toOnnx, writeOnnx } from '@smolml/onnx';

const out = process.argv[2];
if (!out) {
  console.error('usage: node export-samples.mjs <folder>');
  process.exit(1);
}
mkdirSync(out, { recursive: true });
const write = (name, bytes) => writeFileSync(join(out, `${name}.onnx`), bytes);

for (const act of ['linear', 'relu', 'leakyRelu', 'elu', 'sigmoid', 'tanh', 'softmax']) {
  const net = new NeuralNetwork([new DenseLayer(4, 6, act, undefined, { seed: 1 }), new DenseLayer(6, 3, act, undefined, { seed: 2 })], mseLoss);
  for (let opset = 13; opset <= 17; opset++) write(`mlp_${act}.float32.opset${opset}`, toOnnx(net, { opset }));
  if (act !== 'elu') write(`mlp_${act}.float64`, toOnnx(net, { dtype: 'float64' }));
}

const cnn8 = new NeuralNetwork(
  [
    new Conv2D(1, 4, 3, { padding: 1, activation: 'relu', seed: 1 }),
    new BatchNorm(4),
    new MaxPool2D(3, { stride: 2, padding: 1 }),
    new Conv2D(4, 6, [3, 2], { stride: [1, 2], activation: 'elu', bias: false, seed: 2 }),
    new AvgPool2D(2),
    new Flatten(),
    new Dropout(0.3),
    new LayerNorm(6),
    new Activation('tanh'),
    new DenseLayer(6, 3, 'softmax', undefined, { seed: 3 }),
  ],
  mseLoss,
  undefined,
  { inputShape: [1, 8, 8] },
);
for (const opset of [13, 17]) write(`cnn.opset${opset}`, toOnnx(cnn8, { opset }));
write('cnn_symbolic_hw', toOnnx(new NeuralNetwork(cnn8.layers.slice(0, 5), mseLoss)));
const noConv = new NeuralNetwork(
  [new BatchNorm(2), new MaxPool2D(2, { padding: 1 }), new Flatten(), new DenseLayer(18, 4, 'linear', undefined, { seed: 4 }), new LayerNorm(4), new Dropout(0.5), new Activation('relu')],
  mseLoss,
  undefined,
  { inputShape: [2, 4, 4] },
);
for (const opset of [13, 17]) write(`pool_norm.float64.opset${opset}`, toOnnx(noConv, { dtype: 'float64', opset }));

const torch = new URL('../test/fixtures/torch/', import.meta.url);
for (const file of readdirSync(torch).filter((f) => f.endsWith('.opset17.onnx') && !f.startsWith('mlp_layernorm'))) {
  const spec = readOnnx(readFileSync(new URL(file, torch)));
  const name = file.replace('.opset17.onnx', '');
  for (const opset of [13, 17]) write(`ir_${name}.opset${opset}`, writeOnnx(spec, { opset }));
  if (!spec.layers.some((l) => l.kind === 'conv' || l.kind === 'avgpool' || (l.kind === 'activation' && l.name === 'elu'))) {
    write(`ir_${name}.float64`, writeOnnx(spec, { dtype: 'float64' }));
  }
}
const ln = readOnnx(readFileSync(new URL('mlp_layernorm.opset17.onnx', torch)));
for (const opset of [13, 16, 17]) write(`ir_mlp_layernorm.opset${opset}`, writeOnnx(ln, { opset }));
write('ir_mlp_layernorm.float64', writeOnnx(ln, { dtype: 'float64', opset: 13 }));
const cnn = readOnnx(readFileSync(new URL('cnn_fused_view.opset17.onnx', torch)));
write('ir_conv_symbolic_hw', writeOnnx({ inputShape: [3, null, null], layers: cnn.layers.slice(0, 3) }));
write('ir_dropout_only', writeOnnx({ inputShape: [3], layers: [{ kind: 'dropout', p: 0.5 }] }));

console.log(`export-samples: ${readdirSync(out).filter((f) => f.endsWith('.onnx')).length} models in ${out}`);
