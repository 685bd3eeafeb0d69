/**
 * Four seeded 2-D toy problems with two classes each. Points lie roughly in [-1.5, 1.5]^2 so that
 * one fixed view (see DOMAIN) shows all of them and the network sees inputs of order 1.
 */
import { type Rng, createRng } from '@smolml/core';

export const datasetNames = ['xor', 'moons', 'circles', 'spiral'] as const;
export type DatasetName = (typeof datasetNames)[number];

/** Points `x` (rows of [x0, x1]) and their class `y` (0 or 1). */
export interface Dataset {
  x: number[][];
  y: number[];
}

/** Points per data set. */
export const N_POINTS = 300;

/** Half-width of the square the page draws: [-DOMAIN, DOMAIN]^2. */
export const DOMAIN = 2;

export function isDatasetName(name: string): name is DatasetName {
  return (datasetNames as readonly string[]).includes(name);
}

/** `n` points of the named problem; the same seed gives the same points everywhere. */
export function makeDataset(name: DatasetName, n = N_POINTS, seed = 0): Dataset {
  const rng = createRng(seed);
  const generate = { xor, moons, circles, spiral }[name];
  const data: Dataset = { x: [], y: [] };
  for (let i = 0; i < n; i++) {
    const label = i % 2; // alternate classes so every prefix is balanced
    const [a, b] = generate(rng, label);
    data.x.push([a, b]);
    data.y.push(label);
  }
  return data;
}

type Generator = (rng: Rng, label: number) => [number, number];

/** Class 1 where x0 and x1 have the same sign; a small gap keeps points off the axes. */
const xor: Generator = (rng, label) => {
  const a = 0.1 + 1.4 * rng.uniform();
  const b = 0.1 + 1.4 * rng.uniform();
  const signA = rng.uniform() < 0.5 ? -1 : 1;
  const signB = label === 1 ? signA : -signA;
  return [signA * a, signB * b];
};

/** Two interleaving half circles (as scikit-learn's make_moons), centred on the origin. */
const moons: Generator = (rng, label) => {
  const t = Math.PI * rng.uniform();
  const noise = 0.1;
  const [a, b] = label === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
  return [a - 0.5 + noise * rng.normal(), b - 0.25 + noise * rng.normal()];
};

/** A ring of radius 1.2 (class 0) around a disc-edge of radius 0.5 (class 1). */
const circles: Generator = (rng, label) => {
  const t = 2 * Math.PI * rng.uniform();
  const r = (label === 0 ? 1.2 : 0.5) + 0.1 * rng.normal();
  return [r * Math.cos(t), r * Math.sin(t)];
};

/** Two arms winding 1.5 turns out from the centre, the second rotated by half a turn. */
const spiral: Generator = (rng, label) => {
  const s = rng.uniform(); // position along the arm, 0 at the centre
  const r = 0.1 + 1.4 * s;
  const angle = 3 * Math.PI * s + label * Math.PI;
  const noise = 0.04;
  return [r * Math.cos(angle) + noise * rng.normal(), r * Math.sin(angle) + noise * rng.normal()];
};
