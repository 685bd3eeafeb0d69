/**
 * Bad arguments to conv2d, maxPool2d and avgPool2d: a ShapeError or ValueError naming the op,
 * the shapes or values and what to do, thrown before anything is computed or allocated.
 */
import { describe, expect, it } from 'vitest';
import { MLArray, ShapeError, ValueError } from '../src/index.js';
import { expectError } from './helpers.js';

const x = MLArray.zeros([2, 3, 8, 8]);
const w = MLArray.zeros([4, 3, 3, 3]);

describe('conv2d argument checks', () => {
  it('wrong ranks name the expected layout and the shape received', () => {
    expectError(() => MLArray.zeros([3, 8, 8]).conv2d(w), ShapeError, /^conv2d: input must be 4-D \(N, C, H, W\), got shape \(3, 8, 8\); for a single image add a batch axis: x\.reshape\(\[1, 3, 8, 8\]\)/);
    expectError(() => MLArray.zeros([64, 784]).conv2d(w), ShapeError, /^conv2d: input must be 4-D \(N, C, H, W\), got shape \(64, 784\)$/);
    expectError(() => x.conv2d(MLArray.zeros([4, 27])), ShapeError, /^conv2d: weight must be 4-D \(Cout, Cin, kH, kW\), got shape \(4, 27\)/);
    expectError(() => x.conv2d(2 as unknown as MLArray), ShapeError, /weight must be 4-D .* got shape \(\)/);
    expectError(() => x.conv2d('w' as unknown as MLArray), ValueError, /^conv2d: operand must be an MLArray/);
  });

  it('a bias of the wrong shape or type, or a relu flag that is not a boolean, is refused', () => {
    expectError(() => x.conv2d(w, { bias: MLArray.zeros([3]) }), ShapeError, /^conv2d: bias must have shape \(4,\) \(one number per output channel of weight \(4, 3, 3, 3\)\), got \(3,\)$/);
    expectError(() => x.conv2d(w, { bias: MLArray.zeros([1, 4, 1, 1]) }), ShapeError, /^conv2d: bias must have shape \(4,\) .* got \(1, 4, 1, 1\)$/);
    expectError(() => x.conv2d(w, { bias: [0, 0, 0, 0] as unknown as MLArray }), ValueError, /^conv2d: options.bias must be an MLArray of shape \[Cout\] or null, got/);
    expectError(() => x.conv2d(w, { relu: 'yes' as unknown as boolean }), ValueError, /^conv2d: options.relu must be true or false, got "yes" \(string\)$/);
    expect([...x.conv2d(w, { bias: null, relu: null }).shape]).toEqual([2, 4, 6, 6]);
  });

  it('channel mismatch names both shapes and the axis to fix', () => {
    expectError(() => x.conv2d(MLArray.zeros([4, 1, 3, 3])), ShapeError, /^conv2d: input \(2, 3, 8, 8\) has 3 channels but weight \(4, 1, 3, 3\) expects Cin = 1; axis 1 of the input and of the weight must match/);
  });

  it('empty axes are refused', () => {
    expectError(() => MLArray.zeros([2, 3, 0, 8]).conv2d(w), ShapeError, /conv2d: input \(2, 3, 0, 8\) has an empty channel or spatial axis/);
    expectError(() => x.conv2d(MLArray.zeros([4, 3, 0, 3])), ShapeError, /conv2d: weight \(4, 3, 0, 3\) has an empty axis/);
  });

  it('a kernel larger than the padded input names both sizes and the padding', () => {
    expectError(() => MLArray.zeros([1, 3, 2, 8]).conv2d(w), ShapeError, /^conv2d: kernel 3x3 is larger than the padded input 2x8 \(input \(1, 3, 2, 8\), padding \[0, 0\]\); use a smaller kernel or more padding/);
    expect(MLArray.zeros([1, 3, 2, 8]).conv2d(w, { padding: [1, 0] }).shape).toEqual([1, 4, 2, 6]);
  });

  it('stride must be a positive integer (or a pair), padding a non-negative one', () => {
    expectError(() => x.conv2d(w, { stride: 0 }), ValueError, /^conv2d: stride must be an integer >= 1 or a pair \[h, w\] of them, got 0$/);
    expectError(() => x.conv2d(w, { stride: 1.5 }), ValueError, /stride must be an integer >= 1 .* got 1\.5/);
    expectError(() => x.conv2d(w, { stride: [1, 0] }), ValueError, /stride .* got \[1, 0\] \(array\)/);
    expectError(() => x.conv2d(w, { stride: [1, 2, 3] as unknown as [number, number] }), ValueError, /got \[1, 2, 3\] \(array\)/);
    expectError(() => x.conv2d(w, { stride: '2' as unknown as number }), ValueError, /got "2" \(string\)/);
    expectError(() => x.conv2d(w, { padding: -1 }), ValueError, /^conv2d: padding must be an integer >= 0 or a pair \[h, w\] of them, got -1$/);
    expectError(() => x.conv2d(w, { padding: NaN }), ValueError, /padding .* got NaN/);
  });

  it('unknown options suggest the right name', () => {
    expectError(() => x.conv2d(w, { strides: 2 } as object), ValueError, /conv2d: unknown option 'strides'; did you mean 'stride'\?/);
  });

  it('absurd padding is refused before allocating', () => {
    expectError(() => x.conv2d(w, { padding: 1e6 }), ShapeError, /^conv2d: the output \(2, 4, 2000006, 2000006\) would hold .* reduce the padding or the batch size/);
  });
});

describe('maxPool2d argument checks', () => {
  it('wrong rank, bad kernel, stride and padding', () => {
    expectError(() => MLArray.zeros([8, 8]).maxPool2d(2), ShapeError, /^maxPool2d: input must be 4-D \(N, C, H, W\), got shape \(8, 8\)/);
    expectError(() => x.maxPool2d(0), ValueError, /^maxPool2d: kernelSize must be an integer >= 1 or a pair \[h, w\] of them, got 0$/);
    expectError(() => x.maxPool2d(undefined as unknown as number), ValueError, /kernelSize .* got undefined/);
    expectError(() => x.maxPool2d(2, { stride: 0 }), ValueError, /^maxPool2d: stride must be an integer >= 1/);
    expectError(() => x.maxPool2d(2, { padding: -1 }), ValueError, /^maxPool2d: padding must be an integer >= 0/);
  });

  it('padding above half the kernel is refused (PyTorch rule)', () => {
    expectError(() => x.maxPool2d(3, { padding: 2 }), ValueError, /^maxPool2d: padding \[2, 2\] must be at most half of the kernel size \[3, 3\] .* use padding <= \[1, 1\]/);
    expectError(() => x.maxPool2d([4, 2], { padding: [2, 2] }), ValueError, /padding \[2, 2\] must be at most half of the kernel size \[4, 2\] .*use padding <= \[2, 1\]$/);
    expect(x.maxPool2d([4, 2], { padding: [2, 1] }).shape).toEqual([2, 3, 3, 5]);
  });

  it('a kernel larger than the padded input', () => {
    expectError(() => MLArray.zeros([1, 1, 3, 3]).maxPool2d(4, { padding: 0 }), ShapeError, /^maxPool2d: kernel 4x4 is larger than the padded input 3x3 \(input \(1, 1, 3, 3\), padding \[0, 0\]\); use a smaller kernel or more padding/);
    expect(MLArray.zeros([1, 1, 3, 3]).maxPool2d(4, { padding: 1 }).shape).toEqual([1, 1, 1, 1]);
  });
});

describe('avgPool2d argument checks', () => {
  it('wrong rank, bad kernel and stride, unknown options, kernel too large', () => {
    expectError(() => MLArray.zeros([2, 8, 8]).avgPool2d(2), ShapeError, /^avgPool2d: input must be 4-D .* got shape \(2, 8, 8\); for a single image add a batch axis/);
    expectError(() => x.avgPool2d([2, 0]), ValueError, /^avgPool2d: kernelSize must be an integer >= 1 or a pair \[h, w\] of them, got \[2, 0\] \(array\)/);
    expectError(() => x.avgPool2d(2, { stride: -2 }), ValueError, /^avgPool2d: stride must be an integer >= 1/);
    expectError(() => x.avgPool2d(2, { padding: 1 } as object), ValueError, /^avgPool2d: unknown option 'padding'; known options: stride/);
    expectError(() => x.avgPool2d(9), ShapeError, /^avgPool2d: kernel 9x9 is larger than the padded input 8x8 \(input \(2, 3, 8, 8\), padding \[0, 0\]\); use a smaller kernel or a larger input/);
  });
});

describe('defaults', () => {
  it('stride defaults to 1 for conv2d and to the kernel for pooling; null means the default', () => {
    expect(x.conv2d(w).shape).toEqual([2, 4, 6, 6]);
    expect(x.conv2d(w, { stride: null, padding: null } as object).shape).toEqual([2, 4, 6, 6]);
    expect(x.maxPool2d(2).shape).toEqual([2, 3, 4, 4]);
    expect(x.maxPool2d([2, 4]).shape).toEqual([2, 3, 4, 2]);
    expect(x.avgPool2d(3).shape).toEqual([2, 3, 2, 2]);
    expect(x.avgPool2d(3, { stride: 1 }).shape).toEqual([2, 3, 6, 6]);
  });
});
