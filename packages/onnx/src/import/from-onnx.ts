/**
 * fromOnnx: ONNX ModelProto bytes -> model spec (`readOnnx`) -> NeuralNetwork.
 */
import { type Optimizer, ValueError } from '@smolml/core';
import { checkOptions, describeValue } from '@smolml/core/internal';
import { NeuralNetwork } from '@smolml/nn';
import type { ModelSpec } from '../ir.js';
import { specsToLayers } from '../layers/network.js';
import { decodeModel, int64ToNumber } from '../proto.js';
import { GraphReader } from './graph.js';
import { handlers } from './ops.js';

/** A loss as NeuralNetwork takes it: a function `(yPred, yTrue) => MLArray` or a registered name such as `'mse'`. */
export type OnnxNetworkLoss = ConstructorParameters<typeof NeuralNetwork>[1];

/** Options of `fromOnnx`. */
export interface FromOnnxOptions {
  /**
   * The network's loss, for training it further. Default: categorical cross-entropy when the
   * model ends in softmax, binary cross-entropy when it ends in sigmoid, else mean squared error.
   * A function or a loss name (`'mse'`, `'categoricalCrossEntropyFromLogits'`, ...).
   */
  loss?: OnnxNetworkLoss;
  /** The network's optimizer (default: NeuralNetwork's, SGD). */
  optimizer?: Optimizer;
}

/** The opsets whose operator semantics the handlers know (older ones changed Gemm, BatchNormalization, ...). */
const MIN_OPSET = 9;
const MAX_OPSET = 21;

function asBytes(op: string, bytes: unknown): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  throw new ValueError(`${op}: expected the model's bytes as a Uint8Array (e.g. fs.readFileSync('model.onnx') or new Uint8Array(await response.arrayBuffer())), got ${describeValue(bytes)}`);
}

/**
 * Reads an ONNX model into a model spec: its input shape (without the batch dimension; null for
 * symbolic sizes) and its layers with float64 weights in smolml's layouts. Reads every operator
 * `fromOnnx` does, and shows what a model holds without building layers.
 * @example
 * const { inputShape, layers } = readOnnx(bytes);
 * layers.map((l) => l.kind); // ['dense', 'activation', 'dense', 'activation']
 */
export function readOnnx(bytes: Uint8Array): ModelSpec {
  return read('readOnnx', bytes);
}

function read(op: string, input: unknown): ModelSpec {
  const bytes = asBytes(op, input);
  if (bytes.length === 0) throw new ValueError(`${op}: the model is empty (0 bytes)`);
  const model = decodeModel(op, bytes);
  const irVersion = int64ToNumber(op, 'ir_version', model.irVersion);
  if (irVersion < 3 || model.graph === undefined || model.graph === null) {
    throw new ValueError(`${op}: the bytes decode to no ONNX model (ir_version ${irVersion}, ${model.graph ? 'a' : 'no'} graph); is this an .onnx file?`);
  }
  if ((model.functions?.length ?? 0) > 0) throw new ValueError(`${op}: the model defines local functions, which smolml does not read`);
  const std = (model.opsetImport ?? []).filter((o) => (o.domain ?? '') === '' || o.domain === 'ai.onnx');
  const opset = std.length === 1 ? int64ToNumber(op, 'the opset version', std[0]!.version) : 0;
  if (opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new ValueError(`${op}: the model uses ONNX opset ${opset || 'none'}; smolml reads opsets ${MIN_OPSET} to ${MAX_OPSET} (torch.onnx.export(..., opset_version=17))`);
  }
  return new GraphReader(op, opset).read(model.graph, handlers);
}

/** Picked by name from @smolml/losses' registry (through NeuralNetwork), so this package need not depend on it. */
function defaultLoss(spec: ModelSpec): OnnxNetworkLoss {
  const last = spec.layers.filter((l) => l.kind !== 'dropout').at(-1);
  if (last?.kind === 'activation' && last.name === 'softmax') return 'categoricalCrossEntropy';
  if (last?.kind === 'activation' && last.name === 'sigmoid') return 'binaryCrossEntropy';
  return 'mse';
}

/**
 * Imports an ONNX model (e.g. from `torch.onnx.export` of an `nn.Sequential`) as a
 * NeuralNetwork that predicts what the model computes, and can be trained further. Weights
 * become float64 arrays in smolml's layouts (PyTorch's `(out, in)` Linear weights are
 * transposed to `(in, out)`). An operator smolml does not compute, a branching graph, or
 * bytes that are not a complete ONNX model throw a ValueError naming the problem.
 * @example
 * const net = fromOnnx(new Uint8Array(readFileSync('mlp.onnx')));
 * net.predict([[0.1, 0.2, 0.3, 0.4]]);
 */
export function fromOnnx(bytes: Uint8Array, options?: FromOnnxOptions): NeuralNetwork {
  const op = 'fromOnnx';
  const o = checkOptions(op, options, ['loss', 'optimizer']);
  const spec = read(op, bytes);
  const layers = specsToLayers(spec, op);
  return new NeuralNetwork(layers, o.loss ?? defaultLoss(spec), ...(o.optimizer === undefined ? [] : [o.optimizer]));
}
