/**
 * Arguments of the image ops (conv2d, maxPool2d, avgPool2d): sizes given as `number | [h, w]`
 * become pairs, and shapes are checked before anything is allocated, with messages that name
 * the op, the shapes or values and what to do. The result is the primitive's params.
 */
import { ShapeError, ValueError, formatShape } from './errors.js';
import { windowCount } from './kernels/window.js';
import type { MLArray } from './mlarray.js';
import type { Conv2dParams, MaxPool2dParams, Pair, Pool2dParams } from './ops/types.js';
import { sizeOf } from './shape.js';
import type { Shape } from './shape-types.js';
import { checkOptions, describeValue } from './validate.js';

/** A size of an image op: one number for both axes, or `[height, width]`. */
export type Size2d = number | readonly [number, number];

/** Options of `MLArray.conv2d`. */
export interface Conv2dOptions {
  /** Step between windows (default 1). */
  stride?: Size2d;
  /** Zeros added on each side of the input (default 0). */
  padding?: Size2d;
  /** `(Cout)`: added to every position of output channel c, as PyTorch's `conv2d(x, w, bias)` (default none). */
  bias?: MLArray | null;
  /**
   * Apply relu to the result, in the same pass (default false): the same numbers as `.relu()`
   * afterwards, but faster, because a large output is not read and written twice more.
   */
  relu?: boolean | null;
}
/** Options of `MLArray.maxPool2d`. */
export interface MaxPool2dOptions {
  /** Step between windows (default: the kernel size, so windows tile the input). */
  stride?: Size2d;
  /** −∞ added on each side (default 0); at most half the kernel size, as in PyTorch. */
  padding?: Size2d;
}
/** Options of `MLArray.avgPool2d`. */
export interface AvgPool2dOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Size2d;
}

/**
 * Largest output an image op may produce: 2^28 numbers (2 GiB). Beyond that a typo in
 * `padding` would otherwise turn into a huge allocation or a raw RangeError.
 */
const MAX_OUTPUT = 2 ** 28;

/** `v` as a pair of integers >= min; undefined/null give `fallback` (null: the argument is required). */
export function toPair(op: string, name: string, v: unknown, min: number, fallback: Pair | null): Pair {
  if ((v === undefined || v === null) && fallback !== null) return fallback;
  const ok = (d: unknown): d is number => typeof d === 'number' && Number.isSafeInteger(d) && d >= min;
  if (ok(v)) return [v, v];
  if (Array.isArray(v) && v.length === 2 && ok(v[0]) && ok(v[1])) return [v[0], v[1]];
  throw new ValueError(`${op}: ${name} must be an integer >= ${min} or a pair [h, w] of them, got ${describeValue(v)}`);
}

/** Checks that x is (N, C, H, W) with non-empty C, H, W. */
function checkImages(op: string, xs: Shape): void {
  if (xs.length !== 4) {
    throw new ShapeError(
      `${op}: input must be 4-D (N, C, H, W), got shape ${formatShape(xs)}` +
        (xs.length === 3 ? `; for a single image add a batch axis: x.reshape([1, ${xs.join(', ')}])` : ''),
    );
  }
  if (xs[1] === 0 || xs[2] === 0 || xs[3] === 0) {
    throw new ShapeError(`${op}: input ${formatShape(xs)} has an empty channel or spatial axis; C, H and W must be >= 1`);
  }
}

/** Checks that the window fits the (padded) input and the output is not absurdly large. */
function checkWindow(op: string, what: string, xs: Shape, kernel: Pair, stride: Pair, padding: Pair, channels: number): void {
  const h = xs[2]!;
  const w = xs[3]!;
  const [ph, pw] = padding;
  if (kernel[0] > h + 2 * ph || kernel[1] > w + 2 * pw) {
    throw new ShapeError(
      `${op}: ${what} ${kernel[0]}x${kernel[1]} is larger than the padded input ${h + 2 * ph}x${w + 2 * pw} ` +
        `(input ${formatShape(xs)}, padding [${ph}, ${pw}]); use a smaller ${what}${op === 'avgPool2d' ? ' or a larger input' : ' or more padding'}`,
    );
  }
  const out = [xs[0]!, channels, windowCount(h, kernel[0], stride[0], ph), windowCount(w, kernel[1], stride[1], pw)];
  if (sizeOf(out) > MAX_OUTPUT) {
    throw new ShapeError(`${op}: the output ${formatShape(out)} would hold ${sizeOf(out)} numbers (more than 2^28); reduce the padding or the batch size`);
  }
}

/** conv2d params for x (N, Cin, H, W) and weight (Cout, Cin, kH, kW). */
export function conv2dParams(xs: Shape, ws: Shape, options: Conv2dOptions | undefined): Conv2dParams {
  const opts = checkOptions('conv2d', options, ['stride', 'padding', 'bias', 'relu']);
  if (opts.relu != null && typeof opts.relu !== 'boolean') throw new ValueError(`conv2d: options.relu must be true or false, got ${describeValue(opts.relu)}`);
  const stride = toPair('conv2d', 'stride', opts.stride, 1, [1, 1]);
  const padding = toPair('conv2d', 'padding', opts.padding, 0, [0, 0]);
  checkImages('conv2d', xs);
  if (ws.length !== 4) throw new ShapeError(`conv2d: weight must be 4-D (Cout, Cin, kH, kW), got shape ${formatShape(ws)}`);
  if (ws.includes(0)) throw new ShapeError(`conv2d: weight ${formatShape(ws)} has an empty axis; Cout, Cin, kH and kW must be >= 1`);
  if (xs[1] !== ws[1]) {
    throw new ShapeError(
      `conv2d: input ${formatShape(xs)} has ${xs[1]} channel${xs[1] === 1 ? '' : 's'} but weight ${formatShape(ws)} expects Cin = ${ws[1]}; ` +
        'axis 1 of the input and of the weight must match',
    );
  }
  checkWindow('conv2d', 'kernel', xs, [ws[2]!, ws[3]!], stride, padding, ws[0]!);
  // Patch matrix of one image: (Cin·kH·kW) x (Hout·Wout), also bounded.
  const patches = ws[1]! * ws[2]! * ws[3]! * windowCount(xs[2]!, ws[2]!, stride[0], padding[0]) * windowCount(xs[3]!, ws[3]!, stride[1], padding[1]);
  if (patches > MAX_OUTPUT) {
    throw new ShapeError(`conv2d: the patch matrix of one image would hold ${patches} numbers (more than 2^28); reduce the padding or the image size`);
  }
  if (opts.bias != null && (opts.bias.shape.length !== 1 || opts.bias.shape[0] !== ws[0])) {
    throw new ShapeError(`conv2d: bias must have shape ${formatShape([ws[0]!])} (one number per output channel of weight ${formatShape(ws)}), got ${formatShape(opts.bias.shape)}`);
  }
  return opts.relu === true ? { stride, padding, relu: true } : { stride, padding };
}

/** maxPool2d params for x (N, C, H, W). */
export function maxPool2dParams(xs: Shape, kernelSize: Size2d, options: MaxPool2dOptions | undefined): MaxPool2dParams {
  const opts = checkOptions('maxPool2d', options, ['stride', 'padding']);
  const kernel = toPair('maxPool2d', 'kernelSize', kernelSize, 1, null);
  const stride = toPair('maxPool2d', 'stride', opts.stride, 1, kernel);
  const padding = toPair('maxPool2d', 'padding', opts.padding, 0, [0, 0]);
  if (2 * padding[0] > kernel[0] || 2 * padding[1] > kernel[1]) {
    throw new ValueError(
      `maxPool2d: padding [${padding.join(', ')}] must be at most half of the kernel size [${kernel.join(', ')}] ` +
        `(as in PyTorch, so that every window holds a real number); use padding <= [${kernel.map((k) => Math.floor(k / 2)).join(', ')}]`,
    );
  }
  checkImages('maxPool2d', xs);
  checkWindow('maxPool2d', 'kernel', xs, kernel, stride, padding, xs[1]!);
  return { kernel, stride, padding };
}

/** avgPool2d params for x (N, C, H, W). */
export function avgPool2dParams(xs: Shape, kernelSize: Size2d, options: AvgPool2dOptions | undefined): Pool2dParams {
  const opts = checkOptions('avgPool2d', options, ['stride']);
  const kernel = toPair('avgPool2d', 'kernelSize', kernelSize, 1, null);
  const stride = toPair('avgPool2d', 'stride', opts.stride, 1, kernel);
  checkImages('avgPool2d', xs);
  checkWindow('avgPool2d', 'kernel', xs, kernel, stride, [0, 0], xs[1]!);
  return { kernel, stride };
}
