/** Bad input gets a typed error whose message names the operation, the shapes and what to do. */
import { describe, expect, it } from 'vitest';
import { AutodiffError, MLArray, ShapeError, ValueError, createRng } from '../src/index.js';
import { expectError } from './helpers.js';

describe('typed errors', () => {
  it('matmul names both shapes (SPEC example)', () => {
    const a = MLArray.zeros([32, 784]);
    const b = MLArray.zeros([10, 128]);
    expectError(() => a.matmul(b), ShapeError, 'matmul: cannot multiply (32, 784) by (10, 128)');
    expectError(() => MLArray.zeros([3]).matmul(MLArray.zeros([4])), ShapeError, 'matmul: cannot multiply (3,) by (4,)');
    expectError(() => MLArray.scalar(1).matmul(a), ShapeError, /use mul\(\) for scalars/);
    expectError(() => MLArray.zeros([2, 3, 4]).matmul(MLArray.zeros([3, 4, 5])), ShapeError, 'matmul: cannot multiply (2, 3, 4) by (3, 4, 5)');
    expectError(() => MLArray.zeros([3, 4]).matmul(MLArray.zeros([2, 5, 6])), ShapeError, 'matmul: cannot multiply (3, 4) by (2, 5, 6)');
  });

  it('broadcasting mismatch names op and both shapes', () => {
    expectError(() => MLArray.zeros([3, 4]).add(MLArray.zeros([5])), ShapeError, /^add: cannot broadcast \(3, 4\) with \(5,\)/);
    expectError(() => MLArray.zeros([2, 3]).mul(MLArray.zeros([3, 2])), ShapeError, /^mul: cannot broadcast \(2, 3\) with \(3, 2\)/);
  });

  it('reshape to an incompatible shape', () => {
    expectError(() => MLArray.zeros([3, 4]).reshape([5, 2]), ShapeError, /reshape: cannot reshape \(3, 4\) \(12 elements\) into \(5, 2\) \(10 elements\)/);
    expectError(() => MLArray.zeros([3, 4]).reshape([-1, -1]), ShapeError, /only one -1/);
    expectError(() => MLArray.zeros([3, 4]).reshape([5, -1]), ShapeError, /cannot reshape \(3, 4\)/);
  });

  it('axis out of range', () => {
    expectError(() => MLArray.zeros([3, 4]).sum(2), ShapeError, /sum: axis 2 is out of range for an array with 2 dimension\(s\)/);
    expectError(() => MLArray.zeros([3, 4]).softmax(-3), ShapeError, /softmax: axis -3 is out of range/);
    expectError(() => MLArray.zeros([3, 4]).transpose([0, 0]), ShapeError, /transpose: axes \[0, 0\] are not a permutation/);
  });

  it('ragged or non-numeric nested input', () => {
    expectError(() => MLArray.from([[1, 2], [3]]), ShapeError, /ragged nested array: the array at index \[1\] has length 1, expected 2/);
    expectError(() => MLArray.from([[1, 2], 3] as never), ShapeError, /expected an array at index \[1\]/);
    expectError(() => MLArray.from([[1, 'a']] as never), ValueError, /expected numbers, got string at index \[0\]\[1\]/);
    expectError(() => MLArray.from([1, 2, 3], { shape: [2, 2] }), ShapeError, /3 values cannot fill shape \(2, 2\)/);
    expectError(() => MLArray.zeros([2, -1]), ShapeError, /invalid shape/);
  });

  it('non-finite scalars where not allowed', () => {
    const x = MLArray.ones([2]);
    expectError(() => x.add(NaN), ValueError, /add: scalar operand must be a finite number, got NaN/);
    expectError(() => x.mul(Infinity), ValueError, /mul: scalar operand must be a finite number/);
    expectError(() => x.pow(NaN), ValueError, /pow: exponent must be a finite number/);
    expectError(() => x.leakyRelu(NaN), ValueError, /leakyRelu: alpha/);
    expectError(() => x.clip(2, 1), ValueError, /clip: need numbers min <= max/);
    expectError(() => createRng(NaN), ValueError, /createRng: seed must be a finite number/);
  });

  it('domain errors instead of silent NaN', () => {
    expectError(() => MLArray.from([1, -2]).log(), ValueError, /log: logarithm of a negative number \(element 1 is -2\)/);
    expectError(() => MLArray.from([-1]).sqrt(), ValueError, /sqrt: square root of a negative number/);
    expectError(() => MLArray.from([-1]).pow(0.5), ValueError, /pow: negative base with fractional exponent 0.5/);
    expectError(() => MLArray.from([1, 2]).variance(null, false, 2), ValueError, /variance: need 0 <= ddof < n/);
    expectError(() => MLArray.zeros([0, 3]).mean(0), ValueError, /mean: cannot average over an empty axis/);
    expectError(() => MLArray.zeros([0]).max(), ValueError, /max: cannot reduce an empty axis/);
    expectError(() => MLArray.from([1, 0]).div(MLArray.from([2, 0])), ValueError, /div: element 1 of the result is NaN \(0\/0/);
    expect(MLArray.from([1, -1]).div(0).toArray()).toEqual([Infinity, -Infinity]); // IEEE, not NaN
    expect(Number.isNaN(MLArray.from([NaN]).div(2).item())).toBe(true); // NaN in, NaN out: not created here
  });

  it('take with bad indices; item on many elements', () => {
    expectError(() => MLArray.zeros([3, 2]).take([0, 3]), ValueError, /take: index 3 \(position 1\) is out of range for axis 0 of size 3/);
    expectError(() => MLArray.zeros([3, 2]).take([0.5]), ValueError, /take: index 0.5/);
    expectError(() => MLArray.zeros([3, 2]).item(), ShapeError, /item: only one-element arrays convert to a number, got shape \(3, 2\)/);
  });

  it('autodiff misuse', () => {
    expectError(() => MLArray.ones([2], { requiresGrad: true }).mul(2).backward(), AutodiffError, /upstream gradient is required/);
  });
});
