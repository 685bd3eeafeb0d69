import { ValueError } from '@smolml/core';
import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, int64ToNumber } from '../src/proto.js';

describe('int64ToNumber', () => {
  it('reads numbers and protobufjs Long halves, signed and unsigned', () => {
    expect(int64ToNumber('t', 'x', 42)).toBe(42);
    expect(int64ToNumber('t', 'x', undefined)).toBe(0);
    expect(int64ToNumber('t', 'x', { low: 3, high: 0, unsigned: false })).toBe(3);
    expect(int64ToNumber('t', 'x', { low: -2, high: -1, unsigned: false })).toBe(-2);
    expect(int64ToNumber('t', 'x', { low: 0, high: 2 ** 21 - 1, unsigned: true })).toBe((2 ** 21 - 1) * 2 ** 32);
  });

  it('refuses what a number cannot hold exactly, printing the exact value', () => {
    expect(() => int64ToNumber('t', 'x', { low: 1, high: 2 ** 21, unsigned: false })).toThrow(/t: x is 9007199254740993, beyond the integers/);
    expect(() => int64ToNumber('t', 'x', { low: 0, high: -1 >>> 0, unsigned: true })).toThrow(/18446744069414584320/);
    expect(() => int64ToNumber('t', 'x', 2 ** 60)).toThrow(ValueError);
  });
});

describe('decodeModel / encodeModel', () => {
  it('round-trips a model and returns a plain Uint8Array', () => {
    const bytes = encodeModel({ irVersion: 8, producerName: 'test', opsetImport: [{ domain: '', version: 17 }] });
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
    const m = decodeModel('t', bytes);
    expect([int64ToNumber('t', 'ir', m.irVersion), m.producerName]).toEqual([8, 'test']);
  });

  it('turns protobuf failures into ValueError', () => {
    // field 7 (graph), length 100, but only 2 bytes follow
    expect(() => decodeModel('t', Uint8Array.of(0x3a, 100, 1, 2))).toThrow(/t: the 4 bytes are not a readable ONNX model \(protobuf decoding failed: index out of range/);
    // wire type 7 does not exist
    expect(() => decodeModel('t', Uint8Array.of(0x0f))).toThrow(ValueError);
  });
});
