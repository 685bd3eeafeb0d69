/** The text of `NeuralNetwork.summary()`: a table of layers with parameter counts and memory. */
import type { LossFunction, Optimizer } from '@smolml/core';
import { lossName } from '@smolml/losses';
import { isSerializableOptimizer } from '@smolml/optim';
import type { DenseLayer } from './layers/dense.js';

interface Summarizable {
  readonly layers: readonly DenseLayer[];
  readonly lossFunction: LossFunction;
  readonly optimizer: Optimizer;
}

/** `520 B`, `3.2 KB`, `1.45 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(2)} MB`;
}

/**
 * ```
 * #  Layer  Activation  Output shape  Params
 * 0  Dense  relu        (batch, 16)       48
 * 1  Dense  tanh        (batch, 1)        17
 * Total params: 65 (float64, 520 B)
 * ```
 */
export function summarize(net: Summarizable): string {
  const head = ['#', 'Layer', 'Activation', 'Output shape', 'Params'];
  const rows = net.layers.map((l, i) => [String(i), `Dense(${l.inputSize} -> ${l.outputSize})`, l.activationName, `(batch, ${l.outputSize})`, l.parameterCount.toLocaleString('en-US')]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  // Numbers right-aligned, text left-aligned.
  const line = (r: string[]): string => r.map((cell, c) => (c === 0 || c === 4 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  const rule = '-'.repeat(widths.reduce((s, w) => s + w, 0) + 2 * (widths.length - 1));
  const total = net.layers.reduce((s, l) => s + l.parameterCount, 0);
  const loss = lossName(net.lossFunction) ?? (net.lossFunction.name || 'custom');
  const opt = net.optimizer;
  const optimizer = isSerializableOptimizer(opt) ? opt.type : (opt as { constructor?: { name?: string } }).constructor?.name || 'custom';
  return [
    `NeuralNetwork: ${net.layers.length} layer${net.layers.length === 1 ? '' : 's'}, input (batch, ${net.layers[0]?.inputSize})`,
    rule,
    line(head),
    rule,
    ...rows.map(line),
    rule,
    `Total params: ${total.toLocaleString('en-US')} (trainable: ${total.toLocaleString('en-US')})`,
    `Memory: ${formatBytes(total * 8)} of float64 parameters (each gradient or optimizer buffer takes as much again)`,
    `Loss: ${loss}  Optimizer: ${optimizer}`,
  ].join('\n');
}
