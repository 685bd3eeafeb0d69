import { onnx } from './src/generated/onnx.js';
import * as ort from 'onnxruntime-web';
ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'fatal';
const T = onnx.TensorProto.DataType;
function init(name, dims, vals, dt) { const b = dt === T.DOUBLE ? new Float64Array(vals) : new Float32Array(vals); return { name, dims, dataType: dt, rawData: new Uint8Array(b.buffer) }; }
const attrI = (name, i) => ({ name, type: onnx.AttributeProto.AttributeType.INT, i });
const attrIs = (name, ints) => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints });
const attrF = (name, f) => ({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f });
const cases = {
  Gemm: { shape: [2, 3], extra: (dt) => [init('W', [3, 2], [1,2,3,4,5,6], dt), init('b', [2], [1,2], dt)], inputs: ['W', 'b'] },
  MatMul: { shape: [2, 3], extra: (dt) => [init('W', [3, 2], [1,2,3,4,5,6], dt)], inputs: ['W'] },
  Add: { shape: [2, 3], extra: (dt) => [init('W', [3], [1,2,3], dt)], inputs: ['W'] },
  Sub: { shape: [2, 3], extra: (dt) => [init('W', [3], [1,2,3], dt)], inputs: ['W'] },
  Mul: { shape: [2, 3], extra: (dt) => [init('W', [3], [1,2,3], dt)], inputs: ['W'] },
  Div: { shape: [2, 3], extra: (dt) => [init('W', [3], [1,2,3], dt)], inputs: ['W'] },
  Sqrt: { shape: [2, 3] }, Relu: { shape: [2, 3] }, LeakyRelu: { shape: [2, 3], attrs: [attrF('alpha', 0.1)] }, Elu: { shape: [2, 3] },
  Sigmoid: { shape: [2, 3] }, Tanh: { shape: [2, 3] }, Softmax: { shape: [2, 3], attrs: [attrI('axis', -1)] }, Identity: { shape: [2, 3] },
  Exp: { shape: [2, 3] }, Log: { shape: [2, 3] }, Neg: { shape: [2, 3] }, Max: {shape:[2,3]}, Abs: {shape:[2,3]},
  Flatten: { shape: [2, 1, 2, 2], attrs: [attrI('axis', 1)] },
  Conv: { shape: [1, 1, 3, 3], extra: (dt) => [init('W', [1, 1, 2, 2], [1,2,3,4], dt)], inputs: ['W'] },
  MaxPool: { shape: [1, 1, 4, 4], attrs: [attrIs('kernel_shape', [2, 2]), attrIs('strides', [2, 2])] },
  AveragePool: { shape: [1, 1, 4, 4], attrs: [attrIs('kernel_shape', [2, 2]), attrIs('strides', [2, 2])] },
  BatchNormalization: { shape: [2, 3], extra: (dt) => ['g', 'b', 'm', 'v'].map((n) => init(n, [3], [1, 2, 3], dt)), inputs: ['g', 'b', 'm', 'v'] },
  LayerNormalization: { shape: [2, 3], extra: (dt) => ['g', 'b'].map((n) => init(n, [3], [1, 2, 3], dt)), inputs: ['g', 'b'], attrs: [attrI('axis', -1)] },
  ReduceMean: { shape: [2, 3], attrs: [attrIs('axes', [-1])] },
  Dropout: { shape: [2, 3] },
  Pow: { shape: [2, 3], extra: (dt) => [init('W', [], [2], dt)], inputs: ['W'] },
};
const rows = [];
for (const [op, c] of Object.entries(cases)) {
  const res = [];
  for (const [dtn, dt] of [['float', T.FLOAT], ['double', T.DOUBLE]]) {
    const size = c.shape.reduce((a, b) => a * b, 1);
    const model = { irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph: { name: 'g',
      node: [{ opType: op, input: ['input', ...(c.inputs ?? [])], output: ['output'], attribute: c.attrs ?? [] }],
      initializer: c.extra ? c.extra(dt) : [],
      input: [{ name: 'input', type: { tensorType: { elemType: dt, shape: { dim: c.shape.map((d) => ({ dimValue: d })) } } } }],
      output: [{ name: 'output', type: { tensorType: { elemType: dt } } }] } };
    try {
      const s = await ort.InferenceSession.create(onnx.ModelProto.encode(model).finish());
      const data = dtn === 'float' ? new Float32Array(size) : new Float64Array(size);
      for (let i = 0; i < size; i++) data[i] = (i % 5) - 1.5;
      await s.run({ input: new ort.Tensor(dtn === 'float' ? 'float32' : 'float64', data, c.shape) });
      res.push('ok');
    } catch (e) { res.push('FAIL: ' + String(e.message).slice(0, 110)); }
  }
  rows.push(`${op.padEnd(20)} float ${res[0]} | double ${res[1]}`);
}
console.log(rows.join('\n'));
