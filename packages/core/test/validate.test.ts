import { describe, expect, it } from 'vitest';
import { ValueError } from '../src/index.js';
import {
  checkInteger,
  checkNumber,
  checkOptions,
  closestName,
  describeValue,
  formatInterval,
  interval,
  nonNegative,
  ownEntry,
  positive,
  unitOpenRight,
} from '../src/internal.js';

describe('describeValue', () => {
  it('shows the value and its type', () => {
    expect(describeValue([2])).toBe('[2] (array)');
    expect(describeValue('relu')).toBe('"relu" (string)');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(3)).toBe('3');
    expect(describeValue(true)).toBe('true (boolean)');
    expect(describeValue(new Float64Array(4))).toBe('Float64Array of 4 elements');
    expect(describeValue(new Map())).toBe('Map instance {}');
  });
  it('stays short for huge, cyclic and deep values', () => {
    expect(describeValue('x'.repeat(50_000_000)).length).toBeLessThan(80);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(describeValue(cyclic)).toBe('object {a, self}');
    let deep: unknown[] = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(describeValue(deep)).toBe('[[..]] (array)');
    expect(describeValue(Array.from({ length: 1e6 }, (_, i) => i)).length).toBeLessThan(90);
  });
});

describe('checkOptions', () => {
  it('treats null and undefined as defaults', () => {
    expect(checkOptions('op', null, ['a'])).toEqual({});
    expect(checkOptions('op', undefined, ['a'])).toEqual({});
  });
  it('suggests the closest known key', () => {
    expect(() => checkOptions('train', { epoch: 5 }, ['epochs', 'batchSize'])).toThrow(
      "train: unknown option 'epoch'; did you mean 'epochs'?; known options: epochs, batchSize",
    );
    expect(() => checkOptions('train', { zzz: 1 }, ['epochs'])).toThrow(/unknown option 'zzz'; known options: epochs$/);
    expect(() => checkOptions('op', [] as unknown as object, ['a'])).toThrow(ValueError);
    expect(closestName('binaryCrossentropy', ['binaryCrossEntropy', 'mseLoss'])).toBe('binaryCrossEntropy');
    expect(closestName('learning_rate', ['lr', 'momentum'])).toBeUndefined();
    // a hostile 50 MB name is compared by its first 64 characters only
    expect(closestName('epochs' + 'x'.repeat(50_000_000), ['epochs'])).toBeUndefined();
    expect(closestName('relu' + ' '.repeat(50_000_000), ['relu', 'tanh'])).toBeUndefined();
  });
});

describe('intervals', () => {
  it('parses and checks', () => {
    expect(formatInterval(interval('[0, 1)'))).toBe('[0, 1)');
    expect(formatInterval(positive)).toBe('(0, inf)');
    expect(checkNumber('Adam', 'beta1', 0.9, unitOpenRight)).toBe(0.9);
    expect(() => checkNumber('Adam', 'beta1', 1, unitOpenRight)).toThrow('Adam: beta1 must be a finite number in [0, 1), got 1');
    expect(() => checkNumber('SGD', 'lr', 0, positive)).toThrow(/\(0, inf\), got 0$/);
    expect(() => checkNumber('SGD', 'lr', null, nonNegative)).toThrow(/got null$/);
    expect(() => checkNumber('SGD', 'lr', NaN, nonNegative)).toThrow(/got NaN$/);
    expect(checkInteger('train', 'epochs', 0, 0)).toBe(0);
    expect(() => checkInteger('train', 'epochs', 1.5)).toThrow('train: epochs must be an integer >= 1, got 1.5');
    expect(() => interval('0..1')).toThrow(ValueError);
  });
});

describe('ownEntry', () => {
  it('never finds inherited keys', () => {
    const table = { relu: 1 };
    expect(ownEntry(table, 'relu')).toBe(1);
    expect(ownEntry(table, 'constructor')).toBeUndefined();
    expect(ownEntry(table, '__proto__')).toBeUndefined();
    expect(ownEntry(table, 5)).toBeUndefined();
  });
});
