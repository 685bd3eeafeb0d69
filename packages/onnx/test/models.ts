/**
 * Hand-built ONNX models for tests (hostile, unusual or single-operator graphs), encoded with
 * the same generated protobuf code the package uses.
 */
import { AttributeType, DataType, type AttributeProto, type Int64, type ModelProto, type NodeProto, type TensorProto, type ValueInfoProto, decodeModel, encodeModel, int64ToNumber } from '../src/proto.js';
import { writeTensor } from '../src/tensor.js';

export { DataType };

export const f32 = (name: string, dims: number[], values: number[]): TensorProto => writeTensor(name, dims, values, 'float32');
export const f64 = (name: string, dims: number[], values: number[]): TensorProto => writeTensor(name, dims, values, 'float64');
export const i64 = (name: string, dims: number[], values: number[]): TensorProto => ({ name, dims, dataType: DataType.INT64, int64Data: values });

export const attr = {
  int: (name: string, i: number): AttributeProto => ({ name, type: AttributeType.INT, i }),
  ints: (name: string, ints: number[]): AttributeProto => ({ name, type: AttributeType.INTS, ints }),
  float: (name: string, f: number): AttributeProto => ({ name, type: AttributeType.FLOAT, f }),
  string: (name: string, s: string): AttributeProto => ({ name, type: AttributeType.STRING, s: new TextEncoder().encode(s) }),
  tensor: (name: string, t: TensorProto): AttributeProto => ({ name, type: AttributeType.TENSOR, t }),
};

export function node(opType: string, input: string[], output: string[], attribute: AttributeProto[] = [], name = `${opType}_${output[0]}`): NodeProto {
  return { opType, input, output, attribute, name };
}

/** A tensor value: `dims` numbers are sizes, strings symbolic names, null unknown. */
export function value(name: string, dims: (number | string | null)[] | null, elemType: number = DataType.FLOAT): ValueInfoProto {
  const dim = dims?.map((d) => (typeof d === 'number' ? { dimValue: d } : typeof d === 'string' ? { dimParam: d } : {}));
  return { name, type: { tensorType: { elemType, ...(dim === undefined ? {} : { shape: { dim } }) } } };
}

export interface GraphParts {
  nodes: NodeProto[];
  initializers?: TensorProto[];
  inputs?: ValueInfoProto[];
  outputs?: ValueInfoProto[];
  opset?: number;
  irVersion?: number;
}

export function modelProto(g: GraphParts): ModelProto {
  return {
    irVersion: g.irVersion ?? 8,
    opsetImport: [{ domain: '', version: g.opset ?? 17 }],
    graph: {
      name: 'test',
      node: g.nodes,
      initializer: g.initializers ?? [],
      input: g.inputs ?? [value('input', ['batch', 3])],
      output: g.outputs ?? [value('output', ['batch', 2])],
    },
  };
}

export function model(g: GraphParts): Uint8Array {
  return encodeModel(modelProto(g));
}

/** `input (batch, 3)` -> Gemm with W (2, 3), transB -> `output (batch, 2)`, then `extra` nodes appended before the output. */
export function linearModel(extra: { nodes?: NodeProto[]; initializers?: TensorProto[]; opset?: number; gemmAttrs?: AttributeProto[] } = {}): Uint8Array {
  const nodes = [node('Gemm', ['input', 'W', 'b'], [extra.nodes?.length ? 'h' : 'output'], extra.gemmAttrs ?? [attr.int('transB', 1)], 'gemm'), ...(extra.nodes ?? [])];
  return model({
    nodes,
    initializers: [f32('W', [2, 3], [1, 2, 3, 4, 5, 6]), f32('b', [2], [0.5, -0.5]), ...(extra.initializers ?? [])],
    ...(extra.opset === undefined ? {} : { opset: extra.opset }),
  });
}

export interface Inspected {
  irVersion: number;
  opset: number[];
  inputs: { name: string; elemType: number; dims: (number | string | null)[] }[];
  outputs: { name: string; elemType: number; dims: (number | string | null)[] }[];
  nodes: { op: string; inputs: string[]; outputs: string[]; attrs: Record<string, number | number[] | string> }[];
  initializers: { name: string; dims: number[]; dataType: number }[];
}

/** A plain summary of a serialized model (decoded with the generated code), for assertions. */
export function inspect(bytes: Uint8Array): Inspected {
  const m = decodeModel('inspect', bytes);
  const n = (v: Int64 | null | undefined) => int64ToNumber('inspect', 'int', v);
  const g = m.graph!;
  const info = (v: ValueInfoProto) => ({
    name: v.name ?? '',
    elemType: v.type?.tensorType?.elemType ?? 0,
    dims: (v.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : d.dimValue !== undefined && d.dimValue !== null ? n(d.dimValue) : null)),
  });
  return {
    irVersion: n(m.irVersion),
    opset: (m.opsetImport ?? []).map((o) => n(o.version)),
    inputs: (g.input ?? []).map(info),
    outputs: (g.output ?? []).map(info),
    nodes: (g.node ?? []).map((x) => ({
      op: x.opType ?? '',
      inputs: [...(x.input ?? [])],
      outputs: [...(x.output ?? [])],
      attrs: Object.fromEntries(
        (x.attribute ?? []).map((a) => [
          a.name ?? '',
          a.type === AttributeType.INTS ? (a.ints ?? []).map(n) : a.type === AttributeType.FLOAT ? (a.f ?? 0) : a.type === AttributeType.STRING ? new TextDecoder().decode(a.s ?? new Uint8Array()) : n(a.i),
        ]),
      ),
    })),
    initializers: (g.initializer ?? []).map((t) => ({ name: t.name ?? '', dims: (t.dims ?? []).map(n), dataType: t.dataType ?? 0 })),
  };
}
