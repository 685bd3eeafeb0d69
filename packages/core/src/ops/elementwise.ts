/**
 * Elementwise primitives. Each unary op is written as its forward loop and, beside it, the
 * loop of its local derivative times the upstream gradient: gx = g * dy/dx.
 */
import { ValueError, formatShape } from '../errors.js';
import { allFinite } from '../kernels/finite.js';
import { sizeOf } from '../shape.js';
import type { BinaryCode } from '../kernels/broadcast.js';
import type { NoParams, Operand, PrimitiveParams, Rule, RuleTable, Tensor } from './types.js';
import { bin, negate, sumTo } from './util.js';

// ---- binary ops with broadcasting --------------------------------------------------

/** g * d(out)/d(operand), on the output's (broadcast) shape. */
type Derivative = (g: Float64Array, a: Tensor, b: Tensor, out: Tensor) => Float64Array;

/**
 * A broadcasting binary rule from its kernel and its two partial derivatives (each times g);
 * backward then undoes the broadcast by summing each back to its operand's shape (sumTo).
 * `check` may refuse a forward result.
 */
function binary(code: BinaryCode, reads: readonly Operand[], da: Derivative, db: Derivative, check?: (out: Tensor, a: Tensor, b: Tensor) => void): Rule<NoParams> {
  return {
    reads,
    forward([a, b]) {
      const out = bin(code, a!.data, a!.shape, b!.data, b!.shape);
      check?.(out, a!, b!);
      return out;
    },
    backward: (g, { inputs: [a, b], out, needs }) => [
      needs[0] ? sumTo(da(g, a!, b!, out), out.shape, a!.shape) : null,
      needs[1] ? sumTo(db(g, a!, b!, out), out.shape, b!.shape) : null,
    ],
  };
}

/** g * x and g / x on the output's shape (x broadcast to it). */
const times = (g: Float64Array, out: Tensor, x: Tensor): Float64Array => bin('mul', g, out.shape, x.data, x.shape).data;
const over = (g: Float64Array, out: Tensor, x: Tensor): Float64Array => bin('div', g, out.shape, x.data, x.shape).data;
const same: Derivative = (g) => g;

/** NaN anywhere in `d`? (allFinite rules out NaN and ±Infinity at once; only then look closer.) */
function hasNaN(d: Float64Array): boolean {
  if (allFinite(d)) return false;
  for (let i = 0; i < d.length; i++) if (d[i] !== d[i]) return true;
  return false;
}

/** x / 0 is ±Infinity (IEEE), but 0 / 0 and ±Infinity / ±Infinity would silently be NaN: refuse those. */
function refuseNewNaN(out: Tensor, a: Tensor, b: Tensor): void {
  if (hasNaN(out.data) && !hasNaN(a.data) && !hasNaN(b.data)) {
    const i = out.data.findIndex((v) => v !== v);
    throw new ValueError(
      `div: element ${i} of the result is NaN (0/0 or ±Infinity/±Infinity) for operands of shapes ` +
        `${formatShape(a.shape)} and ${formatShape(b.shape)}; guard the denominator, e.g. b.add(1e-12)`,
    );
  }
}

// d(a+b) = (1, 1); d(a-b) = (1, -1); d(ab) = (b, a); d(a/b) = (1/b, -a/b^2 = -(a/b)/b)
const add = binary('add', [], same, same);
const sub = binary('sub', [], same, (g) => negate(g));
const mul = binary('mul', [0, 1], (g, _a, b, out) => times(g, out, b), (g, a, _b, out) => times(g, out, a));
const div = binary('div', [1, 'out'], (g, _a, b, out) => over(g, out, b), (g, _a, b, out) => negate(over(times(g, out, out), out, b)), refuseNewNaN);

// ---- unary ops -------------------------------------------------------------------

/** A unary op's forward loop: y = f(x), written into y. */
export type Fwd<P> = (x: Float64Array, y: Float64Array, p: P) => void;
/** A unary op's derivative loop: gx = g * f'(x), written into gx (it may read x and y). */
export type Bwd<P> = (g: Float64Array, x: Float64Array, y: Float64Array, gx: Float64Array, p: P) => void;

/** A unary rule that also exposes its two loops, so a replayed step (trace/replay.ts) runs the very same ones into its own buffers. */
export interface UnaryRule<P> extends Rule<P> {
  readonly loops: { readonly forward: Fwd<P>; readonly backward: Bwd<P> };
}

/**
 * A unary rule from its forward loop and its derivative loop. `reads` lists what the derivative
 * loop reads: the input x (0) and/or the output y ('out'); omitted, both (see Rule.reads).
 */
function unary<P>(forward: Fwd<P>, backward: Bwd<P>, reads?: readonly Operand[]): UnaryRule<P> {
  return {
    ...(reads === undefined ? {} : { reads }),
    forward([x], p) {
      const y = new Float64Array(sizeOf(x!.shape));
      forward(x!.data, y, p);
      return { data: y, shape: x!.shape };
    },
    backward(g, { inputs: [x], out, params }) {
      const gx = new Float64Array(g.length);
      backward(g, x!.data, out.data, gx, params);
      return [gx];
    },
    loops: { forward, backward },
  };
}

function domainError(op: string, what: string, x: Float64Array, i: number): never {
  throw new ValueError(`${op}: ${what} (element ${i} is ${x[i]}); the result would be NaN`);
}

/** relu's select table: [an element, +0, another element, +0]; slots 1 and 3 are never written. */
const pick = new Float64Array(4);

const unaryRules = {
  neg: unary<NoParams>(
    (x, y) => { for (let i = 0; i < x.length; i++) y[i] = -x[i]!; },
    (g, _x, _y, gx) => { for (let i = 0; i < g.length; i++) gx[i] = -g[i]!; },
    [],
  ),
  // d/dx e^x = e^x = y
  exp: unary<NoParams>(
    (x, y) => { for (let i = 0; i < x.length; i++) y[i] = Math.exp(x[i]!); },
    (g, _x, y, gx) => { for (let i = 0; i < g.length; i++) gx[i] = g[i]! * y[i]!; },
    ['out'],
  ),
  // d/dx ln x = 1/x
  log: unary<NoParams>(
    (x, y) => {
      for (let i = 0; i < x.length; i++) {
        if (x[i]! < 0) domainError('log', 'logarithm of a negative number', x, i);
        y[i] = Math.log(x[i]!);
      }
    },
    (g, x, _y, gx) => { for (let i = 0; i < g.length; i++) gx[i] = g[i]! / x[i]!; },
    [0],
  ),
  // d/dx sqrt x = 1 / (2 sqrt x)
  sqrt: unary<NoParams>(
    (x, y) => {
      for (let i = 0; i < x.length; i++) {
        if (x[i]! < 0) domainError('sqrt', 'square root of a negative number', x, i);
        y[i] = Math.sqrt(x[i]!);
      }
    },
    (g, _x, y, gx) => { for (let i = 0; i < g.length; i++) gx[i] = g[i]! / (2 * y[i]!); },
    ['out'],
  ),
  // d/dx |x| = sign(x), 0 at 0 (PyTorch's choice)
  abs: unary<NoParams>(
    (x, y) => { for (let i = 0; i < x.length; i++) y[i] = Math.abs(x[i]!); },
    (g, x, _y, gx) => { for (let i = 0; i < g.length; i++) gx[i] = x[i]! > 0 ? g[i]! : x[i]! < 0 ? -g[i]! : 0; },
    [0],
  ),
  // relu(x) = x < 0 ? 0 : x, relu'(x) = 1 for x > 0, 0 for x <= 0 (0 at 0), as PyTorch; written
  // with `< 0` / `<= 0` so that NaN propagates (relu(NaN) = NaN, its gradient passes through,
  // like PyTorch's) and relu(-0) = -0. Each select is a load from `pick` (the element at index
  // 0, +0 at index 1; a second pair at 2 and 3), not a branch: activations have random signs,
  // and a branch mispredicted on half of them made these loops 3-4x slower. Two elements per
  // iteration, each with its own pair of slots, so their selects overlap. Same bits as a branch.
  relu: unary<NoParams>(
    (x, y) => {
      const t = pick;
      const n = x.length;
      let i = 0;
      for (; i + 1 < n; i += 2) {
        const a = x[i]!;
        const b = x[i + 1]!;
        t[0] = a;
        t[2] = b;
        y[i] = t[+(a < 0)]!;
        y[i + 1] = t[2 + +(b < 0)]!;
      }
      if (i < n) {
        const a = x[i]!;
        t[0] = a;
        y[i] = t[+(a < 0)]!;
      }
    },
    (g, x, _y, gx) => {
      const t = pick;
      const n = g.length;
      let i = 0;
      for (; i + 1 < n; i += 2) {
        t[0] = g[i]!;
        t[2] = g[i + 1]!;
        gx[i] = t[+(x[i]! <= 0)]!;
        gx[i + 1] = t[2 + +(x[i + 1]! <= 0)]!;
      }
      if (i < n) {
        t[0] = g[i]!;
        gx[i] = t[+(x[i]! <= 0)]!;
      }
    },
    [0],
  ),
  // sigmoid' = y (1 - y); forward never evaluates e^x for large positive x
  sigmoid: unary<NoParams>(
    (x, y) => {
      for (let i = 0; i < x.length; i++) {
        const v = x[i]!;
        if (v >= 0) y[i] = 1 / (1 + Math.exp(-v));
        else {
          const e = Math.exp(v);
          y[i] = e / (1 + e);
        }
      }
    },
    (g, _x, y, gx) => { for (let i = 0; i < g.length; i++) gx[i] = g[i]! * y[i]! * (1 - y[i]!); },
    ['out'],
  ),
  // tanh' = 1 - y^2
  tanh: unary<NoParams>(
    (x, y) => { for (let i = 0; i < x.length; i++) y[i] = Math.tanh(x[i]!); },
    (g, _x, y, gx) => { for (let i = 0; i < g.length; i++) gx[i] = g[i]! * (1 - y[i]! * y[i]!); },
    ['out'],
  ),
  // softplus(x) = log(1 + e^x), written max(x, 0) + log1p(e^-|x|) so e^x never overflows and
  // tiny results keep full precision; its derivative is sigmoid(x)
  softplus: unary<NoParams>(
    (x, y) => {
      for (let i = 0; i < x.length; i++) {
        const v = x[i]!;
        y[i] = (v > 0 ? v : 0) + Math.log1p(Math.exp(-Math.abs(v)));
      }
    },
    (g, x, _y, gx) => {
      for (let i = 0; i < g.length; i++) {
        const e = Math.exp(-Math.abs(x[i]!)); // sigmoid(x) from e^-|x| <= 1: no overflow
        gx[i] = g[i]! * (x[i]! >= 0 ? 1 / (1 + e) : e / (1 + e));
      }
    },
    [0],
  ),
  // d/dx x^e = e x^(e-1)
  pow: unary<PrimitiveParams['pow']>(
    (x, y, { exponent: e }) => {
      const frac = !Number.isInteger(e);
      for (let i = 0; i < x.length; i++) {
        if (frac && x[i]! < 0) domainError('pow', `negative base with fractional exponent ${e}`, x, i);
        y[i] = e === 2 ? x[i]! * x[i]! : x[i]! ** e;
      }
    },
    (g, x, _y, gx, { exponent: e }) => {
      if (e === 0) return; // gx stays 0
      for (let i = 0; i < g.length; i++) gx[i] = g[i]! * e * (e === 2 ? x[i]! : x[i]! ** (e - 1));
    },
    [0],
  ),
  // slope 1 for x > 0, alpha otherwise
  leakyRelu: unary<PrimitiveParams['leakyRelu']>(
    (x, y, { alpha }) => { for (let i = 0; i < x.length; i++) y[i] = x[i]! > 0 ? x[i]! : alpha * x[i]!; },
    (g, x, _y, gx, { alpha }) => { for (let i = 0; i < g.length; i++) gx[i] = x[i]! > 0 ? g[i]! : alpha * g[i]!; },
    [0],
  ),
  // alpha (e^x - 1) for x <= 0, whose derivative alpha e^x equals y + alpha
  elu: unary<PrimitiveParams['elu']>(
    (x, y, { alpha }) => { for (let i = 0; i < x.length; i++) y[i] = x[i]! > 0 ? x[i]! : alpha * Math.expm1(x[i]!); },
    (g, x, y, gx, { alpha }) => { for (let i = 0; i < g.length; i++) gx[i] = x[i]! > 0 ? g[i]! : g[i]! * (y[i]! + alpha); },
    [0, 'out'],
  ),
  // gradient passes where min <= x <= max (PyTorch's clamp)
  clip: unary<PrimitiveParams['clip']>(
    (x, y, { min, max }) => { for (let i = 0; i < x.length; i++) y[i] = x[i]! < min ? min : x[i]! > max ? max : x[i]!; },
    (g, x, _y, gx, { min, max }) => { for (let i = 0; i < g.length; i++) gx[i] = x[i]! >= min && x[i]! <= max ? g[i]! : 0; },
    [0],
  ),
} satisfies Partial<RuleTable>;

export const elementwiseRules = { add, sub, mul, div, ...unaryRules } satisfies Partial<RuleTable>;
