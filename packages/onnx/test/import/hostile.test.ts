/**
 * Bytes that are not a model smolml can import: random, truncated or corrupted files, graphs
 * with unsupported operators or attributes, branching graphs, absurd tensor sizes, external
 * data. Every one gives a ValueError (or a ShapeError for shapes that do not fit) naming what is
 * wrong; none gives a raw protobuf exception, a huge allocation or a half-built network.
 */
import { ShapeError, SmolMLError, ValueError } from '@smolml/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TENSOR_ELEMENTS, fromOnnx, readOnnx } from '../../src/index.js';
import { DataLocation, encodeModel } from '../../src/proto.js';
import { torchModel } from '../fixtures.js';
import { DataType, attr, f32, i64, linearModel, model, modelProto, node, value } from '../models.js';

/** fromOnnx either imports or throws a smolml error; anything else (RangeError, TypeError, ...) fails. */
function importOrSmolMLError(bytes: Uint8Array): 'ok' | 'error' {
  try {
    fromOnnx(bytes);
    return 'ok';
  } catch (e) {
    if (!(e instanceof SmolMLError)) throw new Error(`not a smolml error: ${String(e)}`);
    return 'error';
  }
}

describe('bytes that are not an ONNX model', () => {
  it('random bytes (fast-check, seeded): ValueError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 3000 }), (bytes) => {
        expect(() => fromOnnx(bytes)).toThrow(ValueError);
      }),
      { seed: 12, numRuns: 300 },
    );
  });

  it('every truncation of a real model: ValueError', () => {
    const full = torchModel('cnn_fused_view', 17);
    for (let n = 0; n < full.length; n++) {
      const cut = full.subarray(0, n);
      let error: unknown;
      try {
        readOnnx(cut);
      } catch (e) {
        error = e;
      }
      if (!(error instanceof ValueError)) throw new Error(`truncated to ${n} bytes: ${error === undefined ? 'no error' : String(error)}`);
    }
    expect(readOnnx(full).layers.length).toBe(6);
  });

  it('a corrupted byte anywhere (fast-check, seeded): an import or a smolml error, never a raw exception', () => {
    const full = torchModel('mlp_batchnorm_dropout', 17);
    fc.assert(
      fc.property(fc.nat(full.length - 1), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const bytes = full.slice();
        bytes[at] = bytes[at]! ^ xor;
        importOrSmolMLError(bytes);
        try {
          readOnnx(bytes);
        } catch (e) {
          if (!(e instanceof SmolMLError)) throw e;
        }
      }),
      { seed: 5, numRuns: 400 },
    );
  });

  it('empty input, text, and protobuf nested deeper than the decoder allows: ValueError', () => {
    expect(() => fromOnnx(new Uint8Array(0))).toThrow(/the model is empty/);
    expect(() => fromOnnx(new TextEncoder().encode('{"format": "smolml-network"}'))).toThrow(ValueError);
    // ModelProto.graph -> GraphProto.node -> NodeProto.attribute -> AttributeProto.g -> GraphProto.node ...,
    // 300 levels deep (protobufjs refuses to encode that, so the length-delimited fields are written here)
    const varint = (n: number) => { const out = []; for (; n > 127; n >>>= 7) out.push((n & 127) | 128); out.push(n); return out; };
    const wrap = (field: number, body: number[]) => [(field << 3) | 2, ...varint(body.length), ...body];
    let graph: number[] = [];
    for (let i = 0; i < 300; i++) graph = wrap(1, wrap(5, wrap(6, graph))); // node { attribute { g { ... } } }
    const deep = new Uint8Array([8, 8, ...wrap(7, graph)]); // ir_version 8, graph
    expect(() => fromOnnx(deep)).toThrow(/protobuf decoding failed: max depth exceeded/);
  });
});

describe('tensor sizes are checked before allocating', () => {
  const withWeight = (t: Parameters<typeof f32>[0] extends string ? ReturnType<typeof f32> : never) =>
    model({ nodes: [node('Gemm', ['input', 'W'], ['output'], [attr.int('transB', 1)])], initializers: [t] });

  it('huge declared dims without the data: ValueError naming the tensor and the limit', () => {
    const huge = withWeight({ name: 'W', dims: [1e9, 1e9], dataType: DataType.FLOAT });
    expect(() => fromOnnx(huge)).toThrow(new RegExp(`initializer 'W' declares shape \\(1000000000, 1000000000\\), more than the ${MAX_TENSOR_ELEMENTS} elements`));
    const beyond = withWeight({ name: 'W', dims: [2 ** 62], dataType: DataType.FLOAT });
    expect(() => fromOnnx(beyond)).toThrow(/dimension 0 of initializer 'W' is 4611686018427387904, beyond the integers a JavaScript number holds exactly/);
    const negative = withWeight({ name: 'W', dims: [2, -3], dataType: DataType.FLOAT });
    expect(() => fromOnnx(negative)).toThrow(/has dimension -3 in \(2, -3\); dimensions must be integers >= 0/);
  });

  it('dims that the data present does not fill: ValueError', () => {
    expect(() => fromOnnx(withWeight({ name: 'W', dims: [2, 3], dataType: DataType.FLOAT, floatData: [1, 2, 3, 4, 5] }))).toThrow(
      /initializer 'W' of shape \(2, 3\) needs 6 values, the file holds 5/,
    );
    expect(() => fromOnnx(withWeight({ name: 'W', dims: [2, 3], dataType: DataType.FLOAT, rawData: new Uint8Array(20) }))).toThrow(
      /initializer 'W' of shape \(2, 3\) needs 24 bytes of FLOAT data, the file holds 20/,
    );
  });

  it('float_data, double_data and raw doubles are read as well as raw floats', () => {
    const x = [[1, 2, 3]];
    const expected = fromOnnx(withWeight(f32('W', [2, 3], [1, 2, 3, 4, 5, 6]))).predict(x).toArray();
    expect(fromOnnx(withWeight({ name: 'W', dims: [2, 3], dataType: DataType.FLOAT, floatData: [1, 2, 3, 4, 5, 6] })).predict(x).toArray()).toEqual(expected);
    const fractional = fromOnnx(withWeight({ name: 'W', dims: [2, 3], dataType: DataType.DOUBLE, doubleData: [0.1, 0, 0, 0, 0, 0.5] }));
    expect(fractional.predict(x).toArray()).toEqual([[0.1, 1.5]]);
    expect(fromOnnx(withWeight({ name: 'W', dims: [2, 3], dataType: DataType.DOUBLE, doubleData: [1, 2, 3, 4, 5, 6] })).predict(x).toArray()).toEqual(expected);
    expect(expected).toEqual([[14, 32]]);
  });

  it('external data and unsupported element types: ValueError saying what to do', () => {
    const external = withWeight({ name: 'W', dims: [2, 3], dataType: DataType.FLOAT, dataLocation: DataLocation.EXTERNAL, externalData: [{ key: 'location', value: 'weights.bin' }] });
    expect(() => fromOnnx(external)).toThrow(/initializer 'W' keeps its values in an external file \('weights.bin'\).*save_as_external_data=False/);
    const half = withWeight({ name: 'W', dims: [2, 3], dataType: DataType.FLOAT16, rawData: new Uint8Array(12) });
    expect(() => fromOnnx(half)).toThrow(/initializer 'W' has data type FLOAT16; smolml reads FLOAT, DOUBLE, INT32, INT64 and BOOL tensors/);
  });

  it('an integer weight where floats are needed: ValueError', () => {
    expect(() => fromOnnx(withWeight(i64('W', [2, 3], [1, 2, 3, 4, 5, 6])))).toThrow(/the weight \(input 1\) must be a float initializer or constant, got a int constant of shape \(2, 3\)/);
  });
});

describe('graphs smolml does not import', () => {
  it('an unsupported operator: ValueError naming the node and its op type', () => {
    const sin = linearModel({ nodes: [node('Sin', ['h'], ['output'], [], 'the_sine')] });
    expect(() => fromOnnx(sin)).toThrow(ValueError);
    expect(() => fromOnnx(sin)).toThrow(/fromOnnx: node 'the_sine' \(Sin\): the operator Sin is not supported; smolml imports Add, AveragePool/);
    const custom = linearModel({ nodes: [{ ...node('Relu', ['h'], ['output']), domain: 'com.microsoft' }] });
    expect(() => fromOnnx(custom)).toThrow(/is from the operator set 'com.microsoft'/);
  });

  it('branches: a value read twice, a residual Add', () => {
    const twice = linearModel({ nodes: [node('Relu', ['h'], ['a']), node('Sigmoid', ['h'], ['output'])] });
    expect(() => fromOnnx(twice)).toThrow(/node 'Sigmoid_output' \(Sigmoid\): reads 'h', an earlier value of the network, again: the model branches/);
    const residual = linearModel({ nodes: [node('Relu', ['h'], ['r']), node('Add', ['h', 'r'], ['output'])] });
    expect(() => fromOnnx(residual)).toThrow(ValueError);
  });

  it('inputs, outputs and names that do not make a chain', () => {
    const two = model({ nodes: [node('Relu', ['input'], ['output'])], inputs: [value('input', ['batch', 3]), value('other', ['batch', 3])] });
    expect(() => fromOnnx(two)).toThrow(/the graph has 2 inputs \('input', 'other'\); smolml imports models with exactly one/);
    const dangling = linearModel({ nodes: [node('Relu', ['nowhere'], ['output'])] });
    expect(() => fromOnnx(dangling)).toThrow(/reads 'nowhere', which no earlier node, initializer or input defines/);
    const twiceDefined = linearModel({ nodes: [node('Relu', ['h'], ['h'])] });
    expect(() => fromOnnx(twiceDefined)).toThrow(/writes 'h', which is already defined/);
    const notEnd = linearModel({ nodes: [node('Relu', ['h'], ['r'])] });
    expect(() => fromOnnx(notEnd)).toThrow(/the graph's output 'output' is never computed/);
    const indices = model({
      nodes: [node('MaxPool', ['input'], ['p', 'idx'], [attr.ints('kernel_shape', [2, 2])]), node('Flatten', ['idx'], ['output'])],
      inputs: [value('input', ['batch', 1, 4, 4])],
    });
    expect(() => fromOnnx(indices)).toThrow(/fromOnnx: node 'Flatten_output' \(Flatten\): reads 'idx', which is output 1 of node 'MaxPool_p' \(MaxPool\) \(smolml computes only the first output\)/);
    const rank1 = model({ nodes: [node('Relu', ['input'], ['output'])], inputs: [value('input', [3])] });
    expect(() => fromOnnx(rank1)).toThrow(/must declare its rank/);
    const ints = model({ nodes: [node('Relu', ['input'], ['output'])], inputs: [value('input', ['batch', 3], DataType.INT64)] });
    expect(() => fromOnnx(ints)).toThrow(/has element type INT64; smolml imports FLOAT and DOUBLE models/);
  });

  it('opsets outside 9-21 and files without a graph: ValueError', () => {
    expect(() => fromOnnx(linearModel({ opset: 8 }))).toThrow(/uses ONNX opset 8; smolml reads opsets 9 to 21/);
    expect(() => fromOnnx(linearModel({ opset: 22 }))).toThrow(ValueError);
    const noGraph = encodeModel({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }] });
    expect(() => fromOnnx(noGraph)).toThrow(/decode to no ONNX model/);
    const noOpset = encodeModel({ ...modelProto({ nodes: [] }), opsetImport: [] });
    expect(() => fromOnnx(noOpset)).toThrow(/uses ONNX opset none/);
  });

  const image = (n: ReturnType<typeof node>, inits = [f32('W', [2, 1, 3, 3], Array(18).fill(0.1))]) =>
    model({ nodes: [n], initializers: inits, inputs: [value('input', ['batch', 1, 6, 6])], outputs: [value('output', null)] });

  it('attributes that change the meaning: ValueError naming the attribute', () => {
    const cases: [Uint8Array, RegExp][] = [
      [image(node('Conv', ['input', 'W'], ['output'], [attr.ints('pads', [1, 0, 0, 0])])), /the padding \[1,0,0,0\] is not symmetric/],
      [image(node('Conv', ['input', 'W'], ['output'], [attr.ints('dilations', [2, 2])])), /dilations \[2,2\] are not supported/],
      [image(node('Conv', ['input', 'W'], ['output'], [attr.int('group', 2)])), /group = 2 \(grouped or depthwise convolution\) is not supported/],
      [image(node('Conv', ['input', 'W'], ['output'], [attr.string('auto_pad', 'SAME_UPPER')])), /auto_pad 'SAME_UPPER' is not supported/],
      [image(node('MaxPool', ['input'], ['output'], [attr.ints('kernel_shape', [2, 2]), attr.int('ceil_mode', 1)])), /ceil_mode = 1 is not supported/],
      [image(node('MaxPool', ['input'], ['output'], [attr.ints('kernel_shape', [2, 2]), attr.ints('pads', [2, 2, 2, 2])])), /padding \[2,2\] must be at most half the kernel \[2,2\]/],
      [image(node('AveragePool', ['input'], ['output'], [attr.ints('kernel_shape', [2, 2]), attr.ints('pads', [1, 1, 1, 1])])), /padding \[1,1\] is not supported: smolml's average pooling does not pad/],
      [image(node('Flatten', ['input'], ['output'], [attr.int('axis', 2)])), /axis = 2 is not supported/],
      [image(node('Softmax', ['input'], ['output'], [attr.int('axis', 1)])), /softmax along axis 1 of a rank-4 input is not supported/],
      [image(node('Relu', ['input'], ['output'], [attr.float('alpha', 2)])), /unsupported attribute 'alpha'/],
      [image(node('Pad', ['input', 'P'], ['output']), [i64('P', [8], [0, 0, 1, 1, 0, 0, 1, 1])]), /only an all-zero padding \(an identity\) is supported/],
      [image(node('Reshape', ['input', 'S'], ['output']), [i64('S', [2], [-1, 9])]), /reshapes to \(-1, 9\); smolml imports Reshape only as a flatten/],
      [image(node('Conv', ['input', 'W'], ['output']), [f32('W', [2, 3, 3, 3], Array(54).fill(0))]), ShapeErrorMessage()],
    ];
    for (const [bytes, message] of cases) expect(() => readOnnx(bytes)).toThrow(message);
  });

  it('Gemm with transA, BatchNormalization and Dropout in training mode: ValueError', () => {
    expect(() => fromOnnx(linearModel({ gemmAttrs: [attr.int('transA', 1)] }))).toThrow(/transA = 1/);
    const bn = linearModel({
      nodes: [node('BatchNormalization', ['h', 'g', 'g', 'g', 'g'], ['output'], [attr.int('training_mode', 1)])],
      initializers: [f32('g', [2], [1, 1])],
    });
    expect(() => readOnnx(bn)).toThrow(/training_mode = 1 is not supported; export the PyTorch model in eval mode/);
    const drop = linearModel({
      nodes: [node('Dropout', ['h', 'r', 't'], ['output'])],
      initializers: [f32('r', [], [0.5]), { name: 't', dims: [], dataType: DataType.BOOL, int32Data: [1] }],
    });
    expect(() => readOnnx(drop)).toThrow(/Dropout.*training_mode = true is not supported/);
  });
});

function ShapeErrorMessage(): RegExp {
  // a (2, 3, 3, 3) weight on a 1-channel input
  return /expected input of shape \(batch, 3, height, width\), received \(\?, 1, 6, 6\)/;
}

it('a shape that does not fit is a ShapeError, a subclass of the same SmolMLError', () => {
  const bytes = model({
    nodes: [node('Gemm', ['input', 'W'], ['output'], [attr.int('transB', 1)])],
    initializers: [f32('W', [2, 4], Array(8).fill(1))],
  });
  expect(() => fromOnnx(bytes)).toThrow(ShapeError);
});
