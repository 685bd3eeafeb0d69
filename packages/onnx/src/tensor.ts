/**
 * ONNX tensors (TensorProto) to and from plain numbers. Reading checks everything a hostile or
 * broken file could get wrong before allocating: dims must be non-negative safe integers whose
 * product stays under MAX_TENSOR_ELEMENTS, and the data actually present must hold exactly that
 * many values, so a file can never make us allocate more than a small multiple of its own size.
 */
import { ValueError, formatShape } from '@smolml/core';
import { DataLocation, DataType, type Int64, type TensorProto, int64ToNumber } from './proto.js';

/** The most elements one tensor may have (2^27, 1 GiB as float64): far beyond any model smolml trains. */
export const MAX_TENSOR_ELEMENTS = 2 ** 27;

/** A decoded tensor: float tensors (float, double) and integer ones (int32, int64, bool as 0/1) as float64 numbers. */
export interface Tensor {
  readonly kind: 'float' | 'int';
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

/** `FLOAT`, `INT64`, ...: the ONNX name of a data type code, for messages. */
export function dataTypeName(code: number | null | undefined): string {
  const name = (DataType as unknown as Record<number, string | undefined>)[code ?? 0];
  return name ?? `unknown type ${String(code)}`;
}

/** Element count of `dims`, checked against MAX_TENSOR_ELEMENTS before anything is allocated. */
export function checkedSize(op: string, what: string, dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) throw new ValueError(`${op}: ${what} has dimension ${d} in ${formatShape(dims)}; dimensions must be integers >= 0`);
    n *= d;
    if (n > MAX_TENSOR_ELEMENTS) {
      throw new ValueError(`${op}: ${what} declares shape ${formatShape(dims)}, more than the ${MAX_TENSOR_ELEMENTS} elements smolml reads in one tensor`);
    }
  }
  return n;
}

/** Bytes per element of the raw_data encoding of the types smolml reads. */
const RAW_BYTES: Partial<Record<number, number>> = { [DataType.FLOAT]: 4, [DataType.DOUBLE]: 8, [DataType.INT32]: 4, [DataType.INT64]: 8, [DataType.BOOL]: 1 };

/**
 * Reads a TensorProto into float64 numbers. `what` names the tensor in errors
 * (e.g. `initializer '0.weight'`).
 */
export function readTensor(op: string, what: string, t: TensorProto): Tensor {
  if (t.dataLocation === DataLocation.EXTERNAL || (t.externalData?.length ?? 0) > 0) {
    const location = t.externalData?.find((e) => e.key === 'location')?.value ?? '?';
    throw new ValueError(
      `${op}: ${what} keeps its values in an external file ('${location}'); smolml reads self-contained models only. ` +
        'In Python: onnx.save_model(onnx.load(path), out_path, save_as_external_data=False)',
    );
  }
  if (t.segment !== null && t.segment !== undefined) throw new ValueError(`${op}: ${what} is a segment of a larger tensor, which smolml does not read`);
  const dims = (t.dims ?? []).map((d, i) => int64ToNumber(op, `dimension ${i} of ${what}`, d));
  const n = checkedSize(op, what, dims);
  const type = t.dataType ?? 0;
  const width = RAW_BYTES[type];
  if (width === undefined) {
    throw new ValueError(`${op}: ${what} has data type ${dataTypeName(type)}; smolml reads FLOAT, DOUBLE, INT32, INT64 and BOOL tensors`);
  }
  const kind = type === DataType.FLOAT || type === DataType.DOUBLE ? 'float' : 'int';
  const raw = t.rawData;
  if (raw !== null && raw !== undefined && raw.length > 0) {
    if (raw.length !== n * width) {
      throw new ValueError(`${op}: ${what} of shape ${formatShape(dims)} needs ${n * width} bytes of ${dataTypeName(type)} data, the file holds ${raw.length}`);
    }
    return { kind, shape: dims, data: fromRaw(op, what, raw, type, n) };
  }
  const typed: readonly (number | Exclude<Int64, number>)[] =
    type === DataType.FLOAT ? (t.floatData ?? []) : type === DataType.DOUBLE ? (t.doubleData ?? []) : type === DataType.INT64 ? (t.int64Data ?? []) : (t.int32Data ?? []); // int32 and bool use int32_data
  if (typed.length !== n) {
    throw new ValueError(`${op}: ${what} of shape ${formatShape(dims)} needs ${n} values, the file holds ${typed.length}`);
  }
  const data = new Float64Array(n);
  if (type === DataType.INT64) for (let i = 0; i < n; i++) data[i] = int64ToNumber(op, `element ${i} of ${what}`, typed[i]!);
  else data.set(typed as readonly number[]);
  return { kind, shape: dims, data };
}

/** Little-endian raw bytes (ONNX's byte order, whatever the machine's) as float64 numbers. */
function fromRaw(op: string, what: string, raw: Uint8Array, type: number, n: number): Float64Array {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (type === DataType.FLOAT) out[i] = view.getFloat32(4 * i, true);
    else if (type === DataType.DOUBLE) out[i] = view.getFloat64(8 * i, true);
    else if (type === DataType.INT32) out[i] = view.getInt32(4 * i, true);
    else if (type === DataType.BOOL) out[i] = view.getUint8(i) === 0 ? 0 : 1;
    else {
      const v = view.getBigInt64(8 * i, true);
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
        throw new ValueError(`${op}: element ${i} of ${what} is ${v}, beyond the integers a JavaScript number holds exactly`);
      }
      out[i] = Number(v);
    }
  }
  return out;
}

/** The element types toOnnx writes. */
export type FloatType = 'float32' | 'float64';

/** ONNX's type code for a FloatType. */
export function elemType(dtype: FloatType): number {
  return dtype === 'float64' ? DataType.DOUBLE : DataType.FLOAT;
}

/** A float tensor as a TensorProto with little-endian raw_data (the compact form every runtime reads). */
export function writeTensor(name: string, shape: readonly number[], data: ArrayLike<number>, dtype: FloatType): TensorProto {
  const width = dtype === 'float64' ? 8 : 4;
  const bytes = new Uint8Array(data.length * width);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) {
    if (dtype === 'float64') view.setFloat64(8 * i, data[i]!, true);
    else view.setFloat32(4 * i, data[i]!, true);
  }
  return { name, dims: [...shape], dataType: elemType(dtype), rawData: bytes };
}
