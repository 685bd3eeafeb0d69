/**
 * The float64 operator table of the exporter against ONNX Runtime itself: every operator listed
 * as having a double kernel runs a one-node float64 model, and every float-only operator fails
 * to load in float64 (and runs in float32). When a new onnxruntime-web adds or drops a double
 * kernel, this test says which entry to change.
 */
import { describe, expect, it } from 'vitest';
import { DOUBLE_KERNELS, FLOAT_ONLY_KERNELS } from '../../src/export/builder.js';
import type { TensorProto } from '../../src/proto.js';
import { DataType, attr, f32, f64, model, node, value } from '../models.js';
import { ort } from '../ort.js';

/** Inputs and attributes for a one-node model of each operator (input `input`). */
function oneNode(op: string, double: boolean) {
  const t = (name: string, dims: number[], values: number[]): TensorProto => (double ? f64 : f32)(name, dims, values);
  const w = (names: string[], dims: number[], values: number[]) => names.map((n) => t(n, dims, values));
  const cases: Record<string, { shape: number[]; inits?: TensorProto[]; attrs?: ReturnType<typeof attr.int>[] }> = {
    Gemm: { shape: [2, 3], inits: [t('W', [3, 2], [1, 2, 3, 4, 5, 6]), t('b', [2], [1, 2])] },
    Relu: { shape: [2, 3] },
    LeakyRelu: { shape: [2, 3], attrs: [attr.float('alpha', 0.1)] },
    Elu: { shape: [2, 3] },
    Sigmoid: { shape: [2, 3] },
    Tanh: { shape: [2, 3] },
    Softmax: { shape: [2, 3], attrs: [attr.int('axis', -1)] },
    MaxPool: { shape: [1, 1, 4, 4], attrs: [attr.ints('kernel_shape', [2, 2]), attr.ints('strides', [2, 2])] },
    AveragePool: { shape: [1, 1, 4, 4], attrs: [attr.ints('kernel_shape', [2, 2]), attr.ints('strides', [2, 2])] },
    Conv: { shape: [1, 1, 3, 3], inits: [t('W', [1, 1, 2, 2], [1, 2, 3, 4])] },
    Flatten: { shape: [2, 1, 2, 2], attrs: [attr.int('axis', 1)] },
    BatchNormalization: { shape: [2, 3], inits: w(['g', 'b', 'm', 'v'], [3], [1, 2, 3]) },
    LayerNormalization: { shape: [2, 3], inits: w(['g', 'b'], [3], [1, 2, 3]), attrs: [attr.int('axis', -1)] },
    ReduceMean: { shape: [2, 3], attrs: [attr.ints('axes', [-1])] },
    Sub: { shape: [2, 3], inits: [t('W', [3], [1, 2, 3])] },
    Mul: { shape: [2, 3], inits: [t('W', [3], [1, 2, 3])] },
    Add: { shape: [2, 3], inits: [t('W', [3], [1, 2, 3])] },
    Div: { shape: [2, 3], inits: [t('W', [3], [1, 2, 3])] },
    Sqrt: { shape: [2, 3] },
    Identity: { shape: [2, 3] },
  };
  const c = cases[op];
  if (c === undefined) throw new Error(`no one-node case for ${op}: add one`);
  const elem = double ? DataType.DOUBLE : DataType.FLOAT;
  const inits = c.inits ?? [];
  const bytes = model({
    nodes: [node(op, ['input', ...inits.map((i) => i.name ?? '')], ['output'], c.attrs ?? [])],
    initializers: inits,
    inputs: [value('input', c.shape, elem)],
    outputs: [value('output', null, elem)],
  });
  return { bytes, shape: c.shape };
}

async function runs(op: string, double: boolean): Promise<boolean> {
  const { bytes, shape } = oneNode(op, double);
  let session: Awaited<ReturnType<typeof ort.InferenceSession.create>>;
  try {
    session = await ort.InferenceSession.create(bytes);
  } catch {
    return false;
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const data = Array.from({ length: size }, (_, i) => (i % 5) - 1.5);
  await session.run({ input: new ort.Tensor(double ? 'float64' : 'float32', double ? Float64Array.from(data) : Float32Array.from(data), shape) });
  await session.release();
  return true;
}

describe('ONNX Runtime double kernels', () => {
  it('every operator in DOUBLE_KERNELS runs in float64', async () => {
    const failing = [];
    for (const op of DOUBLE_KERNELS) if (!(await runs(op, true))) failing.push(op);
    expect(failing).toEqual([]);
  });

  it('every operator in FLOAT_ONLY_KERNELS runs in float32 and not in float64', async () => {
    for (const op of FLOAT_ONLY_KERNELS) {
      expect(await runs(op, false), `${op} in float32`).toBe(true);
      expect(await runs(op, true), `${op} in float64`).toBe(false);
    }
  });
});
