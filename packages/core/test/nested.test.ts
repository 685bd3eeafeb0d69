/**
 * Nested arrays in and out (src/nested.ts): linear in the input, depth-limited on the way in,
 * depth-safe on the way out (issue 10, defects 1 and 13).
 */
import { describe, expect, it } from 'vitest';
import { MLArray, ShapeError, ValueError } from '../src/index.js';
import { MAX_NESTING } from '../src/nested.js';

const deep = (depth: number): unknown => JSON.parse('['.repeat(depth) + '1' + ']'.repeat(depth));

describe('MLArray.from on nested arrays', () => {
  it('refuses 40,000 levels of nesting at once with a ShapeError (it used to run out of heap)', () => {
    const input = deep(40_000);
    expect(() => MLArray.from(input as never)).toThrow(ShapeError);
    expect(() => MLArray.from(input as never)).toThrow(
      'MLArray.from: nested input is more than 64 levels deep; arrays have at most 64 dimensions',
    );
  });

  it('accepts exactly 64 levels and refuses 65', () => {
    expect(MAX_NESTING).toBe(64);
    const ok = MLArray.from(deep(64) as never);
    expect(ok.ndim).toBe(64);
    expect(ok.item()).toBe(1);
    expect(() => MLArray.from(deep(65) as never)).toThrow(ShapeError);
  });

  it('converts a 1000 x 1000 input exactly, row-major', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => Array.from({ length: 1000 }, (_, j) => i * 1000 + j + 0.5));
    const x = MLArray.from(rows);
    expect(x.shape).toEqual([1000, 1000]);
    let wrong = 0;
    for (let k = 0; k < x.size; k++) if (x.data[k] !== k + 0.5) wrong++;
    expect(wrong).toBe(0);
    expect(x.toArray2D()).toEqual(rows);
  });

  it('names the index path of a ragged or non-numeric entry at any depth', () => {
    const ragged = [[[1, 2], [3, 4]], [[5, 6], [7]]];
    expect(() => MLArray.from(ragged)).toThrow(/ragged nested array: the array at index \[1\]\[1\] has length 1, expected 2/);
    expect(() => MLArray.from([[[1, 2]], [[3, 4]], [5]] as never)).toThrow(/expected an array at index \[2\]\[0\], got number/);
    expect(() => MLArray.from([[1, 2], [3, [4]]] as never)).toThrow(/unexpected extra nesting at index \[1\]\[1\]/);
    expect(() => MLArray.from([[[1, 2]], [[3, null]]] as never)).toThrow(ValueError);
    expect(() => MLArray.from([[[1, 2]], [[3, null]]] as never)).toThrow(/expected numbers, got null at index \[1\]\[0\]\[1\]/);
    expect(() => MLArray.from([1, 'a'] as never)).toThrow(/expected numbers, got string at index \[1\]/);
  });

  it('a ragged input claiming a huge shape is refused before anything that size is allocated', () => {
    // first row has 100,000 entries, the other 99,999 rows one each: 200,000 numbers claiming 1e10
    const rows: number[][] = [new Array<number>(100_000).fill(0)];
    for (let i = 1; i < 100_000; i++) rows.push([0]);
    expect(() => MLArray.from(rows)).toThrow(/the array at index \[1\] has length 1, expected 100000/);
  });

  it('keeps empty axes and plain numbers', () => {
    expect(MLArray.from([]).shape).toEqual([0]);
    expect(MLArray.from([[], []]).shape).toEqual([2, 0]);
    expect(() => MLArray.from([[], [1]])).toThrow(/the array at index \[1\] has length 1, expected 0/);
    expect(MLArray.from(2.5).shape).toEqual([]);
  });
});

describe('toArray, toArray1D, toArray2D, toString', () => {
  it('a 2000-dimension array (made by reshape, which stays allowed) converts and prints without overflowing the stack', () => {
    const shape = new Array<number>(2000).fill(1);
    const x = MLArray.from([7]).reshape(shape);
    expect(x.ndim).toBe(2000);
    let v: unknown = x.toArray();
    let depth = 0;
    while (Array.isArray(v)) {
      expect(v).toHaveLength(1);
      v = v[0];
      depth++;
    }
    expect([depth, v]).toEqual([2000, 7]);
    const s = x.toString();
    expect(s.startsWith(`MLArray(${'['.repeat(2000)}7.${']'.repeat(2000)}, shape=(1, 1, 1`)).toBe(true);
    const wide = MLArray.zeros([2, 1, 3]).reshape([2, ...new Array<number>(1500).fill(1), 3]);
    expect(wide.toString().split('\n')).toHaveLength(1502); // the two blocks sit ndim - 1 = 1501 newlines apart, as numpy prints them
  });

  it('toArray1D / toArray2D give typed plain arrays, or a ShapeError naming the shape', () => {
    const v: number[] = MLArray.from([1, 2, 3]).toArray1D();
    const m: number[][] = MLArray.from([[1, 2], [3, 4]]).toArray2D();
    expect(v).toEqual([1, 2, 3]);
    expect(m).toEqual([[1, 2], [3, 4]]);
    expect(MLArray.zeros([0, 3]).toArray2D()).toEqual([]);
    expect(MLArray.zeros([2, 0]).toArray2D()).toEqual([[], []]);
    expect(() => MLArray.from([[1, 2]]).toArray1D()).toThrow(ShapeError);
    expect(() => MLArray.from([[1, 2]]).toArray1D()).toThrow('toArray1D: expected a 1-d array, got shape (1, 2) (2-d); use toArray() or reshape first');
    expect(() => MLArray.scalar(1).toArray2D()).toThrow('toArray2D: expected a 2-d array, got shape () (0-d)');
  });
});
