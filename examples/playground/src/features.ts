/**
 * Input features the network can be given instead of (or besides) the raw coordinates, as in
 * TensorFlow Playground: with x1² and x2² a single neuron separates the circles.
 */
import { MLArray } from '@smolml/core';

export const featureNames = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'] as const;
export type FeatureName = (typeof featureNames)[number];

export const features: Record<FeatureName, { label: string; f: (x1: number, x2: number) => number }> = {
  x1: { label: 'x₁', f: (x1) => x1 },
  x2: { label: 'x₂', f: (_, x2) => x2 },
  x1sq: { label: 'x₁²', f: (x1) => x1 * x1 },
  x2sq: { label: 'x₂²', f: (_, x2) => x2 * x2 },
  x1x2: { label: 'x₁·x₂', f: (x1, x2) => x1 * x2 },
  sinx1: { label: 'sin x₁', f: (x1) => Math.sin(x1) },
  sinx2: { label: 'sin x₂', f: (_, x2) => Math.sin(x2) },
};

export function isFeatureName(name: unknown): name is FeatureName {
  return typeof name === 'string' && (featureNames as readonly string[]).includes(name);
}

/** The selected features in the canonical order (the order of the input neurons). */
export function orderFeatures(selected: Iterable<FeatureName>): FeatureName[] {
  const set = new Set(selected);
  return featureNames.filter((f) => set.has(f));
}

/** Rows of the selected features for each point: an (n, features) array. */
export function featurize(points: readonly (readonly [number, number])[], selected: readonly FeatureName[]): MLArray {
  const k = selected.length;
  const out = new Float64Array(points.length * k);
  points.forEach(([x1, x2], i) => {
    for (let j = 0; j < k; j++) out[i * k + j] = features[selected[j]!].f(x1, x2);
  });
  return MLArray.from(out, { shape: [points.length, k] });
}
