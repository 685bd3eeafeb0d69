import { MLArray, ShapeError, ValueError } from '@smolml/core';
import { describe, expect, it } from 'vitest';
import { type LayerSpec, inferShapes, outputShape, validateSpec } from '../src/ir.js';

const conv = (o: number, i: number, kh: number, kw: number, stride: [number, number], padding: [number, number]): LayerSpec => ({
  kind: 'conv',
  weights: MLArray.zeros([o, i, kh, kw]),
  bias: MLArray.zeros([o]),
  stride,
  padding,
});

describe('outputShape', () => {
  it("follows PyTorch's floor rule for convolution and pooling", () => {
    // (10 + 2 - 3) / 1 + 1 = 10; W: (7 + 0 - 2) / 2 + 1 = 3 (floor of 2.5)
    expect(outputShape(conv(4, 2, 3, 2, [1, 2], [1, 0]), [null, 2, 10, 7], 'x')).toEqual([null, 4, 10, 3]);
    expect(outputShape({ kind: 'maxpool', kernel: [3, 3], stride: [2, 2], padding: [1, 1] }, [5, 4, 5, 5], 'x')).toEqual([5, 4, 3, 3]);
    expect(outputShape({ kind: 'avgpool', kernel: [2, 2], stride: [2, 2] }, [null, 6, 5, 2], 'x')).toEqual([null, 6, 2, 1]);
    expect(outputShape(conv(4, 2, 3, 3, [1, 1], [0, 0]), [null, 2, null, 8], 'x')).toEqual([null, 4, null, 6]);
  });

  it('flattens (unknown sizes stay unknown) and keeps shapes through elementwise specs', () => {
    expect(outputShape({ kind: 'flatten' }, [null, 6, 2, 1], 'x')).toEqual([null, 12]);
    expect(outputShape({ kind: 'flatten' }, [null, 6, null, 1], 'x')).toEqual([null, null]);
    expect(outputShape({ kind: 'flatten' }, [null, 6], 'x')).toEqual([null, 6]);
    expect(outputShape({ kind: 'activation', name: 'softmax' }, [null, 3, 4, 4], 'x')).toEqual([null, 3, 4, 4]);
    expect(outputShape({ kind: 'dropout', p: 0.5 }, [2, 7], 'x')).toEqual([2, 7]);
  });

  it('checks channels, features and ranks: ShapeError naming where and both shapes', () => {
    const dense: LayerSpec = { kind: 'dense', weights: MLArray.zeros([4, 3]), bias: MLArray.zeros([3]) };
    expect(() => outputShape(dense, [null, 5], 'here')).toThrow(new ShapeError('here: expected input of shape (batch, 4), received (?, 5)'));
    expect(() => outputShape(dense, [null, 2, 2], 'here')).toThrow(ShapeError);
    expect(() => outputShape(conv(4, 3, 3, 3, [1, 1], [0, 0]), [null, 1, 8, 8], 'c')).toThrow(/expected input of shape \(batch, 3, height, width\), received \(\?, 1, 8, 8\)/);
    expect(() => outputShape(conv(4, 1, 5, 5, [1, 1], [0, 0]), [null, 1, 3, 3], 'c')).toThrow(/a kernel of 5 \(padding 0\) does not fit in an input of size 3/);
    const bn: LayerSpec = { kind: 'batchnorm', gamma: MLArray.ones([3]), beta: MLArray.zeros([3]), mean: MLArray.zeros([3]), variance: MLArray.ones([3]), eps: 1e-5 };
    expect(outputShape(bn, [null, 3, 4, 4], 'b')).toEqual([null, 3, 4, 4]);
    expect(() => outputShape(bn, [null, 3, 4], 'b')).toThrow(/\(batch, 3\) or \(batch, 3, height, width\)/);
    const ln: LayerSpec = { kind: 'layernorm', gamma: MLArray.ones([2, 3]), beta: MLArray.zeros([2, 3]), eps: 1e-5 };
    expect(outputShape(ln, [null, 4, 2, 3], 'l')).toEqual([null, 4, 2, 3]);
    expect(() => outputShape(ln, [null, 3, 2], 'l')).toThrow(/\(batch, \.\.\., 2, 3\)/);
  });
});

describe('validateSpec', () => {
  it('refuses inconsistent arrays, non-finite weights and out-of-range hyperparameters', () => {
    const bad: [LayerSpec, RegExp][] = [
      [{ kind: 'dense', weights: MLArray.zeros([4, 3]), bias: MLArray.zeros([4]) }, /bias has shape \(4,\), expected \(3,\)/],
      [{ kind: 'dense', weights: MLArray.from([[1, NaN]]), bias: MLArray.zeros([2]) }, /weights holds NaN or Infinity/],
      [{ ...conv(2, 1, 3, 3, [0, 1], [0, 0]) }, /stride must be two integers >= 1, got \[0,1\]/],
      [{ ...conv(2, 1, 3, 3, [1, 1], [-1, 0]) }, /padding must be two integers >= 0/],
      [{ kind: 'conv', weights: MLArray.zeros([2, 3]), bias: null, stride: [1, 1], padding: [0, 0] }, ShapeErrorLike()],
      [{ kind: 'maxpool', kernel: [2, 2], stride: [2, 2], padding: [2, 0] }, /padding \[2,0\] must be at most half the kernel \[2,2\]/],
      [{ kind: 'batchnorm', gamma: MLArray.ones([2]), beta: MLArray.zeros([2]), mean: MLArray.zeros([2]), variance: MLArray.from([1, -1]), eps: 1e-5 }, /negative entries/],
      [{ kind: 'layernorm', gamma: MLArray.ones([2]), beta: MLArray.zeros([2]), eps: 0 }, /eps must be a finite number > 0, got 0/],
      [{ kind: 'activation', name: 'relu', alpha: 0.1 }, /relu takes no alpha/],
      [{ kind: 'dropout', p: 1 }, /p must be in \[0, 1\), got 1/],
    ];
    for (const [spec, message] of bad) expect(() => validateSpec(spec, 'where')).toThrow(message);
    expect(() => validateSpec({ kind: 'dropout', p: -0.1 }, 'where')).toThrow(ValueError);
    expect(() => validateSpec(conv(2, 1, 3, 3, [2, 1], [1, 0]), 'where')).not.toThrow();
  });
});

function ShapeErrorLike(): RegExp {
  return /weights has shape \(2, 3\), expected \(2, 3, -1, -1\)|weights must be 4-D/;
}

describe('inferShapes', () => {
  it('returns every intermediate shape and names the failing layer by index', () => {
    const layers: LayerSpec[] = [conv(2, 1, 3, 3, [1, 1], [1, 1]), { kind: 'maxpool', kernel: [2, 2], stride: [2, 2], padding: [0, 0] }, { kind: 'flatten' }];
    expect(inferShapes({ inputShape: [1, 6, 6], layers }, 'op')).toEqual([
      [null, 1, 6, 6],
      [null, 2, 6, 6],
      [null, 2, 3, 3],
      [null, 18],
    ]);
    expect(() => inferShapes({ inputShape: [2, 6, 6], layers }, 'op')).toThrow(/op: layer 0 \(conv\): expected input of shape \(batch, 1, height, width\)/);
  });
});
