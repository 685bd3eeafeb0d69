// The element-wise loops and sums of core's compiled training step (core's StepKernels), on
// float64 arrays in this memory, two numbers per f64x2 vector. Each gives the numbers of core's
// TypeScript loop bit for bit: an element's result is the same comparison, select or single add,
// and sumAxis adds the rows in the same order (each column's sum starts at 0). Arguments are
// byte offsets and counts; the JavaScript side checks that the arrays are in memory and do not
// partly overlap.

/** y[i] = x[i] < 0 ? 0 : x[i] for i < n (relu: NaN and -0 pass through, as in core). */
export function reluF64(x: usize, y: usize, n: i32): void {
  const zero = f64x2.splat(0);
  const end = <usize>n << 3;
  let i: usize = 0;
  for (; i + 16 <= end; i += 16) {
    const v = v128.load(x + i);
    v128.store(y + i, v128.bitselect(zero, v, f64x2.lt(v, zero)));
  }
  if (i < end) {
    const v = load<f64>(x + i);
    store<f64>(y + i, v < 0 ? 0 : v);
  }
}

/** gx[i] = x[i] <= 0 ? 0 : g[i] for i < n (relu's backward; a NaN x passes g through, as in core). */
export function reluBackwardF64(g: usize, x: usize, gx: usize, n: i32): void {
  const zero = f64x2.splat(0);
  const end = <usize>n << 3;
  let i: usize = 0;
  for (; i + 16 <= end; i += 16) {
    v128.store(gx + i, v128.bitselect(zero, v128.load(g + i), f64x2.le(v128.load(x + i), zero)));
  }
  if (i < end) store<f64>(gx + i, load<f64>(x + i) <= 0 ? 0 : load<f64>(g + i));
}

/** out[r, j] = a[r, j] + b[j] for r < rows, j < cols (row-major; a bias added to each row). */
export function addRowF64(a: usize, b: usize, out: usize, rows: i32, cols: i32): void {
  const width = <usize>cols << 3;
  for (let r = 0; r < rows; r++) {
    const row = <usize>r * width;
    let j: usize = 0;
    for (; j + 16 <= width; j += 16) v128.store(out + row + j, f64x2.add(v128.load(a + row + j), v128.load(b + j)));
    if (j < width) store<f64>(out + row + j, load<f64>(a + row + j) + load<f64>(b + j));
  }
}

/**
 * out[o, j] = x[o, 0, j] + x[o, 1, j] + ... + x[o, n - 1, j] (x is outer x n x inner, out is
 * outer x inner), each sum started at 0 and taken in order of the middle index, as core's sumAxis:
 * the rows are swept one after another, adding each into out.
 */
export function sumAxisF64(x: usize, outer: i32, n: i32, inner: i32, out: usize): void {
  const width = <usize>inner << 3;
  for (let o = 0; o < outer; o++) {
    const sums = out + <usize>o * width;
    memory.fill(sums, 0, width);
    for (let r = 0; r < n; r++) {
      const row = x + (<usize>o * <usize>n + <usize>r) * width;
      let j: usize = 0;
      for (; j + 16 <= width; j += 16) v128.store(sums + j, f64x2.add(v128.load(sums + j), v128.load(row + j)));
      if (j < width) store<f64>(sums + j, load<f64>(sums + j) + load<f64>(row + j));
    }
  }
}

/** Zeroes `bytes` bytes from `at` (memory.fill: about memset's speed, where a JavaScript fill of a shared array runs at a fraction of it). */
export function zeroBytes(at: usize, bytes: usize): void {
  memory.fill(at, 0, bytes);
}
