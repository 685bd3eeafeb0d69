import { ValueError } from '@smolml/core';
import { describe, expect, it } from 'vitest';
import { DataType } from '../src/proto.js';
import { MAX_TENSOR_ELEMENTS, checkedSize, dataTypeName, readTensor, writeTensor } from '../src/tensor.js';

describe('readTensor', () => {
  it('reads raw little-endian data of every supported type', () => {
    const bytes = (fill: (v: DataView) => void, n: number) => {
      const b = new Uint8Array(n);
      fill(new DataView(b.buffer));
      return b;
    };
    const f = bytes((v) => [1.5, -2.25].forEach((x, i) => v.setFloat32(4 * i, x, true)), 8);
    expect(Array.from(readTensor('t', 'x', { dims: [2], dataType: DataType.FLOAT, rawData: f }).data)).toEqual([1.5, -2.25]);
    const d = bytes((v) => [0.1, 1e300].forEach((x, i) => v.setFloat64(8 * i, x, true)), 16);
    expect(Array.from(readTensor('t', 'x', { dims: [2], dataType: DataType.DOUBLE, rawData: d }).data)).toEqual([0.1, 1e300]);
    const i64 = bytes((v) => [-1n, 2n ** 40n].forEach((x, i) => v.setBigInt64(8 * i, x, true)), 16);
    const ints = readTensor('t', 'x', { dims: [2], dataType: DataType.INT64, rawData: i64 });
    expect([ints.kind, ...ints.data]).toEqual(['int', -1, 2 ** 40]);
    const i32 = bytes((v) => v.setInt32(0, -7, true), 4);
    expect(Array.from(readTensor('t', 'x', { dims: [], dataType: DataType.INT32, rawData: i32 }).data)).toEqual([-7]);
    expect(Array.from(readTensor('t', 'x', { dims: [3], dataType: DataType.BOOL, rawData: Uint8Array.of(0, 1, 5) }).data)).toEqual([0, 1, 1]);
  });

  it('reads the typed fields: float_data, double_data, int64_data (Long halves), int32_data', () => {
    expect(Array.from(readTensor('t', 'x', { dims: [1, 2], dataType: DataType.FLOAT, floatData: [1, 2] }).data)).toEqual([1, 2]);
    expect(Array.from(readTensor('t', 'x', { dims: [2], dataType: DataType.DOUBLE, doubleData: [0.1, 0.2] }).data)).toEqual([0.1, 0.2]);
    const longs = [{ low: -1, high: -1, unsigned: false }, { low: 5, high: 1, unsigned: false }];
    expect(Array.from(readTensor('t', 'x', { dims: [2], dataType: DataType.INT64, int64Data: longs }).data)).toEqual([-1, 2 ** 32 + 5]);
    expect(readTensor('t', 'x', { dims: [0, 4], dataType: DataType.FLOAT }).data.length).toBe(0);
  });

  it('refuses int64 values beyond 2^53, mismatched sizes, segments and unknown types', () => {
    const big = new Uint8Array(8);
    new DataView(big.buffer).setBigInt64(0, 2n ** 60n, true);
    expect(() => readTensor('t', 'x', { dims: [1], dataType: DataType.INT64, rawData: big })).toThrow(/element 0 of x is 1152921504606846976, beyond the integers/);
    expect(() => readTensor('t', 'x', { dims: [3], dataType: DataType.DOUBLE, doubleData: [1] })).toThrow(/x of shape \(3,\) needs 3 values, the file holds 1/);
    expect(() => readTensor('t', 'x', { dims: [2], dataType: DataType.FLOAT, segment: { begin: 0, end: 1 } })).toThrow(/segment/);
    expect(() => readTensor('t', 'x', { dims: [1], dataType: 99 })).toThrow(/data type unknown type 99/);
    expect(() => readTensor('t', 'x', { dims: [1], dataType: DataType.STRING })).toThrow(ValueError);
  });
});

describe('checkedSize', () => {
  it('multiplies dims and stops at the limit before overflowing', () => {
    expect(checkedSize('t', 'x', [2, 3, 4])).toBe(24);
    expect(checkedSize('t', 'x', [])).toBe(1);
    expect(checkedSize('t', 'x', [MAX_TENSOR_ELEMENTS])).toBe(MAX_TENSOR_ELEMENTS);
    expect(() => checkedSize('t', 'x', [MAX_TENSOR_ELEMENTS, 2])).toThrow(ValueError);
    expect(() => checkedSize('t', 'x', [2 ** 30, 2 ** 30, 2 ** 30, 0])).toThrow(/more than the/);
    expect(() => checkedSize('t', 'x', [1.5])).toThrow(/dimensions must be integers >= 0/);
  });
});

describe('writeTensor', () => {
  it('writes little-endian float32 or float64 raw data that readTensor reads back', () => {
    const values = [0.1, -3, 1e-20, 65504];
    const t64 = writeTensor('w', [2, 2], values, 'float64');
    expect([t64.dataType, t64.rawData?.length, ...readTensor('t', 'w', t64).data]).toEqual([DataType.DOUBLE, 32, ...values]);
    const t32 = writeTensor('w', [4], values, 'float32');
    expect([t32.dataType, t32.rawData?.length, ...readTensor('t', 'w', t32).data]).toEqual([DataType.FLOAT, 16, ...values.map(Math.fround)]);
    expect(t32.rawData?.slice(4, 8)).toEqual(Uint8Array.of(0, 0, 0x40, 0xc0)); // -3 as float32, little-endian
  });

  it('names data types for messages', () => {
    expect([dataTypeName(DataType.FLOAT), dataTypeName(DataType.BFLOAT16), dataTypeName(123), dataTypeName(undefined)]).toEqual(['FLOAT', 'BFLOAT16', 'unknown type 123', 'UNDEFINED']);
  });
});
