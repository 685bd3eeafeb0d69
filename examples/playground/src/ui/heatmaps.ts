/**
 * Heat maps over the input plane: every neuron's output on a grid of points covering the view,
 * painted with the diverging palette. One forward pass over the grid gives all neurons at once.
 */
import type { MLArray } from '@smolml/core';
import { DOMAIN, type Task } from '../datasets.js';
import { type FeatureName, featurize } from '../features.js';
import type { Network } from '../model/network.js';
import { diverging } from './colors.js';

/** Grid points, row by row from the top of the view (x2 = +DOMAIN) down, cell centres. */
export function gridPoints(n: number): [number, number][] {
  const step = (2 * DOMAIN) / n;
  const points: [number, number][] = [];
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) points.push([-DOMAIN + (col + 0.5) * step, DOMAIN - (row + 0.5) * step]);
  }
  return points;
}

/** The output as the page colours it: 2p - 1 for a class probability p, the prediction itself for regression. */
export function outputShade(task: Task, out: number): number {
  return task === 'classification' ? Math.tanh(out / 2) : out; // tanh(z/2) = 2 sigmoid(z) - 1
}

/**
 * Values in [-1, 1] for every neuron over a grid: maps[0] are the input features (each scaled
 * by its largest magnitude on the grid), maps[l] for l >= 1 the outputs of layer l (hidden
 * values clipped to [-1, 1] when drawn; the output through outputShade).
 */
export function neuronMaps(net: Network, features: readonly FeatureName[], points: readonly [number, number][]): Float64Array[][] {
  const x = featurize(points, features);
  const columns = (a: MLArray, scale: (j: number, v: number) => number): Float64Array[] => {
    const [n, k] = [a.shape[0]!, a.shape[1]!];
    return Array.from({ length: k }, (_, j) => Float64Array.from({ length: n }, (_, i) => scale(j, a.data[i * k + j]!)));
  };
  const maxAbs = Array.from({ length: features.length }, (_, j) => {
    let m = 0;
    for (let i = 0; i < points.length; i++) m = Math.max(m, Math.abs(x.data[i * features.length + j]!));
    return m || 1;
  });
  const maps = [columns(x, (j, v) => v / maxAbs[j]!)];
  const { post } = net.activations(x);
  post.forEach((layer, l) => {
    const isOutput = l === post.length - 1;
    maps.push(columns(layer, (_, v) => (isOutput ? outputShade(net.spec.task, v) : v)));
  });
  return maps;
}

let canvas: HTMLCanvasElement | null = null;

/** A PNG data URL of an n x n map of values in [-1, 1]. */
export function paintMap(values: Float64Array, n: number): string {
  canvas ??= document.createElement('canvas');
  canvas.width = n;
  canvas.height = n;
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(n, n);
  for (let i = 0; i < n * n; i++) {
    const [r, g, b] = diverging(values[i]!);
    image.data[4 * i] = r;
    image.data[4 * i + 1] = g;
    image.data[4 * i + 2] = b;
    image.data[4 * i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
  return canvas.toDataURL('image/png');
}
