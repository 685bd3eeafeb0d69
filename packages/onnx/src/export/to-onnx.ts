/**
 * toOnnx: NeuralNetwork -> model spec -> ONNX ModelProto bytes (`writeOnnx` is the second half).
 */
import { ValueError } from '@smolml/core';
import { checkOptions, describeValue } from '@smolml/core/internal';
import { NeuralNetwork } from '@smolml/nn';
import { type Dim, type LayerSpec, type ModelSpec, describeSpec, inferShapes } from '../ir.js';
import { type LabelledSpec, networkToSpecs } from '../layers/network.js';
import { type ModelProto, type ValueInfoProto, encodeModel } from '../proto.js';
import { type FloatType, elemType } from '../tensor.js';
import { GraphBuilder } from './builder.js';
import { emit } from './emit.js';

/** Options of `toOnnx` and `writeOnnx`. */
export interface ToOnnxOptions {
  /**
   * The shape of one input example, without the batch dimension, e.g. `[1, 28, 28]`. Default: the
   * network's `inputShape` (given to NeuralNetwork or implied by a first DenseLayer), else what
   * the first layer fixes: a convolutional model then gets symbolic `height` and `width`.
   */
  inputShape?: readonly number[];
  /** Element type of the weights, input and output: `'float32'` (default, what runtimes expect) or `'float64'`. */
  dtype?: FloatType;
  /** ONNX opset version, 13 to 17 (default 17). Below 17, layer norm is written out with ReduceMean. */
  opset?: number;
}

const OPTIONS = ['inputShape', 'dtype', 'opset'] as const;
export const MIN_OPSET = 13;
export const MAX_OPSET = 17;

/** IR version 7 came with opsets 12-14, IR 8 with opset 15; we write the oldest that allows the opset. */
function irVersionFor(opset: number): number {
  return opset <= 14 ? 7 : 8;
}

/** The input shape implied by the first layers when none is given: dense fixes `(in)`, conv `(C, ?, ?)`. */
function impliedInputShape(layers: readonly LayerSpec[]): Dim[] | undefined {
  for (const s of layers) {
    if (s.kind === 'dense') return [s.weights.shape[0]!];
    if (s.kind === 'conv') return [s.weights.shape[1]!, null, null];
    if (s.kind !== 'activation' && s.kind !== 'dropout') return undefined;
  }
  return undefined;
}

function valueInfo(name: string, dtype: FloatType, shape: readonly Dim[]): ValueInfoProto {
  const image = shape.length === 4;
  const dim = shape.map((d, i) => {
    if (d !== null) return { dimValue: d };
    if (i === 0) return { dimParam: 'batch' };
    if (name === 'input') return { dimParam: image && i >= 2 ? ['height', 'width'][i - 2]! : `dim${i}` };
    return {}; // an output size that depends on symbolic input sizes: left unknown
  });
  return { name, type: { tensorType: { elemType: elemType(dtype), shape: { dim } } } };
}

function resolveOptions(op: string, options: ToOnnxOptions | undefined): { dtype: FloatType; opset: number; inputShape?: number[] } {
  const o = checkOptions(op, options, OPTIONS);
  const dtype = o.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') throw new ValueError(`${op}: dtype must be 'float32' or 'float64', got ${describeValue(dtype)}`);
  const opset = o.opset ?? MAX_OPSET;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new ValueError(`${op}: opset must be an integer from ${MIN_OPSET} to ${MAX_OPSET}, got ${describeValue(opset)}`);
  }
  if (o.inputShape === undefined) return { dtype, opset };
  const s = o.inputShape;
  if (!Array.isArray(s) || s.length === 0 || !s.every((d) => Number.isSafeInteger(d) && d > 0)) {
    throw new ValueError(`${op}: inputShape must be a non-empty array of positive integers without the batch dimension, e.g. [1, 28, 28]; got ${describeValue(s)}`);
  }
  return { dtype, opset, inputShape: [...s] };
}

/**
 * A model spec as ONNX ModelProto bytes: one input `input` `(batch, ...inputShape)`, one output
 * `output`. The second half of `toOnnx`; useful on its own to export specs read by `readOnnx`.
 * @example
 * const bytes = writeOnnx(readOnnx(original)); // a model read, then written back
 */
export function writeOnnx(model: ModelSpec, options?: ToOnnxOptions): Uint8Array {
  const specs = model.layers.map((spec, i) => ({ spec, layer: i, where: describeSpec(spec, i) }));
  return buildModel('writeOnnx', specs, options, model.inputShape);
}

function buildModel(op: string, specs: readonly LabelledSpec[], options: ToOnnxOptions | undefined, specInput?: Dim[]): Uint8Array {
  const { dtype, opset, inputShape } = resolveOptions(op, options);
  const layers = specs.map((s) => s.spec);
  const input = inputShape ?? specInput ?? impliedInputShape(layers);
  if (input === undefined) {
    throw new ValueError(`${op}: the first layers do not fix the input shape; pass it without the batch dimension, e.g. toOnnx(net, { inputShape: [1, 28, 28] })`);
  }
  const shapes = inferShapes({ inputShape: input, layers }, op, (_spec, i) => specs[i]!.where);
  const g = new GraphBuilder(op, dtype, opset);
  let x = 'input';
  for (const { spec, layer, where } of specs) {
    g.enter(layer, where);
    x = emit(spec, x, g);
  }
  // The last value is named `output` (an Identity when no node produced one, e.g. a dropout-only model).
  const last = g.nodes[g.nodes.length - 1];
  if (x === 'input' || last === undefined) {
    g.enter(specs.length, 'the output');
    g.node('Identity', [x]);
  }
  g.nodes[g.nodes.length - 1]!.output = ['output'];
  const proto: ModelProto = {
    irVersion: irVersionFor(opset),
    producerName: '@smolml/onnx',
    opsetImport: [{ domain: '', version: opset }],
    graph: {
      name: 'smolml',
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo('input', dtype, shapes[0]!)],
      output: [valueInfo('output', dtype, shapes[shapes.length - 1]!)],
    },
  };
  return encodeModel(proto);
}

/**
 * Exports a network as ONNX (a serialized `ModelProto`) computing `net.predict`: one input
 * `input` with a dynamic batch dimension, one output `output`, opset 17 (13 to 17 with `opset`),
 * IR version 8 or lower. DenseLayer becomes Gemm, Conv2D Conv, the pooling layers MaxPool and
 * AveragePool, BatchNorm BatchNormalization (with the running statistics), LayerNorm
 * LayerNormalization (a ReduceMean form below opset 17), activations their ONNX operators
 * (softmax along the last axis); Dropout is left out. Layers without an ONNX form (custom layers or activations) throw a
 * ValueError naming them, as does `dtype: 'float64'` for a layer ONNX Runtime cannot run in doubles.
 * @example
 * const bytes = toOnnx(net); // Uint8Array: write it to model.onnx, or run it in ONNX Runtime
 * const session = await ort.InferenceSession.create(bytes);
 */
export function toOnnx(net: NeuralNetwork, options?: ToOnnxOptions): Uint8Array {
  const op = 'toOnnx';
  if (!(net instanceof NeuralNetwork)) throw new ValueError(`${op}: expected a NeuralNetwork, got ${describeValue(net)}`);
  return buildModel(op, networkToSpecs(net.layers, op), options, net.inputShape === null ? undefined : [...net.inputShape]);
}
