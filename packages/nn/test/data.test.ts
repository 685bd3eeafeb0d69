import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MLArray, ShapeError, ValueError } from '@smolml/core';
import { StandardScaler, accuracy, countHits, oneHot, toLabels, trainTestSplit } from '../src/data.js';

describe('oneHot', () => {
  it('encodes labels, inferring the number of classes', () => {
    expect(oneHot([0, 2, 1]).toArray()).toEqual([[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
    expect(oneHot(MLArray.from([[1], [0]]), 4).toArray()).toEqual([[0, 1, 0, 0], [1, 0, 0, 0]]);
  });
  it('rejects non-integer, negative or out-of-range labels and bad shapes', () => {
    expect(() => oneHot([0, 1.5])).toThrow(/non-negative integers, got 1.5 at index 1/);
    expect(() => oneHot([-1])).toThrow(ValueError);
    expect(() => oneHot([0, 3], 3)).toThrow(/label 3 at index 1 is out of range for 3 classes/);
    expect(() => oneHot([0], 0)).toThrow('oneHot: numClasses must be an integer >= 1, got 0');
    expect(() => oneHot([[0, 1]])).toThrow(ShapeError);
  });
});

describe('trainTestSplit', () => {
  const X = Array.from({ length: 10 }, (_, i) => [i, 10 * i]);
  const y = Array.from({ length: 10 }, (_, i) => i);
  it('splits rows consistently, without overlap, reproducibly for a seed', () => {
    const a = trainTestSplit(X, y, { testSize: 0.3, seed: 5 });
    expect(a.XTrain.shape).toEqual([7, 2]);
    expect(a.XTest.shape).toEqual([3, 2]);
    expect(a.yTrain.shape).toEqual([7]);
    const all = [...a.yTrain.data, ...a.yTest.data].sort((p, q) => p - q);
    expect(all).toEqual(y);
    for (let i = 0; i < 7; i++) expect(a.XTrain.data[2 * i]).toBe(a.yTrain.data[i]); // rows stay paired
    const b = trainTestSplit(X, y, { testSize: 0.3, seed: 5 });
    expect(Array.from(b.yTest.data)).toEqual(Array.from(a.yTest.data));
    const c = trainTestSplit(X, y, { testSize: 0.3, seed: 6 });
    expect(Array.from(c.yTrain.data)).not.toEqual(Array.from(a.yTrain.data));
    expect(Array.from(a.yTrain.data)).not.toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
  it('takes a count, rounds fractions up, and can keep the order', () => {
    expect(trainTestSplit(X, y, { testSize: 4 }).XTest.shape).toEqual([4, 2]);
    expect(trainTestSplit(X, y, { testSize: 0.25 }).XTest.shape).toEqual([3, 2]);
    expect(Array.from(trainTestSplit(X, y, { testSize: 2, shuffle: false }).yTest.data)).toEqual([8, 9]);
  });
  it('rejects bad sizes and mismatched rows', () => {
    expect(() => trainTestSplit(X, y, { testSize: 10 })).toThrow(/leaves none of the 10 for training/);
    expect(() => trainTestSplit(X, y, { testSize: 0 })).toThrow(ValueError);
    expect(() => trainTestSplit(X, y, { testSize: 1.5 })).toThrow(ValueError);
    expect(() => trainTestSplit(X, y.slice(1))).toThrow(ShapeError);
  });
});

describe('StandardScaler', () => {
  const X = [[1, 5, 2], [3, 5, 4], [5, 5, 9]];
  it('standardises with the population std (ddof 0)', () => {
    const s = new StandardScaler();
    const z = s.fitTransform(X);
    expect(Array.from(s.mean!.data)).toEqual([3, 5, 5]);
    const std0 = Math.sqrt(8 / 3);
    expect(s.scale!.data[0]).toBeCloseTo(std0, 15);
    expect(z.data[0]).toBeCloseTo(-2 / std0, 15);
    // each non-constant column: mean 0, population variance 1
    for (const j of [0, 2]) {
      const col = [0, 1, 2].map((i) => z.data[i * 3 + j]!);
      expect(col.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 14);
      expect(col.reduce((a, b) => a + b * b, 0) / 3).toBeCloseTo(1, 14);
    }
  });
  it('centres a constant column without NaN (scale 1)', () => {
    const s = new StandardScaler().fit([[0.1, 1], [0.1, 2], [0.1, 3]]);
    expect(s.scale!.data[0]).toBe(1);
    const z = s.transform([[0.1, 2], [0.3, 2]]);
    expect(z.data[0]).toBe(0);
    expect(z.data[2]).toBeCloseTo(0.2, 15);
    expect(z.data.every(Number.isFinite)).toBe(true);
  });
  it('inverseTransform undoes transform, and uses the fitted statistics on new data', () => {
    const s = new StandardScaler().fit(X);
    const back = s.inverseTransform(s.transform(MLArray.from([[2, 5, 3]])));
    [2, 5, 3].forEach((v, i) => expect(back.data[i]).toBeCloseTo(v, 14));
  });
  it('errors: transform before fit, wrong columns, non-finite input, 1-D input', () => {
    expect(() => new StandardScaler().transform(X)).toThrow(/call fit\(\) first/);
    expect(() => new StandardScaler().fit(X).transform([[1, 2]])).toThrow(/fitted on 3 columns, received X of shape \(1, 2\)/);
    expect(() => new StandardScaler().fit([[1, NaN]])).toThrow(/contains NaN at row 0, column 1/);
    expect(() => new StandardScaler().fit([1, 2, 3])).toThrow(ShapeError);
  });

  it('gives finite statistics and results for data of +-1e200 and near the float64 limit', () => {
    const s = new StandardScaler();
    const z = s.fitTransform([[1e200, -3e200], [-1e200, 1e200], [1e200, 5e200], [-1e200, 1e200]]);
    expect(Array.from(s.mean!.data)).toEqual([0, 1e200]);
    expect(s.scale!.data[0]).toBe(1e200);
    expect(s.scale!.data[1]).toBeCloseTo(Math.sqrt(8) * 1e200, -186);
    expect(z.data[0]).toBe(1);
    expect(z.data[1]).toBeCloseTo(-4 / Math.sqrt(8), 14);
    expect(z.data.every(Number.isFinite)).toBe(true);
    // the naive sum of squares overflows here (1.5e308 ** 2); the difference v - mean too
    const big = new StandardScaler().fit([[1.5e308], [-1.5e308]]);
    expect(big.mean!.data[0]).toBe(0);
    expect(big.scale!.data[0]).toBe(1.5e308);
    const zb = big.transform([[1.5e308], [-1.5e308], [1.7e308]]);
    expect(Array.from(zb.data)).toEqual([1, -1, 1.7e308 / 1.5e308]);
    const off = new StandardScaler().fit([[1.7e308], [1.6e308], [-1.7e308]]);
    expect(off.transform([[-1.7e308]]).data.every(Number.isFinite)).toBe(true);
    const back = off.inverseTransform(off.transform([[1.7e308], [-1.7e308]])).data;
    expect(back[0]! / 1.7e308).toBeCloseTo(1, 14);
    expect(back[1]! / -1.7e308).toBeCloseTo(1, 14);
    // and tiny data is scaled too (its squares underflow to 0 without the prescaling)
    const tiny = new StandardScaler().fitTransform([[1e-300], [3e-300]]);
    expect(tiny.data[0]).toBeCloseTo(-1, 14);
    expect(tiny.data[1]).toBeCloseTo(1, 14);
  });

  it('for ordinary data, the power-of-two prescaling changes no bit (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((v) => v === 0 || Math.abs(v) > 1e-150), { minLength: 2, maxLength: 30 }), (col) => {
        fc.pre(new Set(col).size > 1);
        const n = col.length;
        const m = col.reduce((a, v) => a + v, 0) / n;
        const std = Math.sqrt(col.reduce((a, v) => a + (v - m) ** 2, 0) / n);
        const s = new StandardScaler().fit(col.map((v) => [v]));
        expect(s.mean!.data[0]).toBe(m);
        expect(s.scale!.data[0]).toBe(std > 0 ? std : 1);
      }),
      { numRuns: 200, seed: 13 },
    );
  });
});

describe('accuracy', () => {
  it('compares labels, one-hot rows and probabilities', () => {
    expect(accuracy([[0.9, 0.1], [0.2, 0.8]], [0, 0])).toBe(0.5);
    expect(accuracy([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]], [[0, 1, 0], [0, 0, 1]])).toBe(0.5);
    expect(accuracy([1, 2, 3, 4], [1, 2, 0, 4])).toBe(0.75);
    expect(accuracy(MLArray.from([[0.7], [0.2], [0.5]]), [[1], [0], [1]])).toBeCloseTo(2 / 3, 15);
    expect(accuracy([[0.3], [-0.2]], [[1], [0]], { threshold: 0 })).toBe(1);
  });
  it('rejects mismatched rows', () => {
    expect(() => accuracy([1, 2], [1])).toThrow(ShapeError);
  });
  it('countHits on labels and single columns (compared row by row) counts what the label arrays of toLabels give', () => {
    // values around the thresholds, NaN and non-integer labels included
    const value = fc.oneof(fc.constantFrom(0, 0.5, 1, 2, -0, Number.NaN), fc.double({ min: -2, max: 2, noNaN: true }));
    fc.assert(
      fc.property(fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 12 }), fc.boolean(), fc.boolean(), fc.constantFrom(0, 0.5), (rows, pColumn, tColumn, threshold) => {
        const n = rows.length;
        const pred = MLArray.from(Float64Array.from(rows, (r) => r[0]), { shape: pColumn ? [n, 1] : [n] });
        const y = MLArray.from(Float64Array.from(rows, (r) => r[1]), { shape: tColumn ? [n, 1] : [n] });
        const lp = toLabels(pred, threshold);
        const lt = toLabels(y, 0.5);
        expect(countHits(pred, y, threshold)).toBe(Array.from(lp).filter((v, i) => v === lt[i]).length);
      }),
      { seed: 14, numRuns: 300 },
    );
  });
});
