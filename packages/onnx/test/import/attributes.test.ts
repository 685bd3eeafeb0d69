import { ValueError } from '@smolml/core';
import { describe, expect, it } from 'vitest';
import { Attributes, shortestFloat32 } from '../../src/import/attributes.js';
import { attr } from '../models.js';

describe('shortestFloat32', () => {
  it('gives back the decimal a float32 was written from', () => {
    for (const x of [0.2, 0.01, 1e-5, 0.3, 1, 0.1, 1e-3, 3.14159, 123.456]) expect(shortestFloat32(Math.fround(x))).toBe(x);
  });

  it('keeps float32 values that need all 9 digits, and non-finite ones', () => {
    const f = Math.fround(1 / 3);
    expect(Math.fround(shortestFloat32(f))).toBe(f);
    expect(shortestFloat32(Infinity)).toBe(Infinity);
    expect(Number.isNaN(shortestFloat32(NaN))).toBe(true);
  });
});

describe('Attributes', () => {
  it('reads ints, floats, strings with defaults', () => {
    const a = new Attributes([attr.int('axis', -1), attr.float('alpha', 0.2), attr.ints('pads', [1, 1, 1, 1]), attr.string('mode', 'constant')], 'n', ['axis', 'alpha', 'pads', 'mode', 'other']);
    expect([a.int('axis', 1), a.float('alpha', 0), a.ints('pads'), a.string('mode', 'x'), a.int('other', 7), a.has('other')]).toEqual([-1, 0.2, [1, 1, 1, 1], 'constant', 7, false]);
  });

  it('infers the type of attributes old exporters left untyped', () => {
    const a = new Attributes([{ name: 'k', ints: [3, 3] }, { name: 'f', f: 0.5 }, { name: 'i', i: 4 }], 'n', ['k', 'f', 'i']);
    expect([a.ints('k'), a.float('f', 0), a.int('i', 0)]).toEqual([[3, 3], 0.5, 4]);
  });

  it('refuses unknown, repeated, mistyped and function-referencing attributes', () => {
    expect(() => new Attributes([attr.int('bogus', 1)], 'node X', ['axis'])).toThrow(new ValueError("node X: unsupported attribute 'bogus' (smolml reads axis)"));
    expect(() => new Attributes([attr.int('axis', 1), attr.int('axis', 2)], 'n', ['axis'])).toThrow(/attribute 'axis' appears twice/);
    expect(() => new Attributes([attr.float('axis', 1)], 'n', ['axis']).int('axis', 0)).toThrow(/attribute 'axis' must be an int/);
    expect(() => new Attributes([{ name: 'axis', refAttrName: 'outer', type: 2 }], 'n', ['axis'])).toThrow(/function attribute/);
  });
});
