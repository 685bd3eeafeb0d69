/**
 * Two interleaving half circles (scikit-learn's make_moons), seeded: the upper moon is class 0,
 * the lower one, shifted right and down, class 1; Gaussian noise of std `noise` on each point.
 */
import { MLArray, createRng } from '@smolml/core';

export function makeMoons(n: number, { noise = 0.2, seed = 0 } = {}): { X: MLArray; y: MLArray } {
  const rng = createRng(seed);
  const nOuter = Math.floor(n / 2);
  const nInner = n - nOuter;
  const points: [number, number, number][] = [];
  for (let i = 0; i < nOuter; i++) {
    const t = (Math.PI * i) / Math.max(nOuter - 1, 1);
    points.push([Math.cos(t), Math.sin(t), 0]);
  }
  for (let i = 0; i < nInner; i++) {
    const t = (Math.PI * i) / Math.max(nInner - 1, 1);
    points.push([1 - Math.cos(t), 0.5 - Math.sin(t), 1]);
  }
  const order = rng.permutation(n);
  const X = MLArray.zeros([n, 2]);
  const y = MLArray.zeros([n, 1]);
  order.forEach((src, i) => {
    const [a, b, label] = points[src]!;
    X.data[2 * i] = a + noise * rng.normal();
    X.data[2 * i + 1] = b + noise * rng.normal();
    y.data[i] = label;
  });
  return { X, y };
}
