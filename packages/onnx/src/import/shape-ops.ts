/**
 * The constant and shape computations exporters write around a flatten, evaluated while the
 * graph is read: `x.view(x.size(0), -1)` becomes Shape -> Gather(0) -> Unsqueeze -> Concat with
 * a Constant -1 -> Reshape. Values that depend on the batch size stay symbolic ('batch').
 */
import { ValueError } from '@smolml/core';
import { readTensor } from '../tensor.js';
import type { Entry, Handler, NodeContext } from './graph.js';

function fail(n: NodeContext, what: string): never {
  throw new ValueError(`${n.where}: ${what}`);
}

function constant(n: NodeContext): void {
  const a = n.attrs(['value', 'value_float', 'value_floats', 'value_int', 'value_ints']);
  const t = a.tensor('value');
  if (t !== undefined) return n.value({ t: 'const', tensor: readTensor(n.where, 'the constant', t) });
  if (a.has('value_float')) return n.value({ t: 'const', tensor: { kind: 'float', shape: [], data: Float64Array.of(a.float('value_float', 0)) } });
  const floats = a.floats('value_floats');
  if (floats !== undefined) return n.value({ t: 'const', tensor: { kind: 'float', shape: [floats.length], data: Float64Array.from(floats) } });
  if (a.has('value_int')) return n.value({ t: 'const', tensor: { kind: 'int', shape: [], data: Float64Array.of(a.int('value_int', 0)) } });
  const ints = a.ints('value_ints');
  if (ints !== undefined) return n.value({ t: 'const', tensor: { kind: 'int', shape: [ints.length], data: Float64Array.from(ints) } });
  fail(n, 'the constant has no value smolml reads (value, value_float(s) or value_int(s))');
}

/** Shape(x): the sizes of the data, the batch size symbolic. Opset 15 added start/end. */
function shape(n: NodeContext): void {
  const a = n.attrs(['start', 'end']);
  const v = n.input(0);
  if (v?.t !== 'data') fail(n, 'only the shape of the network data is supported');
  const dims = v.shape;
  const clamp = (i: number) => Math.min(Math.max(i < 0 ? i + dims.length : i, 0), dims.length);
  const entries: Entry[] = dims.map((d, i) => (i === 0 ? 'batch' : d));
  n.value({ t: 'ints', entries: entries.slice(clamp(a.int('start', 0)), clamp(a.int('end', dims.length))), scalar: false });
}

function gather(n: NodeContext): void {
  const a = n.attrs(['axis']);
  if (a.int('axis', 0) !== 0) fail(n, 'only Gather along axis 0 of a shape vector is supported');
  const from = n.ints(0, 'data');
  const idx = n.ints(1, 'indices');
  if (from === undefined || idx === undefined || from.scalar) fail(n, 'only Gather from a shape vector is supported');
  const picked = idx.entries.map((i) => {
    if (typeof i !== 'number' || !Number.isInteger(i) || i < -from.entries.length || i >= from.entries.length) {
      fail(n, `index ${String(i)} is out of range for a vector of ${from.entries.length} entries`);
    }
    return from.entries[i < 0 ? i + from.entries.length : i]!;
  });
  n.value({ t: 'ints', entries: picked, scalar: idx.scalar });
}

/** Unsqueeze of a scalar to a 1-element vector (axes [0]: an input since opset 13, an attribute before). */
function unsqueeze(n: NodeContext): void {
  const a = n.attrs(['axes']);
  const x = n.ints(0, 'data');
  const axes = n.opset >= 13 ? n.ints(1, 'axes')?.entries : a.ints('axes');
  if (x === undefined || !x.scalar || axes?.length !== 1 || (axes[0] !== 0 && axes[0] !== -1)) {
    fail(n, 'only Unsqueeze of a scalar into a 1-element vector (of a shape computation) is supported');
  }
  n.value({ t: 'ints', entries: x.entries, scalar: false });
}

function concat(n: NodeContext): void {
  const a = n.attrs(['axis']);
  if (a.int('axis', 0) !== 0) fail(n, 'only Concat along axis 0 of shape vectors is supported');
  const entries: Entry[] = [];
  for (let i = 0; i < n.inputCount; i++) {
    const v = n.ints(i, `part ${i}`);
    if (v === undefined || v.scalar) fail(n, 'only Concat of 1-D shape vectors is supported');
    entries.push(...v.entries);
  }
  n.value({ t: 'ints', entries, scalar: false });
}

export const shapeOps: Readonly<Record<string, Handler>> = { Constant: constant, Shape: shape, Gather: gather, Unsqueeze: unsqueeze, Concat: concat };
