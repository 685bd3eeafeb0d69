/** Output files of the examples: paths shown relative to the caller, and writes that never leave half a file. */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { MLArray } from '@smolml/core';
import { NeuralNetwork } from '@smolml/nn';
import { toOnnx } from '@smolml/onnx';

/**
 * `path` as the user can open it from where they typed the command: pnpm runs scripts inside the
 * package folder but records the caller's folder in INIT_CWD.
 */
export function displayPath(path: string, from: string = process.env.INIT_CWD ?? process.cwd()): string {
  const rel = relative(from, path);
  return rel === '' ? '.' : rel;
}

/** Writes to a temporary file, then renames it over `path`: a crash never leaves a half-written model. */
export function writeAtomically(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * Writes `net` as an ONNX model (float32, logits out) to `path`, atomically, creating its folder;
 * returns the line that tells the user where it went.
 */
export function saveOnnx(net: NeuralNetwork, path: string): string {
  const bytes = toOnnx(net);
  mkdirSync(dirname(path), { recursive: true });
  writeAtomically(path, bytes);
  return `wrote ${displayPath(path)} (${Math.round(bytes.length / 1024).toLocaleString('en-US')} KB ONNX, logits out; run it with ONNX Runtime, load it with fromOnnx)`;
}

/**
 * Loads the model saved at `modelFile` and compares its predictions on `X` with `net`'s, bit for
 * bit; prints the outcome and returns whether they are identical (the examples' round-trip check).
 */
export function reloadsIdentically(net: NeuralNetwork, modelFile: string, X: MLArray): boolean {
  const reloaded = NeuralNetwork.fromJSON(readFileSync(modelFile, 'utf8'));
  const a = net.predict(X).data;
  const b = reloaded.predict(X).data;
  const identical = a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
  console.log(`reloaded the saved model: predictions ${identical ? 'bit-identical' : 'DIFFER'} on the ${X.shape[0]} test digits`);
  return identical;
}
