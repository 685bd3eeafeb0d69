/**
 * Finite-difference gradient checking in float64: compares the gradient that backward()
 * computes with central differences (f(x + h) - f(x - h)) / 2h for every input element.
 */
import { MLArray } from './mlarray.js';
import { ShapeError, ValueError } from './errors.js';

/** Options of `gradcheck`. */
export interface GradcheckOptions {
  /** Step of the central difference (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-6). */
  atol?: number;
  /** Relative tolerance (default 1e-5). */
  rtol?: number;
  /** Upstream gradient for a non-scalar output; default: a fixed pseudo-random array. */
  upstream?: MLArray;
}

/** What `gradcheck` found. */
export interface GradcheckResult {
  /** Whether every entry agreed within atol + rtol·|numeric|. */
  ok: boolean;
  /** Largest |analytic - numeric| over all inputs. */
  maxAbsError: number;
  /** The first failing entry, when !ok. */
  failure?: { input: number; index: number; analytic: number; numeric: number };
  /** The gradient from backward(), one array per input. */
  analytic: MLArray[];
  /** The central-difference gradient, one array per input. */
  numeric: MLArray[];
}

/**
 * Checks `fn`'s gradients with respect to each of `inputs` (which are not modified).
 * @example
 * const x = MLArray.from([[0.5, -1], [2, 3]]);
 * gradcheck((a) => a.tanh().sum(), [x]).ok; // true
 */
export function gradcheck(fn: (...xs: MLArray[]) => MLArray, inputs: readonly MLArray[], opts: GradcheckOptions = {}): GradcheckResult {
  const eps = opts.eps ?? 1e-6;
  const atol = opts.atol ?? 1e-6;
  const rtol = opts.rtol ?? 1e-5;
  const leaves = inputs.map((x) => new MLArray(x.data.slice(), x.shape, true));
  const out = fn(...leaves);
  let up = opts.upstream;
  if (up === undefined) {
    // Deterministic, non-uniform weights so errors cannot cancel out in a plain sum.
    up = new MLArray(Float64Array.from({ length: out.size }, (_, i) => 0.5 + ((i * 7919) % 13) / 13), out.shape);
  }
  if (up.size !== out.size) throw new ShapeError('gradcheck: upstream must have the shape of the output');
  out.backward(up);
  const analytic = leaves.map((l) => l.grad ?? MLArray.zeros(l.shape));
  const w = up.data;
  const objective = (xs: MLArray[]): number =>
    MLArray.noGrad(() => {
      const y = fn(...xs).data;
      let s = 0;
      for (let i = 0; i < y.length; i++) s += y[i]! * w[i]!;
      return s;
    });
  const numeric: MLArray[] = [];
  let maxAbsError = 0;
  let failure: GradcheckResult['failure'];
  inputs.forEach((x, k) => {
    const probe = inputs.map((v) => new MLArray(v.data.slice(), v.shape));
    const num = new Float64Array(x.size);
    for (let i = 0; i < x.size; i++) {
      const orig = probe[k]!.data[i]!;
      probe[k]!.data[i] = orig + eps;
      const fp = objective(probe);
      probe[k]!.data[i] = orig - eps;
      const fm = objective(probe);
      probe[k]!.data[i] = orig;
      num[i] = (fp - fm) / (2 * eps);
      if (!Number.isFinite(num[i]!)) throw new ValueError(`gradcheck: non-finite numeric gradient at input ${k}, element ${i}`);
      const a = analytic[k]!.data[i]!;
      const err = Math.abs(a - num[i]!);
      maxAbsError = Math.max(maxAbsError, err);
      if ((!(err <= atol + rtol * Math.abs(num[i]!))) && failure === undefined) failure = { input: k, index: i, analytic: a, numeric: num[i]! };
    }
    numeric.push(new MLArray(num, x.shape));
  });
  const result: GradcheckResult = { ok: failure === undefined, maxAbsError, analytic, numeric };
  if (failure) result.failure = failure;
  return result;
}
