/**
 * The playground's seeded 2-D problems, after TensorFlow Playground: five classification sets
 * (labels 0 and 1) and one regression set (targets in [-1, 1]). Points lie in the square
 * [-DOMAIN, DOMAIN]^2 that the page draws; `noise` in [0, 0.5] blurs each problem its own way
 * (labels are fixed before the noise, so noisy points may cross the boundary).
 */
import { type Rng, createRng } from '@smolml/core';

export const datasetNames = ['circles', 'xor', 'gaussian', 'spiral', 'moons', 'sine'] as const;
export type DatasetName = (typeof datasetNames)[number];

/** What the page shows in the data set menu. */
export const datasetLabels: Record<DatasetName, string> = {
  circles: 'circles',
  xor: 'xor',
  gaussian: 'gaussian',
  spiral: 'spiral',
  moons: 'moons',
  sine: 'sine surface (regression)',
};

export type Task = 'classification' | 'regression';

export function taskOf(name: DatasetName): Task {
  return name === 'sine' ? 'regression' : 'classification';
}

/** Half-width of the square the page draws: [-DOMAIN, DOMAIN]^2 (TensorFlow Playground's). */
export const DOMAIN = 6;
/** Points per data set (split into training and test points by the train ratio). */
export const N_POINTS = 400;
export const MAX_NOISE = 0.5;

/** Points and targets: a class 0/1 for classification, a number in [-1, 1] for regression. */
export interface Dataset {
  name: DatasetName;
  task: Task;
  x: [number, number][];
  y: number[];
}

export function isDatasetName(name: unknown): name is DatasetName {
  return typeof name === 'string' && (datasetNames as readonly string[]).includes(name);
}

/** `n` points of the named problem; the same seed and noise give the same points everywhere. */
export function makeDataset(name: DatasetName, { noise = 0, seed = 0, n = N_POINTS }: { noise?: number; seed?: number; n?: number } = {}): Dataset {
  if (!(noise >= 0 && noise <= MAX_NOISE)) throw new RangeError(`noise must be in [0, ${MAX_NOISE}], got ${noise}`);
  const rng = createRng(seed);
  const data: Dataset = { name, task: taskOf(name), x: [], y: [] };
  for (let i = 0; i < n; i++) {
    const label = i % 2; // alternate classes so that every prefix is balanced
    const [a, b, y] = generators[name](rng, label, noise);
    data.x.push([clamp(a), clamp(b)]);
    data.y.push(y);
  }
  return data;
}

/** Keeps noisy points inside the drawn square. */
const clamp = (v: number): number => Math.min(DOMAIN, Math.max(-DOMAIN, v));
/** Uniform in [lo, hi). */
const uniform = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng.uniform();

type Generator = (rng: Rng, label: number, noise: number) => [number, number, number];

/** The target of the regression set: a smooth bump-and-dip surface with values in [-1, 1]. */
export function sineSurface(x1: number, x2: number): number {
  return Math.sin(x1 / 2) * Math.cos(x2 / 4);
}

const generators: Record<DatasetName, Generator> = {
  /** Class 1 inside radius 2.5, class 0 on a ring from 3.5 to 5 (TensorFlow Playground's circle). */
  circles(rng, label, noise) {
    const r = label === 1 ? uniform(rng, 0, 2.5) : uniform(rng, 3.5, 5);
    const t = uniform(rng, 0, 2 * Math.PI);
    return [r * Math.cos(t) + uniform(rng, -5, 5) * noise, r * Math.sin(t) + uniform(rng, -5, 5) * noise, label];
  },
  /** Class 1 where x1 and x2 have the same sign; a 0.3 margin keeps clean points off the axes. */
  xor(rng, label, noise) {
    const a = uniform(rng, 0.3, 5);
    const b = uniform(rng, 0.3, 5);
    const signA = rng.uniform() < 0.5 ? -1 : 1;
    const signB = label === 1 ? signA : -signA;
    return [signA * a + uniform(rng, -5, 5) * noise, signB * b + uniform(rng, -5, 5) * noise, label];
  },
  /** Two round blobs, class 1 around (2, 2) and class 0 around (-2, -2), wider with noise. */
  gaussian(rng, label, noise) {
    const centre = label === 1 ? 2 : -2;
    const sd = 0.6 + 3 * noise;
    return [centre + sd * rng.normal(), centre + sd * rng.normal(), label];
  },
  /** Two arms winding 1.75 turns out to radius 5, the second turned by half a turn. */
  spiral(rng, label, noise) {
    const s = rng.uniform();
    const r = 5 * s;
    const t = 1.75 * 2 * Math.PI * s + label * Math.PI;
    return [r * Math.sin(t) + uniform(rng, -1, 1) * noise * 5, r * Math.cos(t) + uniform(rng, -1, 1) * noise * 5, label];
  },
  /** scikit-learn's make_moons scaled to the view: two interleaving half circles. */
  moons(rng, label, noise) {
    const t = Math.PI * rng.uniform();
    const [a, b] = label === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    const sd = 0.1 + 2 * noise;
    return [2.5 * (a - 0.5 + sd * rng.normal() * 0.5), 2.5 * (b - 0.25 + sd * rng.normal() * 0.5), label];
  },
  /** Regression: uniform points, target sineSurface(x) plus Gaussian noise, clipped to [-1, 1]. */
  sine(rng, _label, noise) {
    const a = uniform(rng, -DOMAIN, DOMAIN);
    const b = uniform(rng, -DOMAIN, DOMAIN);
    const y = Math.max(-1, Math.min(1, sineSurface(a, b) + noise * rng.normal()));
    return [a, b, y];
  },
};

/** Indices of training and test points: a seeded shuffle, the first `trainRatio` of it for training. */
export function splitIndices(n: number, trainRatio: number, seed: number): { train: number[]; test: number[] } {
  if (!(trainRatio > 0 && trainRatio < 1)) throw new RangeError(`trainRatio must be in (0, 1), got ${trainRatio}`);
  const rng = createRng(seed ^ 0x5eed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const cut = Math.max(1, Math.min(n - 1, Math.round(n * trainRatio)));
  return { train: order.slice(0, cut), test: order.slice(cut) };
}
