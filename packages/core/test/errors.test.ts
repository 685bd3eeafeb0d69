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

  it('the constructor checks its data and shape (issue 10, defect 13)', () => {
    expectError(() => new MLArray(new Float64Array(1), [0.5, 2]), ShapeError, /MLArray: invalid shape \[0\.5, 2\] \(array\): every dimension must be a non-negative integer, got 0\.5/);
    expectError(() => new MLArray(new Float64Array(2), [-1, -2]), ShapeError, /invalid shape/);
    expectError(() => new MLArray(new Float64Array(2), 'ab' as never), ShapeError, /MLArray: shape must be an array of integers, got "ab" \(string\)/);
    expectError(() => new MLArray(new Float64Array(3), [2]), ShapeError, 'MLArray: 3 values do not fill shape (2,) (2 elements)');
    expectError(() => new MLArray([1, 2] as never, [2]), ValueError, /MLArray: data must be a Float64Array, got \[1, 2\] \(array\); use MLArray\.from/);
    expectError(() => new MLArray(new Float32Array(2) as never, [2]), ValueError, /data must be a Float64Array, got Float32Array of 2 elements/);
  });

  it('absurd sizes are refused before anything is allocated, naming the count and the limit', () => {
    const limit = /more than the limit of 2147483647 \(2\^31 - 1\) elements per array/;
    expectError(() => MLArray.zeros([1e9, 1e9]), ValueError, /^MLArray\.zeros: shape \(1000000000, 1000000000\) has 1\.000e\+18 elements/);
    expectError(() => MLArray.zeros([1e9, 1e9]), ValueError, limit);
    expectError(() => MLArray.ones([65536, 65536]), ValueError, /MLArray\.ones: shape \(65536, 65536\) has 4294967296 elements/);
    expectError(() => MLArray.full([2 ** 31], 1), ValueError, limit);
    expectError(() => MLArray.rand([1e5, 1e5], createRng(1)), ValueError, /MLArray\.rand: .* has 10000000000 elements/);
    expectError(() => MLArray.randn([1e5, 1e5], createRng(1)), ValueError, /MLArray\.randn/);
    expectError(() => MLArray.from({ length: 2 ** 32 } as never), ValueError, /MLArray\.from: shape \(4294967296,\)/);
    expectError(() => MLArray.from([1, 2], { shape: [1e9, 1e9] }), ShapeError, /2 values cannot fill shape/);
    // results of operations too: broadcasting and products that would not fit
    const col = MLArray.zeros([100000, 1]);
    const row = MLArray.zeros([1, 100000]);
    expectError(() => col.add(row), ValueError, /^add: shape \(100000, 100000\) has 10000000000 elements/);
    expectError(() => col.matmul(row), ValueError, /^matmul: shape \(100000, 100000\) has 10000000000 elements/);
    expectError(() => MLArray.rand([2], {} as never), ValueError, /MLArray\.rand: rng must be an Rng from createRng\(seed\), got object \{\}/);
  });

  it('.grad accepts only null or an array of the same shape', () => {
    const x = MLArray.zeros([3], { requiresGrad: true });
    expectError(() => (x.grad = MLArray.zeros([2])), ShapeError, 'grad: an array of shape (2,) cannot be the gradient of an array of shape (3,)');
    expectError(() => (x.grad = MLArray.zeros([3, 1])), ShapeError, /shape \(3, 1\)/);
    expectError(() => (x.grad = [1, 2, 3] as never), ValueError, 'grad: must be an MLArray or null, got [1, 2, 3] (array)');
    expectError(() => (x.grad = undefined as never), ValueError, /got undefined/);
    expect(x.grad).toBeNull();
    const g = MLArray.ones([3]);
    x.grad = g;
    expect(x.grad).toBe(g);
    x.grad = null;
    expect(x.grad).toBeNull();
  });

  it('axes of a 0-d array: a well-formed message', () => {
    expectError(() => MLArray.scalar(1).sum(0), ShapeError, 'sum: axis 0 is out of range: a 0-d array has no axes');
    expectError(() => MLArray.scalar(1).take([0]), ShapeError, 'take: axis 0 is out of range: a 0-d array has no axes');
    expectError(() => MLArray.scalar(1).transpose([0]), ShapeError, /transpose: axis 0 is out of range: a 0-d array has no axes/);
  });

  it('other bad arguments: typed errors with bounded messages, never a raw TypeError', () => {
    expectError(() => MLArray.zeros([2]).take(5 as never), ValueError, /take: indices must be an array of integers, got 5/);
    expectError(() => MLArray.zeros([2]).take(['0'] as never), ValueError, /take: index "0" \(string\) \(position 0\)/);
    expectError(() => MLArray.zeros([2, 2]).transpose(Array.from({ length: 50 }, () => 0)), ShapeError, /axes \[0, 0, 0, 0, 0, 0, 0, 0, \.\.\.\] are not/);
    expectError(() => MLArray.zeros([2]).add('x' as never), ValueError, /add: operand must be an MLArray or a number, got "x" \(string\)/);
    expectError(() => MLArray.from(Symbol('s') as never), ValueError, /MLArray.from: expected a number, a nested array or an array-like of numbers, got Symbol\(s\) \(symbol\)/);
    expectError(() => MLArray.from(new BigInt64Array(2) as never), ValueError, /expected numbers, got 0 \(bigint\) at index 0/);
    expectError(() => MLArray.from([1, 2]).backward('x' as never), ShapeError, /backward: upstream gradient of shape string does not match/);
  });
});
