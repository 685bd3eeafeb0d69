/**
 * Reads an ONNX graph into a model spec. The graph must be a chain: one input, one output, and
 * every layer operator reading the value the previous one wrote. Around the chain, the small
 * constant computations exporters emit (Constant, Shape, Gather, Unsqueeze, Concat feeding a
 * Reshape, Identity of an initializer) are evaluated here, symbolically where they depend on
 * the batch size. The operators themselves are handled in ./ops.ts.
 */
import { ValueError } from '@smolml/core';
import { type Dim, type LayerSpec, type ModelSpec, outputShape, validateSpec } from '../ir.js';
import { DataType, type GraphProto, type NodeProto, type ValueInfoProto, int64ToNumber } from '../proto.js';
import { type Tensor, dataTypeName, readTensor } from '../tensor.js';
import { Attributes } from './attributes.js';

/** One entry of an integer vector computed from shapes: a number, the (unknown) batch size, or unknown. */
export type Entry = number | 'batch' | null;

/** What a value name of the graph stands for. */
export type Value =
  | { t: 'data'; shape: Dim[] } // on the chain from the input: the network's activations
  | { t: 'const'; tensor: Tensor } // an initializer or a constant
  | { t: 'ints'; entries: Entry[]; scalar: boolean } // shape arithmetic depending on the batch size
  | { t: 'unusable'; why: string }; // e.g. MaxPool's indices: defined, but nothing may read it

export type Handler = (n: NodeContext) => void;

/** What an operator handler sees of the node it handles. */
export class NodeContext {
  private defined = false;

  constructor(
    private readonly g: GraphReader,
    readonly node: NodeProto,
    /** `node '/0/Gemm' (Gemm)` */
    readonly name: string,
  ) {
    this.where = `${g.op}: ${name}`;
  }

  /** `fromOnnx: node '/0/Gemm' (Gemm)`: the prefix of every message about this node. */
  readonly where: string;

  get opset(): number {
    return this.g.opset;
  }

  get inputCount(): number {
    return this.node.input?.length ?? 0;
  }

  /** The attributes, each of which must be in `known`. */
  attrs(known: readonly string[]): Attributes {
    return new Attributes(this.node.attribute ?? [], this.where, known);
  }

  /** Input `i`, or undefined when absent (an empty name marks an omitted optional input). */
  input(i: number): Value | undefined {
    const name = this.node.input?.[i] ?? '';
    return name === '' ? undefined : this.g.lookup(name, this.where);
  }

  isData(i: number): boolean {
    return this.input(i)?.t === 'data';
  }

  /** Input `i` must be the chain's current value; returns its shape (batch dimension first). */
  data(i = 0): Dim[] {
    const name = this.node.input?.[i] ?? '';
    const v = this.input(i);
    if (v?.t !== 'data') throw new ValueError(`${this.where}: input ${i} must be the network's data, got ${v === undefined ? 'nothing' : describe(v)}`);
    if (name !== this.g.current) {
      throw new ValueError(`${this.where}: reads '${name}', an earlier value of the network, again: the model branches, and smolml imports sequential models only`);
    }
    return v.shape;
  }

  /** A float constant input (an initializer or Constant), or undefined when absent and `optional`. */
  floats(i: number, what: string, optional: true): Tensor | undefined;
  floats(i: number, what: string): Tensor;
  floats(i: number, what: string, optional = false): Tensor | undefined {
    const v = this.input(i);
    if (v === undefined && optional) return undefined;
    if (v?.t !== 'const' || v.tensor.kind !== 'float') {
      throw new ValueError(`${this.where}: the ${what} (input ${i}) must be a float initializer or constant, got ${v === undefined ? 'nothing' : describe(v)}`);
    }
    return v.tensor;
  }

  /** An integer vector input (a constant, or computed from shapes), or undefined when absent. */
  ints(i: number, what: string): { entries: Entry[]; scalar: boolean } | undefined {
    const v = this.input(i);
    if (v === undefined) return undefined;
    if (v.t === 'ints') return v;
    if (v.t === 'const' && v.tensor.kind === 'int' && v.tensor.shape.length <= 1) {
      return { entries: Array.from(v.tensor.data), scalar: v.tensor.shape.length === 0 };
    }
    throw new ValueError(`${this.where}: the ${what} (input ${i}) must be an integer scalar or vector, got ${describe(v)}`);
  }

  private define(i: number, v: Value): void {
    const name = this.node.output?.[i] ?? '';
    if (name !== '') this.g.define(name, v, this.where);
  }

  private finish(first: Value): void {
    if (this.defined) throw new Error('NodeContext: outputs defined twice');
    this.defined = true;
    const outputs = this.node.output ?? [];
    if (outputs.length === 0 || outputs[0] === '') throw new ValueError(`${this.where}: the node has no output`);
    this.define(0, first);
    for (let i = 1; i < outputs.length; i++) {
      this.define(i, { t: 'unusable', why: `output ${i} of ${this.name} (smolml computes only the first output)` });
    }
  }

  /** The node adds a layer to the chain: its first output becomes the current value. */
  layer(spec: LayerSpec): void {
    const shape = this.g.addLayer({ ...spec, source: this.name }, this.where, this.node.opType ?? '');
    this.g.current = this.node.output?.[0] ?? '';
    this.finish({ t: 'data', shape });
  }

  /** The node computes the identity on the chain (Identity, a zero Pad). */
  passThrough(shape: Dim[]): void {
    this.g.current = this.node.output?.[0] ?? '';
    this.finish({ t: 'data', shape });
  }

  /** The node computes a constant or shape value. */
  value(v: Value): void {
    this.finish(v);
  }

  /** Replaces the last layer spec (MatMul's dense gets its bias from the Add after it). */
  amendLast(spec: LayerSpec, shape: Dim[]): void {
    this.g.replaceLast({ ...spec, source: `${this.g.lastSource()} + ${this.name}` });
    this.passThrough(shape);
  }

  /** The last layer spec, if an `opType` node made it and the current value is its output (nothing in between). */
  lastLayerIfCurrent(opType: string): LayerSpec | undefined {
    return this.g.lastOutput === this.g.current && this.g.lastOpType === opType ? this.g.lastSpec() : undefined;
  }
}

export function describe(v: Value): string {
  switch (v.t) {
    case 'data':
      return "the network's data";
    case 'const':
      return `a ${v.tensor.kind} constant of shape (${v.tensor.shape.join(', ')})`;
    case 'ints':
      return 'a shape computation';
    case 'unusable':
      return v.why;
  }
}

/** Where a node is, in messages: `node '/0/Gemm' (Gemm)`, or by its index when unnamed. */
export function nodeName(node: NodeProto, index: number): string {
  const name = node.name ?? '';
  return `node ${name === '' ? `#${index}` : `'${name.slice(0, 80)}'`} (${(node.opType ?? '').slice(0, 40) || 'no op type'})`;
}

/** Walks one graph, node by node, with the operator handlers given. */
export class GraphReader {
  readonly specs: LayerSpec[] = [];
  private readonly env = new Map<string, Value>();
  current = '';
  /** The output of the last node that added a layer spec, and that node's op type. */
  lastOutput = '';
  lastOpType = '';

  constructor(
    readonly op: string,
    readonly opset: number,
  ) {}

  lookup(name: string, where: string): Value {
    const v = this.env.get(name);
    if (v === undefined) throw new ValueError(`${where}: reads '${name.slice(0, 80)}', which no earlier node, initializer or input defines`);
    if (v.t === 'unusable') throw new ValueError(`${where}: reads '${name.slice(0, 80)}', which is ${v.why}`);
    return v;
  }

  define(name: string, v: Value, where: string): void {
    if (this.env.has(name)) throw new ValueError(`${where}: writes '${name.slice(0, 80)}', which is already defined (ONNX values are written once)`);
    this.env.set(name, v);
  }

  addLayer(spec: LayerSpec, where: string, opType: string): Dim[] {
    const shape = (this.env.get(this.current) as { shape: Dim[] }).shape;
    validateSpec(spec, where);
    const out = outputShape(spec, shape, where);
    this.specs.push(spec);
    this.lastOpType = opType;
    return out;
  }

  lastSpec(): LayerSpec | undefined {
    return this.specs[this.specs.length - 1];
  }

  lastSource(): string {
    return this.lastSpec()?.source ?? '';
  }

  replaceLast(spec: LayerSpec): void {
    this.specs[this.specs.length - 1] = spec;
  }

  /** Reads `graph` into a model spec using `handlers` (by op type). */
  read(graph: GraphProto, handlers: Readonly<Record<string, Handler>>): ModelSpec {
    const op = this.op;
    const initNames = new Set<string>();
    for (const [i, t] of (graph.initializer ?? []).entries()) {
      const name = t.name ?? '';
      if (name === '') throw new ValueError(`${op}: initializer #${i} has no name`);
      this.define(name, { t: 'const', tensor: readTensor(op, `initializer '${name.slice(0, 80)}'`, t) }, op);
      initNames.add(name);
    }
    if ((graph.sparseInitializer?.length ?? 0) > 0) throw new ValueError(`${op}: the graph has sparse initializers, which smolml does not read`);
    // Older exporters also list initializers as inputs; the real inputs are the others.
    const inputs = (graph.input ?? []).filter((v) => !initNames.has(v.name ?? ''));
    if (inputs.length !== 1) {
      throw new ValueError(`${op}: the graph has ${inputs.length} inputs (${inputs.map((v) => `'${v.name}'`).join(', ')}); smolml imports models with exactly one`);
    }
    const input = inputs[0]!;
    const inputShape = readInputShape(op, input);
    this.define(input.name ?? '', { t: 'data', shape: inputShape }, op);
    this.current = input.name ?? '';

    (graph.node ?? []).forEach((node, i) => {
      const where = nodeName(node, i);
      const domain = node.domain ?? '';
      if (domain !== '' && domain !== 'ai.onnx') throw new ValueError(`${op}: ${where} is from the operator set '${domain.slice(0, 40)}'; smolml reads standard ONNX operators only`);
      const handler = Object.hasOwn(handlers, node.opType ?? '') ? handlers[node.opType ?? ''] : undefined;
      if (handler === undefined) {
        throw new ValueError(`${op}: ${where}: the operator ${(node.opType ?? '').slice(0, 40)} is not supported; smolml imports ${Object.keys(handlers).sort().join(', ')}`);
      }
      const before = this.specs.length;
      handler(new NodeContext(this, node, where));
      if (this.specs.length > before) this.lastOutput = this.current;
    });

    const outputs = graph.output ?? [];
    if (outputs.length !== 1) throw new ValueError(`${op}: the graph has ${outputs.length} outputs; smolml imports models with exactly one`);
    const out = outputs[0]!.name ?? '';
    if (out !== this.current) {
      const v = this.env.get(out);
      throw new ValueError(`${op}: the graph's output '${out.slice(0, 80)}' is ${v === undefined ? 'never computed' : `not the end of the layer chain (it is ${describe(v)})`}`);
    }
    return { inputShape: inputShape.slice(1), layers: this.specs };
  }
}

/** The input's shape, batch dimension first; sizes that are symbolic or missing become null. */
function readInputShape(op: string, input: ValueInfoProto): Dim[] {
  const tensor = input.type?.tensorType;
  const elem = tensor?.elemType ?? 0;
  if (tensor === undefined || tensor === null) throw new ValueError(`${op}: the input '${input.name}' is not a tensor`);
  if (elem !== DataType.FLOAT && elem !== DataType.DOUBLE) {
    throw new ValueError(`${op}: the input '${input.name}' has element type ${dataTypeName(elem)}; smolml imports FLOAT and DOUBLE models`);
  }
  const dims = tensor.shape?.dim;
  if (dims === undefined || dims === null || dims.length < 2) {
    throw new ValueError(`${op}: the input '${input.name}' must declare its rank: (batch, features) or (batch, channels, height, width)`);
  }
  return dims.map((d, i) => {
    const v = d.dimValue === undefined || d.dimValue === null ? 0 : int64ToNumber(op, `input dimension ${i}`, d.dimValue);
    return v > 0 ? v : null;
  });
}
