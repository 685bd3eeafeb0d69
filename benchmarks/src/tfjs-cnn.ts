/**
 * The TF.js side of W5 (tf.sequential + model.fit, NHWC as TF.js wants it; a 1-channel image
 * has the same numbers in NHWC and NCHW order).
 *
 * `@tensorflow/tfjs-backend-wasm` 4.22 has no `Conv2DBackpropFilter` kernel, so training any
 * convolution there throws. registerWasmConvFilterGrad adds one built only from that backend's
 * own kernels: the filter gradient of a stride-1 convolution is itself a convolution, of the
 * input (batch and channels swapped) with the output gradient as the filter,
 *
 *   dW[a, b, ci, co] = sum over n, i, j of x[n, i + a - pt, j + b - pl, ci] * dy[n, i, j, co]
 *                    = conv2d(x^T (ci, H, W, n), dy^T (oh, ow, n, co))[ci, a, b, co],
 *
 * with explicit padding (pt, pb) so that the result has kh x kw positions, then transposed
 * to (kh, kw, ci, co). checkWasmConvFilterGrad compares it with a direct loop before any timing.
 */
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from './data.js';

type KernelFunc = (args: { inputs: Record<string, tf.TensorInfo>; backend: unknown; attrs: Record<string, unknown> }) => tf.TensorInfo;

interface WasmBackendLike {
  disposeData(dataId: object): void;
}

/** Registers Conv2DBackpropFilter on the wasm backend (stride 1, no dilation: what W5 needs). */
export function registerWasmConvFilterGrad(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  const conv = tf.getKernel('Conv2D', 'wasm')!.kernelFunc as unknown as KernelFunc;
  const transpose = tf.getKernel('Transpose', 'wasm')!.kernelFunc as unknown as KernelFunc;
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as {
      strides: number | [number, number]; pad: 'valid' | 'same' | number; dataFormat: 'NHWC' | 'NCHW';
      dimRoundingMode?: 'floor' | 'round' | 'ceil'; filterShape: [number, number, number, number];
    };
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast',
    );
    if (dataFormat === 'NCHW' || info.strideHeight !== 1 || info.strideWidth !== 1) {
      throw new Error('Conv2DBackpropFilter (benchmark kernel for the wasm backend): only NHWC, stride 1');
    }
    const [kh, kw] = filterShape;
    const [, h, w] = x.shape as number[];
    const { outHeight: oh, outWidth: ow } = info;
    const { top: pt, left: pl } = info.padInfo;
    const run = (f: KernelFunc, inputs: Record<string, tf.TensorInfo>, attrs: Record<string, unknown>) => f({ inputs, backend, attrs });
    const xt = run(transpose, { x }, { perm: [3, 1, 2, 0] }); // (ci, H, W, n)
    const dyt = run(transpose, { x: dy }, { perm: [1, 2, 0, 3] }); // (oh, ow, n, co)
    const pad4 = [[0, 0], [pt, kh - 1 + oh - h! - pt], [pl, kw - 1 + ow - w! - pl], [0, 0]];
    const r = run(conv, { x: xt, filter: dyt }, { strides: 1, pad: pad4, dataFormat: 'NHWC', dilations: 1 }); // (ci, kh, kw, co)
    const out = run(transpose, { x: r }, { perm: [1, 2, 0, 3] });
    for (const t of [xt, dyt, r]) (backend as WasmBackendLike).disposeData(t.dataId);
    return out;
  };
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
}

/** The registered kernel against a direct loop on a small 'same'-padded case; throws if they differ. */
export function checkWasmConvFilterGrad(): void {
  const [n, h, w, ci, co, k] = [3, 6, 5, 2, 4, 3];
  const xs = Float32Array.from({ length: n * h * w * ci }, (_, i) => Math.sin(i));
  const gs = Float32Array.from({ length: n * h * w * co }, (_, i) => Math.cos(i * 0.7));
  const got = tf.tidy(() => {
    const inputs = { x: tf.tensor4d(xs, [n, h, w, ci]), dy: tf.tensor4d(gs, [n, h, w, co]) };
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [k, k, ci, co] };
    return (tf.engine().runKernel('Conv2DBackpropFilter', inputs, attrs) as tf.Tensor).dataSync();
  });
  let worst = 0;
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) for (let c = 0; c < ci; c++) for (let o = 0; o < co; o++) {
    let s = 0;
    for (let m = 0; m < n; m++) for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) {
      const [r, q] = [i + a - 1, j + b - 1];
      if (r >= 0 && r < h && q >= 0 && q < w) s += xs[((m * h + r) * w + q) * ci + c]! * gs[((m * h + i) * w + j) * co + o]!;
    }
    worst = Math.max(worst, Math.abs(s - got[((a * k + b) * ci + c) * co + o]!));
  }
  if (!(worst < 1e-3)) throw new Error(`Conv2DBackpropFilter (wasm, benchmark kernel) differs from the direct loop by ${worst}`);
}

/** The W5 network, compiled with Adam(lr) and categorical cross-entropy. */
export function cnnModel(lr: number): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(lr), loss: 'categoricalCrossentropy' });
  return model;
}

/** Images (n, 28, 28, 1) and one-hot targets as float32 tensors. */
export function imageTensors(d: Dataset): [tf.Tensor4D, tf.Tensor2D] {
  return [tf.tensor4d(Float32Array.from(d.x), [d.rows, 28, 28, 1]), tf.tensor2d(Float32Array.from(d.y), [d.rows, d.classes])];
}
