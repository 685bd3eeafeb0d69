// The built-in optimizers' updates (core's UpdateKernels, @smolml/optim's SGD and Adam loops), on
// float64 arrays in this memory, two numbers per f64x2 vector. Every element is computed with
// the same operations in the same order as the TypeScript loop (WebAssembly rounds each one, as
// JavaScript does, and never fuses a multiply and an add), so the numbers are the same bit for
// bit, in the fused-multiply-add builds too: these loops call no relaxed instruction.
// Each returns the loop's finiteness check: the sum of g[i] * 0 + next[i] * 0, 0 when every
// gradient and updated value is finite and NaN otherwise. Arguments are byte offsets and counts;
// the JavaScript side checks that the arrays are in memory and that outputs do not partly
// overlap inputs.

/** next[i] = theta[i] - lr * g[i], or theta[i] - lr * (g[i] + wd * theta[i]) when wd != 0, for i < n. */
export function sgdF64(theta: usize, g: usize, next: usize, n: i32, lr: f64, wd: f64): f64 {
  const LR = f64x2.splat(lr);
  const WD = f64x2.splat(wd);
  const zero = f64x2.splat(0);
  let finite = zero;
  const end = <usize>n << 3;
  let i: usize = 0;
  if (wd == 0) {
    for (; i + 16 <= end; i += 16) {
      const gi = v128.load(g + i);
      const ni = f64x2.sub(v128.load(theta + i), f64x2.mul(LR, gi));
      v128.store(next + i, ni);
      finite = f64x2.add(finite, f64x2.add(f64x2.mul(gi, zero), f64x2.mul(ni, zero)));
    }
  } else {
    for (; i + 16 <= end; i += 16) {
      const gi = v128.load(g + i);
      const ti = v128.load(theta + i);
      const ni = f64x2.sub(ti, f64x2.mul(LR, f64x2.add(gi, f64x2.mul(WD, ti))));
      v128.store(next + i, ni);
      finite = f64x2.add(finite, f64x2.add(f64x2.mul(gi, zero), f64x2.mul(ni, zero)));
    }
  }
  let sum = f64x2.extract_lane(finite, 0) + f64x2.extract_lane(finite, 1);
  if (i < end) {
    const gi = load<f64>(g + i);
    const ti = load<f64>(theta + i);
    const ni = wd == 0 ? ti - lr * gi : ti - lr * (gi + wd * ti);
    store<f64>(next + i, ni);
    sum += gi * 0 + ni * 0;
  }
  return sum;
}

/**
 * Adam (AdamW: shrink = 1 - lr * weightDecay; Adam: shrink = 1), for i < n:
 *   mNext[i] = b1 * m[i] + (1 - b1) * g[i]
 *   vNext[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
 *   next[i]  = theta[i] * shrink - (lr * (mNext[i] / bc1)) / (sqrt(vNext[i] / bc2) + eps)
 * (c1 = 1 - b1 and c2 = 1 - b2, as the TypeScript loop computes them).
 */
export function adamF64(
  theta: usize, g: usize, m: usize, v: usize, next: usize, mNext: usize, vNext: usize, n: i32,
  b1: f64, b2: f64, c1: f64, c2: f64, bc1: f64, bc2: f64, lr: f64, eps: f64, shrink: f64,
): f64 {
  const B1 = f64x2.splat(b1);
  const B2 = f64x2.splat(b2);
  const C1 = f64x2.splat(c1);
  const C2 = f64x2.splat(c2);
  const BC1 = f64x2.splat(bc1);
  const BC2 = f64x2.splat(bc2);
  const LR = f64x2.splat(lr);
  const EPS = f64x2.splat(eps);
  const SHRINK = f64x2.splat(shrink);
  const zero = f64x2.splat(0);
  let finite = zero;
  const end = <usize>n << 3;
  let i: usize = 0;
  for (; i + 16 <= end; i += 16) {
    const gi = v128.load(g + i);
    const mi = f64x2.add(f64x2.mul(B1, v128.load(m + i)), f64x2.mul(C1, gi));
    const vi = f64x2.add(f64x2.mul(B2, v128.load(v + i)), f64x2.mul(f64x2.mul(C2, gi), gi));
    v128.store(mNext + i, mi);
    v128.store(vNext + i, vi);
    const step = f64x2.div(f64x2.mul(LR, f64x2.div(mi, BC1)), f64x2.add(f64x2.sqrt(f64x2.div(vi, BC2)), EPS));
    const ni = f64x2.sub(f64x2.mul(v128.load(theta + i), SHRINK), step);
    v128.store(next + i, ni);
    finite = f64x2.add(finite, f64x2.add(f64x2.mul(gi, zero), f64x2.mul(ni, zero)));
  }
  let sum = f64x2.extract_lane(finite, 0) + f64x2.extract_lane(finite, 1);
  if (i < end) {
    const gi = load<f64>(g + i);
    const mi = b1 * load<f64>(m + i) + c1 * gi;
    const vi = b2 * load<f64>(v + i) + c2 * gi * gi;
    store<f64>(mNext + i, mi);
    store<f64>(vNext + i, vi);
    const ni = load<f64>(theta + i) * shrink - (lr * (mi / bc1)) / (Math.sqrt(vi / bc2) + eps);
    store<f64>(next + i, ni);
    sum += gi * 0 + ni * 0;
  }
  return sum;
}
