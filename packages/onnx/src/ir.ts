/**
 * The intermediate representation between ONNX graphs and smolml networks: a sequential model
 * as a list of neutral layer specs. Both directions go through it:
 *
 * ```
 * NeuralNetwork --(layers/)--> ModelSpec --(export/)--> ONNX ModelProto
 * NeuralNetwork <--(layers/)-- ModelSpec <--(import/)-- ONNX ModelProto
 * ```
 *
 * Specs hold weights as float64 MLArrays in smolml's layouts (dense `(in, out)`, convolution
 * `(out, in, kH, kW)`), activations as separate specs, and nothing about ONNX or smolml classes,
 * so each side can be read (and tested) alone.
 */
import { type MLArray, ShapeError, ValueError, allFinite, formatShape } from '@smolml/core';

/** `[height, width]`. */
export type Pair = readonly [number, number];

/** The activations ONNX and smolml share. `alpha` is LeakyRelu's slope (default 0.01) or Elu's scale (default 1). */
export type ActivationKind = 'relu' | 'leakyRelu' | 'elu' | 'sigmoid' | 'tanh' | 'softmax';

/** One layer of a sequential model. `source` says where it came from (an ONNX node or a smolml layer), for messages. */
export type LayerSpec = (
  | { kind: 'dense'; /** `(in, out)` */ weights: MLArray; /** `(out)` */ bias: MLArray }
  | { kind: 'conv'; /** `(out, in, kH, kW)` */ weights: MLArray; /** `(out)` or none */ bias: MLArray | null; stride: Pair; padding: Pair }
  | { kind: 'maxpool'; kernel: Pair; stride: Pair; padding: Pair }
  | { kind: 'avgpool'; kernel: Pair; stride: Pair }
  | { kind: 'flatten' }
  | { kind: 'batchnorm'; /** each `(C)` */ gamma: MLArray; beta: MLArray; mean: MLArray; variance: MLArray; eps: number }
  | { kind: 'layernorm'; /** the normalized (trailing) shape */ gamma: MLArray; beta: MLArray; eps: number }
  | { kind: 'activation'; name: ActivationKind; alpha?: number }
  | { kind: 'dropout'; p: number }
) & { source?: string };

/** The kinds of layer spec: `'dense'`, `'conv'`, ..., `'dropout'`. */
export type LayerKind = LayerSpec['kind'];
/**
 * The spec type of one kind.
 * @example
 * const d: SpecOf<'dense'> = { kind: 'dense', weights: MLArray.zeros([2, 3]), bias: MLArray.zeros([3]) };
 */
export type SpecOf<K extends LayerKind> = Extract<LayerSpec, { kind: K }>;

/** A dimension: a size, or null when it is not fixed (batch size, symbolic image height/width). */
export type Dim = number | null;

/** A sequential model: the shape of one input example (without the batch dimension) and its layers. */
export interface ModelSpec {
  inputShape: Dim[];
  layers: LayerSpec[];
}

/** `layer 2 (conv from node '/0/Conv')`: how messages name a spec. */
export function describeSpec(spec: LayerSpec, index: number): string {
  return `layer ${index} (${spec.kind}${spec.source === undefined ? '' : ` from ${spec.source}`})`;
}

function fail(where: string, what: string): never {
  throw new ValueError(`${where}: ${what}`);
}

function checkPair(where: string, name: string, p: Pair, min: number): void {
  if (!Array.isArray(p) || p.length !== 2 || !p.every((v) => Number.isSafeInteger(v) && v >= min)) {
    fail(where, `${name} must be two integers >= ${min}, got ${JSON.stringify(p)}`);
  }
}

function checkArray(where: string, name: string, a: MLArray, shape: readonly number[]): void {
  if (a.ndim !== shape.length || a.shape.some((d, i) => d !== shape[i])) {
    throw new ShapeError(`${where}: ${name} has shape ${formatShape(a.shape)}, expected ${formatShape(shape)}`);
  }
  if (!allFinite(a.data)) fail(where, `${name} holds NaN or Infinity`);
}

/** The arrays of a spec, with the shapes they must have (derived from the first one). */
function arraysOf(spec: LayerSpec): [string, MLArray | null, readonly number[]][] {
  switch (spec.kind) {
    case 'dense': {
      const out = spec.weights.shape[1] ?? -1;
      return [['weights', spec.weights, [spec.weights.shape[0] ?? -1, out]], ['bias', spec.bias, [out]]];
    }
    case 'conv': {
      const [o = -1, i = -1, h = -1, w = -1] = spec.weights.shape;
      return [['weights', spec.weights, [o, i, h, w]], ['bias', spec.bias, [o]]];
    }
    case 'batchnorm': {
      const c = [spec.gamma.shape[0] ?? -1];
      return [['gamma', spec.gamma, c], ['beta', spec.beta, c], ['mean', spec.mean, c], ['variance', spec.variance, c]];
    }
    case 'layernorm':
      return [['gamma', spec.gamma, spec.gamma.shape], ['beta', spec.beta, spec.gamma.shape]];
    default:
      return [];
  }
}

/**
 * Checks one spec's own consistency: array shapes agree with each other, every number is finite,
 * strides/kernels are positive integers, eps is positive, dropout's p is in [0, 1).
 */
export function validateSpec(spec: LayerSpec, where: string): void {
  for (const [name, a, shape] of arraysOf(spec)) if (a !== null) checkArray(where, name, a, shape);
  switch (spec.kind) {
    case 'dense':
      if (spec.weights.ndim !== 2) throw new ShapeError(`${where}: weights must be 2-D (in, out), got ${formatShape(spec.weights.shape)}`);
      return;
    case 'conv':
      if (spec.weights.ndim !== 4) throw new ShapeError(`${where}: weights must be 4-D (out, in, kH, kW), got ${formatShape(spec.weights.shape)}`);
      checkPair(where, 'stride', spec.stride, 1);
      checkPair(where, 'padding', spec.padding, 0);
      return;
    case 'maxpool':
      checkPair(where, 'kernel', spec.kernel, 1);
      checkPair(where, 'stride', spec.stride, 1);
      checkPair(where, 'padding', spec.padding, 0);
      // PyTorch's rule (ONNX Runtime needs pads < kernel): a window never lies wholly in the padding.
      if (spec.padding[0] > spec.kernel[0] / 2 || spec.padding[1] > spec.kernel[1] / 2) {
        fail(where, `padding ${JSON.stringify(spec.padding)} must be at most half the kernel ${JSON.stringify(spec.kernel)}`);
      }
      return;
    case 'avgpool':
      checkPair(where, 'kernel', spec.kernel, 1);
      checkPair(where, 'stride', spec.stride, 1);
      return;
    case 'batchnorm':
    case 'layernorm':
      if (!(spec.eps > 0 && Number.isFinite(spec.eps))) fail(where, `eps must be a finite number > 0, got ${spec.eps}`);
      if (spec.kind === 'batchnorm' && spec.gamma.ndim !== 1) throw new ShapeError(`${where}: gamma must be 1-D (C), got ${formatShape(spec.gamma.shape)}`);
      if (spec.kind === 'batchnorm' && spec.variance.data.some((v) => v < 0)) fail(where, 'the running variance has negative entries');
      return;
    case 'activation':
      if (spec.alpha !== undefined && !Number.isFinite(spec.alpha)) fail(where, `alpha must be finite, got ${spec.alpha}`);
      if (spec.alpha !== undefined && spec.name !== 'leakyRelu' && spec.name !== 'elu') fail(where, `${spec.name} takes no alpha`);
      return;
    case 'dropout':
      if (!(spec.p >= 0 && spec.p < 1)) fail(where, `p must be in [0, 1), got ${spec.p}`);
      return;
    case 'flatten':
      return;
  }
}

const known = (d: Dim): d is number => d !== null;

/** Output size of a convolution or pooling window along one axis (PyTorch's floor rule). */
function windowOut(where: string, size: Dim, kernel: number, stride: number, pad: number): Dim {
  if (!known(size)) return null;
  const out = Math.floor((size + 2 * pad - kernel) / stride) + 1;
  if (out < 1) throw new ShapeError(`${where}: a kernel of ${kernel} (padding ${pad}) does not fit in an input of size ${size}`);
  return out;
}

function mismatch(where: string, expected: string, shape: readonly Dim[]): never {
  const shown = `(${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}${shape.length === 1 ? ',' : ''})`;
  throw new ShapeError(`${where}: expected input of shape ${expected}, received ${shown}`);
}

/** The shape a spec gives to an input of `shape` (batch dimension included; null = unknown). */
export function outputShape(spec: LayerSpec, shape: readonly Dim[], where: string): Dim[] {
  const [n = null] = shape;
  const agree = (d: Dim, want: number) => d === null || d === want;
  switch (spec.kind) {
    case 'dense': {
      const [inF = 0, outF = 0] = spec.weights.shape;
      if (shape.length !== 2 || !agree(shape[1]!, inF)) mismatch(where, `(batch, ${inF})`, shape);
      return [n, outF];
    }
    case 'conv': {
      const [outC = 0, inC = 0, kh = 0, kw = 0] = spec.weights.shape;
      if (shape.length !== 4 || !agree(shape[1]!, inC)) mismatch(where, `(batch, ${inC}, height, width)`, shape);
      return [n, outC, windowOut(where, shape[2]!, kh, spec.stride[0], spec.padding[0]), windowOut(where, shape[3]!, kw, spec.stride[1], spec.padding[1])];
    }
    case 'maxpool':
    case 'avgpool': {
      if (shape.length !== 4) mismatch(where, '(batch, channels, height, width)', shape);
      const pad = spec.kind === 'maxpool' ? spec.padding : ([0, 0] as const);
      return [n, shape[1]!, windowOut(where, shape[2]!, spec.kernel[0], spec.stride[0], pad[0]), windowOut(where, shape[3]!, spec.kernel[1], spec.stride[1], pad[1])];
    }
    case 'flatten': {
      if (shape.length < 2) mismatch(where, '(batch, ...) with at least 2 dimensions', shape);
      const rest = shape.slice(1);
      return [n, rest.every(known) ? rest.reduce((a, b) => a * b, 1) : null];
    }
    case 'batchnorm': {
      const c = spec.gamma.shape[0]!;
      if ((shape.length !== 2 && shape.length !== 4) || !agree(shape[1]!, c)) mismatch(where, `(batch, ${c}) or (batch, ${c}, height, width)`, shape);
      return [...shape];
    }
    case 'layernorm': {
      const norm = spec.gamma.shape;
      const tail = shape.slice(shape.length - norm.length);
      if (shape.length <= norm.length || !tail.every((d, i) => agree(d, norm[i]!))) mismatch(where, `(batch, ..., ${norm.join(', ')})`, shape);
      return [...shape];
    }
    case 'activation':
    case 'dropout':
      return [...shape];
  }
}

/**
 * Validates every spec and returns the shape after each layer (`shapes[i + 1]` is layer i's
 * output), for inputs `(batch, ...inputShape)`.
 */
export function inferShapes(model: ModelSpec, op: string, describe: (spec: LayerSpec, index: number) => string = describeSpec): Dim[][] {
  const shapes: Dim[][] = [[null, ...model.inputShape]];
  model.layers.forEach((spec, i) => {
    const where = `${op}: ${describe(spec, i)}`;
    validateSpec(spec, where);
    shapes.push(outputShape(spec, shapes[i]!, where));
  });
  return shapes;
}
