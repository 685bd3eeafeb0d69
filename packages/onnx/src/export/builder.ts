/**
 * Collects the nodes and initializers of an ONNX graph while layer specs are emitted, naming
 * every value after the layer that made it (`layer2/Conv`, `layer2.weight`), and refusing
 * operators that ONNX Runtime cannot run in float64 when exporting doubles.
 */
import { type MLArray, ValueError } from '@smolml/core';
import { AttributeType, type AttributeProto, type NodeProto, type TensorProto } from '../proto.js';
import { type FloatType, writeTensor } from '../tensor.js';

/**
 * Operators with a float64 (double) kernel in ONNX Runtime's CPU execution provider, which is
 * what onnxruntime-web's WebAssembly build runs: checked against onnxruntime-web 1.30 by
 * test/export/builder.test.ts. Elu, Conv and AveragePool have float kernels only.
 */
export const DOUBLE_KERNELS: ReadonlySet<string> = new Set([
  'Gemm', 'Relu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'Softmax', 'MaxPool', 'Flatten', 'BatchNormalization',
  'LayerNormalization', 'ReduceMean', 'Sub', 'Mul', 'Add', 'Div', 'Sqrt', 'Identity',
]);

/** The operators some spec can export to that have no double kernel (for the test that keeps the table honest). */
export const FLOAT_ONLY_KERNELS: readonly string[] = ['Elu', 'Conv', 'AveragePool'];

export type Attribute = AttributeProto;

export const attr = {
  int: (name: string, i: number): Attribute => ({ name, type: AttributeType.INT, i }),
  ints: (name: string, ints: readonly number[]): Attribute => ({ name, type: AttributeType.INTS, ints: [...ints] }),
  /** ONNX float attributes are 32-bit: alpha and eps lose digits beyond float32 here. */
  float: (name: string, f: number): Attribute => ({ name, type: AttributeType.FLOAT, f }),
};

export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private prefix = '';
  private where = '';
  private count = 0;

  constructor(
    readonly op: string,
    readonly dtype: FloatType,
    readonly opset: number,
  ) {}

  /** Starts emitting a spec of layer `index` (several specs may share one); `where` describes it in errors. */
  enter(index: number, where: string): void {
    if (this.prefix !== `layer${index}`) this.count = 0;
    this.prefix = `layer${index}`;
    this.where = where;
  }

  /** Adds a node and returns the name of its (single) output. */
  node(opType: string, inputs: readonly string[], attributes: readonly Attribute[] = []): string {
    if (this.dtype === 'float64' && !DOUBLE_KERNELS.has(opType)) {
      throw new ValueError(
        `${this.op}: ${this.where} exports to the ONNX operator ${opType}, which ONNX Runtime runs in float32 only ` +
          `(no float64 kernel); export with { dtype: 'float32' }`,
      );
    }
    const name = `${this.prefix}/${opType}_${this.count}`;
    this.count++;
    this.nodes.push({ name, opType, input: [...inputs], output: [name], attribute: [...attributes] });
    return name;
  }

  /** Adds a float initializer `layerN.<name>` in the export dtype and returns its name. */
  weight(name: string, a: MLArray | { shape: readonly number[]; data: ArrayLike<number> }): string {
    const full = `${this.prefix}.${name}`;
    if (this.dtype === 'float32') {
      for (let i = 0; i < a.data.length; i++) {
        if (Math.abs(Math.fround(a.data[i]!)) === Infinity) {
          throw new ValueError(`${this.op}: ${this.where}: ${name} holds ${a.data[i]}, beyond float32's range; export with { dtype: 'float64' }`);
        }
      }
    }
    this.initializers.push(writeTensor(full, a.shape, a.data, this.dtype));
    return full;
  }
}
