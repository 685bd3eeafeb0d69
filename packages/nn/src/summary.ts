/** The text of `NeuralNetwork.summary()`: a table of layers with output shapes, parameter counts and memory. */
import type { LossFunction, MLArray, Optimizer, Shape } from '@smolml/core';
import { lossName } from '@smolml/losses';
import { isSerializableOptimizer } from '@smolml/optim';
import { type Layer, describeLayer } from './layer.js';
import { formatBatchShape } from './shapes.js';

interface Summarizable {
  readonly layers: readonly Layer[];
  readonly lossFunction: LossFunction;
  readonly optimizer: Optimizer;
}

/**
 * `520 B`, `3.2 KB`, `1.45 MB`.
 * @example
 * formatBytes(3277); // '3.2 KB'
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(2)} MB`;
}

const count = (arrays: readonly MLArray[]): number => arrays.reduce((s, a) => s + a.size, 0);
const n = (x: number): string => x.toLocaleString('en-US');

/**
 * ```
 * NeuralNetwork: 2 layers, input (batch, 2)
 * -------------------------------------------------------
 * #  Layer                     Output shape  Params
 * -------------------------------------------------------
 * 0  DenseLayer(2 -> 16, relu)  (batch, 16)       48
 * 1  DenseLayer(16 -> 1, tanh)  (batch, 1)        17
 * -------------------------------------------------------
 * Total params: 65 (trainable: 65, non-trainable: 0)
 * ```
 * `shapes` holds each layer's output shape (or null when the input shape is unknown).
 */
export function summarize(net: Summarizable, inputShape: Shape | null, shapes: readonly Shape[] | null): string {
  const head = ['#', 'Layer', 'Output shape', 'Params'];
  const rows = net.layers.map((l, i) => [String(i), describeLayer(l), shapes?.[i] === undefined ? '?' : formatBatchShape(shapes[i]!), n(count(l.parameters()))]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  // Numbers right-aligned, text left-aligned.
  const line = (r: string[]): string => r.map((cell, c) => (c === 0 || c === 3 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  const rule = '-'.repeat(widths.reduce((s, w) => s + w, 0) + 2 * (widths.length - 1));
  const trainable = net.layers.reduce((s, l) => s + count(l.parameters()), 0);
  const fixed = net.layers.reduce((s, l) => s + count(l.buffers?.() ?? []), 0);
  const loss = lossName(net.lossFunction) ?? (net.lossFunction.name || 'custom');
  const opt = net.optimizer;
  const optimizer = isSerializableOptimizer(opt) ? opt.type : (opt as { constructor?: { name?: string } }).constructor?.name || 'custom';
  const input = inputShape === null ? 'input shape unknown' : `input ${formatBatchShape([0, ...inputShape])}`;
  return [
    `NeuralNetwork: ${net.layers.length} layer${net.layers.length === 1 ? '' : 's'}, ${input}`,
    rule,
    line(head),
    rule,
    ...rows.map(line),
    rule,
    `Total params: ${n(trainable + fixed)} (trainable: ${n(trainable)}, non-trainable: ${n(fixed)})`,
    `Memory: ${formatBytes((trainable + fixed) * 8)} of float64 parameters (each gradient or optimizer buffer takes as much again)`,
    `Loss: ${loss}  Optimizer: ${optimizer}`,
    ...(shapes === null ? ['Output shapes need the shape of one sample: net.summary([1, 28, 28]), or { inputShape } in the NeuralNetwork options'] : []),
  ].join('\n');
}
