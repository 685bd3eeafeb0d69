/**
 * @smolml/onnx — export smolml networks as ONNX (to run them in ONNX Runtime on servers, phones
 * and GPUs) and import ONNX models written by `torch.onnx.export` as smolml networks.
 *
 * Both directions go through a small intermediate representation, a list of layer specs
 * (`readOnnx` and `writeOnnx` expose it).
 * @packageDocumentation
 */
export { toOnnx, writeOnnx, type ToOnnxOptions } from './export/to-onnx.js';
export { fromOnnx, readOnnx, type FromOnnxOptions, type OnnxNetworkLoss } from './import/from-onnx.js';
export type { ModelSpec, LayerSpec, LayerKind, SpecOf, ActivationKind, Dim, Pair } from './ir.js';
export { MAX_TENSOR_ELEMENTS, type FloatType } from './tensor.js';
