/**
 * The ONNX protobuf messages, encoded and decoded by code that protobufjs-cli generated from the
 * official schema (`proto/onnx.proto`, see `scripts/gen-proto.mjs`). This file is the only one
 * that touches the generated module: it turns decoding failures into `ValueError`s and int64
 * fields (protobufjs `Long`s) into checked JavaScript numbers.
 */
import { ValueError } from '@smolml/core';
import { onnx } from './generated/onnx.js';

export type ModelProto = onnx.ModelProto.$Properties;
export type GraphProto = onnx.GraphProto.$Properties;
export type NodeProto = onnx.NodeProto.$Properties;
export type TensorProto = onnx.TensorProto.$Properties;
export type AttributeProto = onnx.AttributeProto.$Properties;
export type ValueInfoProto = onnx.ValueInfoProto.$Properties;

export const DataType = onnx.TensorProto.DataType;
export const AttributeType = onnx.AttributeProto.AttributeType;
export const DataLocation = onnx.TensorProto.DataLocation;

/** An int64 field as protobufjs decodes it: a number, or a Long's 32-bit halves. */
export type Int64 = number | { low: number; high: number; unsigned: boolean };

/**
 * An int64 field as a number; a value beyond ±2^53 (no exact JavaScript number) throws.
 * protobufjs keeps `high` as a signed 32-bit integer for signed Longs.
 */
export function int64ToNumber(op: string, what: string, v: Int64 | null | undefined): number {
  if (v === null || v === undefined) return 0;
  const high = typeof v === 'number' ? 0 : v.unsigned ? v.high >>> 0 : v.high | 0;
  const n = typeof v === 'number' ? v : high * 4294967296 + (v.low >>> 0);
  if (!Number.isSafeInteger(n)) {
    const exact = typeof v === 'number' ? String(v) : String(BigInt(high) * 4294967296n + BigInt(v.low >>> 0));
    throw new ValueError(`${op}: ${what} is ${exact}, beyond the integers a JavaScript number holds exactly`);
  }
  return n;
}

/** Decodes a serialized ModelProto; anything protobuf cannot read becomes a ValueError. */
export function decodeModel(op: string, bytes: Uint8Array): ModelProto {
  try {
    return onnx.ModelProto.decode(bytes);
  } catch (e) {
    // protobufjs throws RangeError/Error for truncation, bad wire types and depth limits.
    const why = e instanceof Error ? e.message : String(e);
    throw new ValueError(`${op}: the ${bytes.length} bytes are not a readable ONNX model (protobuf decoding failed: ${why}); is the file complete and really .onnx?`);
  }
}

/** Serializes a ModelProto into a plain Uint8Array (not a Node Buffer, which protobufjs uses in Node). */
export function encodeModel(model: ModelProto): Uint8Array {
  const buf = onnx.ModelProto.encode(model).finish();
  return new Uint8Array(buf);
}
