/**
 * 2-d convolution (cross-correlation, as in PyTorch), NCHW input x (N, C, H, W), weights
 * w (O, C, kh, kw), output (N, O, oh, ow). Per image, with cols = im2col(x_n) (K x P,
 * K = C·kh·kw, P = oh·ow) and w read as a K-column matrix (O x K):
 *
 *   y_n = w @ cols                      (O x P, already NCHW)
 *   dw  = sum_n g_n @ cols^T            (O x K)
 *   dx_n = col2im(w^T @ g_n)            (the adjoint of im2col scatters patches back)
 *
 * All three products run on the backend's gemm, so a faster backend (WASM SIMD) speeds
 * convolution up with no code here. One image at a time keeps the patch matrix small enough
 * to stay in cache between im2col and the product, and lets one reused buffer hold it: the
 * patches are recomputed in backward instead of being kept alive by the graph.
 * A 1x1 kernel with stride 1 and no padding needs no packing: x_n itself is cols (C x H·W).
 *
 * Optional bias b (O) and relu, fused: y_n = relu(w @ cols + b), and backward first turns g_n
 * into g'_n = g_n * relu'(y_n), then db += the sum of each row of g'_n. These are exactly the
 * operations (and summation order) of a separate `add` of b.reshape(1, O, 1, 1), `relu` and
 * their backward passes, so the numbers are the same; they run here because each is then done
 * on one image's output block while it is still in cache, instead of as three more passes over
 * the whole (N, O, oh, ow) array, which is far larger than the cache.
 */
import { getBackend } from '../kernels/backend.js';
import { col2im, im2col, patchBuffer } from '../kernels/conv.js';
import { sumBlocks } from '../kernels/reduce.js';
import { type Window2d, window2d } from '../kernels/window.js';
import type { Shape } from '../shape-types.js';
import { elementwiseRules } from './elementwise.js';
import type { Conv2dParams, Rule, RuleTable, Tensor } from './types.js';

/** The relu rule's own loops, so the fused relu computes exactly what `relu` does. */
const relu = elementwiseRules.relu.loops;

interface Layout {
  n: number;
  c: number;
  o: number;
  g: Window2d;
  /** rows of the patch matrix: C·kh·kw */
  k: number;
  /** output positions per image: oh·ow */
  p: number;
  /** 1x1 kernel, stride 1, no padding: x_n is its own patch matrix */
  direct: boolean;
}

function layout(xs: Shape, ws: Shape, { stride, padding }: Conv2dParams): Layout {
  const [n, c, h, w] = xs as [number, number, number, number];
  const [o, , kh, kw] = ws as [number, number, number, number];
  const g = window2d(h, w, [kh, kw], stride, padding);
  const direct = kh === 1 && kw === 1 && g.sh === 1 && g.sw === 1 && g.ph === 0 && g.pw === 0;
  return { n, c, o, g, k: c * kh * kw, p: g.oh * g.ow, direct };
}

/** y = relu(y + b[row]) on one image's output block (o rows of p), each part when asked: the fused epilogue. */
function epilogue(y: Float64Array, o: number, p: number, bias: Float64Array | null, withRelu: boolean): void {
  if (bias !== null) {
    // the broadcast add's loop (kernels/broadcast.ts blockRight): y + b, one constant per row
    for (let r = 0, i = 0; r < o; r++) {
      const s = bias[r]!;
      for (const end = i + p; i < end; i++) y[i] = y[i]! + s;
    }
  }
  if (withRelu) relu.forward(y, y, {});
}

/**
 * conv2d's forward pass into `out` (every one of its N·O·oh·ow numbers is written): what the
 * rule computes, also run by a replayed training step (trace/replay.ts) into a buffer it keeps.
 */
export function conv2dForward([x, w, bias]: readonly Tensor[], params: Conv2dParams, out: Float64Array): void {
  const { n, c, o, g, k, p, direct } = layout(x!.shape, w!.shape, params);
  const backend = getBackend();
  const image = c * g.h * g.w;
  const cols = direct ? null : patchBuffer(k * p);
  for (let i = 0; i < n; i++) {
    let b = x!.data.subarray(i * image, (i + 1) * image);
    if (cols !== null) {
      im2col(x!.data, i * image, c, g, cols);
      b = cols;
    }
    const yi = out.subarray(i * o * p, (i + 1) * o * p);
    backend.gemm(false, false, o, p, k, w!.data, b, yi, false);
    epilogue(yi, o, p, bias?.data ?? null, params.relu === true);
  }
}

/**
 * conv2d's backward pass: adds dL/dx, dL/dw and dL/db for the upstream gradient `gOut` into
 * `gx`, `gw` and `gb` (each zero on entry, or null where not needed). `out` is the forward result.
 */
export function conv2dBackward(
  gOut: Float64Array, [x, w]: readonly Tensor[], out: Tensor, params: Conv2dParams,
  gx: Float64Array | null, gw: Float64Array | null, gb: Float64Array | null,
): void {
  const { n, c, o, g, k, p, direct } = layout(x!.shape, w!.shape, params);
  const backend = getBackend();
  const image = c * g.h * g.w;
  const cols = direct ? null : patchBuffer(k * p);
  const gRelu = params.relu === true ? new Float64Array(o * p) : null;
  for (let i = 0; i < n; i++) {
    let gi = gOut.subarray(i * o * p, (i + 1) * o * p);
    if (gRelu !== null) {
      // relu's backward reads its input z only through z <= 0, which holds exactly where
      // y = relu(z) <= 0 (NaN stays NaN), so y stands in for z
      const yi = out.data.subarray(i * o * p, (i + 1) * o * p);
      relu.backward(gi, yi, yi, gRelu, {});
      gi = gRelu;
    }
    if (gb !== null) sumBlocks(gi, 1, o, g.oh, g.ow, gb, true);
    if (gw !== null) {
      let b = x!.data.subarray(i * image, (i + 1) * image);
      if (cols !== null) {
        im2col(x!.data, i * image, c, g, cols);
        b = cols;
      }
      backend.gemm(false, true, o, k, p, gi, b, gw, true); // dw += g_n (O x P) @ cols^T (P x K)
    }
    if (gx !== null) {
      const gxi = gx.subarray(i * image, (i + 1) * image);
      // dcols = w^T (K x O) @ g_n (O x P); the direct case writes it straight into dx_n
      backend.gemm(true, false, k, p, o, w!.data, gi, cols ?? gxi, false);
      if (cols !== null) col2im(cols, c, g, gx, i * image);
    }
  }
}

const conv2d: Rule<Conv2dParams> = {
  reads: [0, 1, 'out'],
  forward(inputs, params) {
    const { n, o, g } = layout(inputs[0]!.shape, inputs[1]!.shape, params);
    const out = new Float64Array(n * o * g.oh * g.ow);
    conv2dForward(inputs, params, out);
    return { data: out, shape: [n, o, g.oh, g.ow] };
  },
  backward(gOut, { inputs, out, params, needs }) {
    const [x, w, bias] = inputs;
    const gx = needs[0] ? new Float64Array(x!.data.length) : null;
    const gw = needs[1] ? new Float64Array(w!.data.length) : null;
    const gb = bias !== undefined && needs[2] ? new Float64Array(bias.data.length) : null;
    conv2dBackward(gOut, inputs, out, params, gx, gw, gb);
    return bias === undefined ? [gx, gw] : [gx, gw, gb];
  },
};

export const convRules = { conv2d } satisfies Partial<RuleTable>;
