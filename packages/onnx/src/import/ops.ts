/**
 * ONNX operators to layer specs: one handler per operator that `torch.onnx.export` writes for an
 * `nn.Sequential` of Linear, Conv2d, MaxPool2d, AvgPool2d, Flatten, BatchNorm1d/2d, LayerNorm,
 * Dropout and the activations. Every attribute that would change the meaning (dilations,
 * groups, ceil_mode, asymmetric pads, ...) is checked: what smolml cannot compute exactly is
 * refused with the node's name, never approximated.
 */
import { MLArray, ValueError } from '@smolml/core';
import type { ActivationKind, Dim, Pair } from '../ir.js';
import type { Tensor } from '../tensor.js';
import { type Attributes, shortestFloat32 } from './attributes.js';
import type { Handler, NodeContext } from './graph.js';
import { shapeOps } from './shape-ops.js';

const array = (t: Tensor) => new MLArray(t.data, t.shape);

/** shortestFloat32 for a value that is a float32 (a double that is not one stays as it is). */
const shortestFloat32IfExact = (v: number) => (Math.fround(v) === v ? shortestFloat32(v) : v);

function fail(n: NodeContext, what: string): never {
  throw new ValueError(`${n.where}: ${what}`);
}

/** `[h, w]` from a 2-element ints attribute (absent: `fallback`). */
function pair(n: NodeContext, a: Attributes, name: string, fallback: Pair | undefined): Pair {
  const v = a.ints(name);
  if (v === undefined) {
    if (fallback === undefined) fail(n, `the attribute '${name}' is required`);
    return fallback;
  }
  if (v.length !== 2) fail(n, `'${name}' is ${JSON.stringify(v)}; smolml imports 2-D (image) operators only`);
  return [v[0]!, v[1]!];
}

/** ONNX pads `[top, left, bottom, right]` as smolml's symmetric `[h, w]`. */
function symmetricPads(n: NodeContext, a: Attributes): Pair {
  const p = a.ints('pads') ?? [0, 0, 0, 0];
  if (p.length !== 4) fail(n, `'pads' is ${JSON.stringify(p)}; expected 4 values for a 2-D operator`);
  if (p[0] !== p[2] || p[1] !== p[3]) fail(n, `the padding ${JSON.stringify(p)} is not symmetric; smolml pads top and bottom (left and right) equally`);
  return [p[0]!, p[1]!];
}

/** The window attributes every pooling/convolution shares must keep their plain meaning. */
function plainWindow(n: NodeContext, a: Attributes): void {
  const autoPad = a.string('auto_pad', 'NOTSET');
  if (autoPad !== 'NOTSET' && autoPad !== 'VALID') fail(n, `auto_pad '${autoPad.slice(0, 20)}' is not supported; export with explicit pads`);
  if (autoPad === 'VALID' && (a.ints('pads') ?? []).some((p) => p !== 0)) fail(n, 'auto_pad VALID with pads');
  if ((a.ints('dilations') ?? []).some((d) => d !== 1)) fail(n, `dilations ${JSON.stringify(a.ints('dilations'))} are not supported (only 1)`);
  if (a.int('ceil_mode', 0) !== 0) fail(n, 'ceil_mode = 1 is not supported; smolml rounds output sizes down (ceil_mode=False)');
}

/** A float vector input that broadcasts along the last axis as `(size)`: shapes (size), (1, size), (1) or (). */
function biasVector(n: NodeContext, t: Tensor, size: number, what: string): Float64Array {
  const s = t.shape;
  const count = s.reduce((p, d) => p * d, 1);
  const lastOk = s.length === 0 || s[s.length - 1] === size || s[s.length - 1] === 1;
  if (!lastOk || s.slice(0, -1).some((d) => d !== 1) || s.length > 2) fail(n, `the ${what} has shape (${s.join(', ')}), which does not broadcast to (${size})`);
  return count === size ? t.data.slice() : new Float64Array(size).fill(t.data[0]!);
}

/** Gemm: `alpha * A B' + beta * C` with B' = B or Bᵀ (PyTorch's Linear: transB = 1, B is `(out, in)`). */
function gemm(n: NodeContext): void {
  const a = n.attrs(['alpha', 'beta', 'transA', 'transB']);
  n.data(0);
  if (a.int('transA', 0) !== 0) fail(n, 'transA = 1 (a transposed data input) is not supported');
  const b = n.floats(1, 'weight');
  if (b.shape.length !== 2) fail(n, `the weight has shape (${b.shape.join(', ')}); expected a matrix`);
  const alpha = a.float('alpha', 1);
  const beta = a.float('beta', 1);
  const transB = a.int('transB', 0) !== 0;
  const [rows = 0, cols = 0] = b.shape;
  const [inF, outF] = transB ? [cols, rows] : [rows, cols];
  // smolml's dense weights are (in, out): transpose PyTorch's (out, in) layout.
  const w = new Float64Array(inF * outF);
  for (let i = 0; i < inF; i++) for (let o = 0; o < outF; o++) w[i * outF + o] = alpha * b.data[transB ? o * cols + i : i * cols + o]!;
  const c = n.floats(2, 'bias', true);
  const bias = c === undefined ? new Float64Array(outF) : biasVector(n, c, outF, 'bias').map((v) => beta * v);
  n.layer({ kind: 'dense', weights: new MLArray(w, [inF, outF]), bias: new MLArray(bias, [outF]) });
}

/** MatMul by a constant `(in, out)` matrix: a dense spec whose bias the following Add may supply. */
function matmul(n: NodeContext): void {
  n.attrs([]);
  const shape = n.data(0);
  if (shape.length !== 2) fail(n, `multiplies data of rank ${shape.length}; smolml's dense layers take (batch, features)`);
  const w = n.floats(1, 'weight');
  if (w.shape.length !== 2) fail(n, `the weight has shape (${w.shape.join(', ')}); expected a matrix`);
  n.layer({ kind: 'dense', weights: array(w), bias: MLArray.zeros([w.shape[1]!]) });
}

/** Add: only as the bias of the MatMul right before it (PyTorch's Linear on some inputs). */
function add(n: NodeContext): void {
  n.attrs([]);
  const dataFirst = n.isData(0);
  const shape = n.data(dataFirst ? 0 : 1);
  const last = n.lastLayerIfCurrent('MatMul');
  if (last?.kind !== 'dense') {
    fail(n, 'Add is supported only as the bias of the MatMul right before it');
  }
  const b = n.floats(dataFirst ? 1 : 0, 'bias');
  const out = last.weights.shape[1]!;
  n.amendLast({ ...last, bias: new MLArray(biasVector(n, b, out, 'bias'), [out]) }, shape);
}

function conv(n: NodeContext): void {
  const a = n.attrs(['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides']);
  n.data(0);
  plainWindow(n, a);
  if (a.int('group', 1) !== 1) fail(n, `group = ${a.int('group', 1)} (grouped or depthwise convolution) is not supported`);
  const w = n.floats(1, 'weight');
  if (w.shape.length !== 4) fail(n, `the weight has shape (${w.shape.join(', ')}); smolml imports 2-D convolutions, (out, in, kH, kW)`);
  const kernel = pair(n, a, 'kernel_shape', [w.shape[2]!, w.shape[3]!]);
  if (kernel[0] !== w.shape[2] || kernel[1] !== w.shape[3]) fail(n, `kernel_shape ${JSON.stringify(kernel)} disagrees with the weight's (${w.shape.join(', ')})`);
  const b = n.floats(2, 'bias', true);
  const bias = b === undefined ? null : new MLArray(biasVector(n, b, w.shape[0]!, 'bias'), [w.shape[0]!]);
  n.layer({ kind: 'conv', weights: array(w), bias, stride: pair(n, a, 'strides', [1, 1]), padding: symmetricPads(n, a) });
}

function maxPool(n: NodeContext): void {
  const a = n.attrs(['auto_pad', 'ceil_mode', 'dilations', 'kernel_shape', 'pads', 'storage_order', 'strides']);
  n.data(0);
  plainWindow(n, a);
  // ONNX's default stride is 1 (PyTorch's is the kernel size): taken from the file either way.
  n.layer({ kind: 'maxpool', kernel: pair(n, a, 'kernel_shape', undefined), stride: pair(n, a, 'strides', [1, 1]), padding: symmetricPads(n, a) });
}

function averagePool(n: NodeContext): void {
  const a = n.attrs(['auto_pad', 'ceil_mode', 'count_include_pad', 'kernel_shape', 'pads', 'strides']);
  n.data(0);
  plainWindow(n, a);
  const p = symmetricPads(n, a);
  if (p[0] !== 0 || p[1] !== 0) fail(n, `padding ${JSON.stringify(p)} is not supported: smolml's average pooling does not pad`);
  n.layer({ kind: 'avgpool', kernel: pair(n, a, 'kernel_shape', undefined), stride: pair(n, a, 'strides', [1, 1]) });
}

/** Pad: only the all-zero padding PyTorch writes before AveragePool (an identity). */
function pad(n: NodeContext): void {
  const a = n.attrs(['mode', 'pads', 'value']);
  const shape = n.data(0);
  const mode = a.string('mode', 'constant');
  const pads = n.opset >= 11 ? n.ints(1, 'pads')?.entries : a.ints('pads');
  if (n.input(3) !== undefined) fail(n, 'the axes input is not supported');
  if (mode !== 'constant' || pads === undefined || pads.some((p) => p !== 0)) {
    fail(n, `only an all-zero padding (an identity) is supported, got mode '${mode.slice(0, 20)}' and pads ${JSON.stringify(pads)}; smolml pads only inside Conv and MaxPool`);
  }
  n.passThrough(shape);
}

function flatten(n: NodeContext): void {
  const a = n.attrs(['axis']);
  const shape = n.data(0);
  const axis = a.int('axis', 1);
  if (axis !== 1 && axis !== 1 - shape.length) fail(n, `axis = ${axis} is not supported; smolml flattens everything after the batch dimension (axis 1)`);
  n.layer({ kind: 'flatten' });
}

/** Reshape to `(batch, -1)`: how `x.view(x.size(0), -1)` and some Flatten exports look. */
function reshape(n: NodeContext): void {
  const a = n.attrs(['allowzero']);
  const shape = n.data(0);
  if (a.int('allowzero', 0) !== 0) fail(n, 'allowzero = 1 is not supported');
  const target = n.ints(1, 'shape')?.entries ?? [];
  const rest = shape.slice(1);
  const features = rest.every((d): d is number => d !== null) ? rest.reduce((p, d) => p * d, 1) : null;
  const [first, second] = target;
  const batchOk = first === 'batch' || first === 0 || (first === shape[0] && first !== null) || (first === -1 && second === features && features !== null);
  const restOk = second === -1 || (second === features && features !== null);
  if (target.length !== 2 || !batchOk || !restOk || shape.length < 2) {
    const shown = target.map((e) => (e === null ? '?' : String(e))).join(', ');
    fail(n, `reshapes to (${shown}); smolml imports Reshape only as a flatten to (batch, -1)`);
  }
  n.layer({ kind: 'flatten' });
}

function batchNormalization(n: NodeContext): void {
  const a = n.attrs(['epsilon', 'momentum', 'spatial', 'training_mode', 'is_test', 'consumed_inputs']);
  n.data(0);
  if (a.int('training_mode', 0) !== 0) fail(n, 'training_mode = 1 is not supported; export the PyTorch model in eval mode (model.eval())');
  if (a.int('spatial', 1) !== 1) fail(n, 'spatial = 0 is not supported');
  const [gamma, beta, mean, variance] = ['scale', 'bias', 'running mean', 'running variance'].map((what, i) => array(n.floats(i + 1, what)));
  n.layer({ kind: 'batchnorm', gamma: gamma!, beta: beta!, mean: mean!, variance: variance!, eps: a.float('epsilon', 1e-5) });
}

function layerNormalization(n: NodeContext): void {
  const a = n.attrs(['axis', 'epsilon', 'stash_type']);
  const shape = n.data(0);
  const gamma = n.floats(1, 'scale');
  const beta = n.floats(2, 'bias', true);
  const axis = a.int('axis', -1);
  const k = gamma.shape.length;
  if ((axis < 0 ? axis + shape.length : axis) !== shape.length - k) {
    fail(n, `axis ${axis} disagrees with the scale's shape (${gamma.shape.join(', ')}); smolml normalizes over the trailing dimensions the scale covers`);
  }
  const betaArray = beta === undefined ? MLArray.zeros(gamma.shape) : array(beta);
  n.layer({ kind: 'layernorm', gamma: array(gamma), beta: betaArray, eps: a.float('epsilon', 1e-5) });
}

function dropout(n: NodeContext): void {
  const a = n.attrs(['ratio', 'is_test', 'seed']);
  n.data(0);
  let p = a.float('ratio', 0.5);
  if (n.opset >= 12) {
    const ratio = n.input(1) === undefined ? undefined : n.floats(1, 'ratio');
    // A float32 ratio reads back as the decimal it was written as (0.3, not 0.30000001192...).
    if (ratio !== undefined) p = shortestFloat32IfExact(ratio.data[0] ?? 0.5);
    const training = n.ints(2, 'training_mode')?.entries[0] ?? 0;
    if (training !== 0) fail(n, 'training_mode = true is not supported; export the PyTorch model in eval mode');
  }
  n.layer({ kind: 'dropout', p });
}

function identity(n: NodeContext): void {
  n.attrs([]);
  const v = n.input(0);
  if (v?.t === 'data') n.passThrough(n.data(0));
  else if (v !== undefined) n.value(v);
  else fail(n, 'has no input');
}

function activation(name: ActivationKind, alphaDefault?: number): Handler {
  return (n) => {
    const a = n.attrs(alphaDefault === undefined ? [] : ['alpha']);
    n.data(0);
    if (alphaDefault === undefined) return n.layer({ kind: 'activation', name });
    n.layer({ kind: 'activation', name, alpha: a.float('alpha', alphaDefault) });
  };
}

function softmax(n: NodeContext): void {
  const a = n.attrs(['axis']);
  const shape: Dim[] = n.data(0);
  // Before opset 13 the default axis was 1 and Softmax flattened from it: the same as the last
  // axis exactly when `axis` is the last axis.
  const axis = a.int('axis', n.opset >= 13 ? -1 : 1);
  if ((axis < 0 ? axis + shape.length : axis) !== shape.length - 1) {
    fail(n, `softmax along axis ${axis} of a rank-${shape.length} input is not supported; smolml's softmax runs along the last axis`);
  }
  n.layer({ kind: 'activation', name: 'softmax' });
}

/** Every operator fromOnnx/readOnnx reads, by ONNX op type. */
export const handlers: Readonly<Record<string, Handler>> = {
  Gemm: gemm,
  MatMul: matmul,
  Add: add,
  Conv: conv,
  MaxPool: maxPool,
  AveragePool: averagePool,
  Pad: pad,
  Flatten: flatten,
  Reshape: reshape,
  BatchNormalization: batchNormalization,
  LayerNormalization: layerNormalization,
  Dropout: dropout,
  Identity: identity,
  Relu: activation('relu'),
  LeakyRelu: activation('leakyRelu', 0.01),
  Elu: activation('elu', 1),
  Sigmoid: activation('sigmoid'),
  Tanh: activation('tanh'),
  Softmax: softmax,
  ...shapeOps,
};
