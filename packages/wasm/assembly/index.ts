// WebAssembly SIMD GEMM on float64 (f64x2), compiled with AssemblyScript (`asc --enable simd`).
//
// The same blocked, packed algorithm as @smolml/core's kernels/gemm-packed.ts, with a 4 x 4
// register tile held as 8 f64x2 vectors. The JavaScript side (src/backend.ts) owns the memory
// layout: it copies A, B (and C when accumulating) into linear memory, passes byte offsets,
// and reserves scratch space for the packed panels. Nothing here allocates.

const MR: i32 = 4; // rows of the register tile
const NR: i32 = 4; // columns of the register tile (two f64x2 lanes)
export const KC: i32 = 256; // depth of a packed block
export const MC: i32 = 128; // rows of a packed A block
export const NC: i32 = 512; // columns of a packed B block

/** First free byte after the module's static data: the JS side lays its buffers out from here. */
export function heapBase(): usize {
  return __heap_base;
}

/**
 * C (m x n, row-major) += op(A) @ op(B). A is m x k (k x m when transA), B is k x n (n x k
 * when transB). `packA` needs MC*KC doubles and `packB` KC*NC doubles of scratch.
 */
export function gemm(
  transA: bool, transB: bool, m: i32, n: i32, k: i32,
  a: usize, b: usize, c: usize, packA: usize, packB: usize,
): void {
  for (let jc: i32 = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc: i32 = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packPanelsB(transB, b, n, k, pc, kc, jc, nc, packB);
      for (let ic: i32 = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packPanelsA(transA, a, m, k, ic, mc, pc, kc, packA);
        macroKernel(mc, nc, kc, packA, packB, c + (<usize>(ic * n + jc) << 3), n);
      }
    }
  }
}

// Panels of 4 rows of op(A): for each p, A(i0..i0+3, p) side by side; missing rows are zeros.
function packPanelsA(transA: bool, a: usize, m: i32, k: i32, ic: i32, mc: i32, pc: i32, kc: i32, out: usize): void {
  for (let i0 = ic; i0 < ic + mc; i0 += MR) {
    const rows = min(MR, ic + mc - i0);
    for (let p = pc; p < pc + kc; p++) {
      for (let r: i32 = 0; r < MR; r++) {
        let v: f64 = 0;
        if (r < rows) v = transA ? load<f64>(a + (<usize>(p * m + i0 + r) << 3)) : load<f64>(a + (<usize>((i0 + r) * k + p) << 3));
        store<f64>(out, v);
        out += 8;
      }
    }
  }
}

// Panels of 4 columns of op(B): for each p, B(p, j0..j0+3) side by side; missing columns are zeros.
function packPanelsB(transB: bool, b: usize, n: i32, k: i32, pc: i32, kc: i32, jc: i32, nc: i32, out: usize): void {
  for (let j0 = jc; j0 < jc + nc; j0 += NR) {
    const cols = min(NR, jc + nc - j0);
    if (!transB && cols == NR) {
      // contiguous: copy 4 doubles per row with two vector moves
      for (let p = pc; p < pc + kc; p++) {
        const src = b + (<usize>(p * n + j0) << 3);
        v128.store(out, v128.load(src));
        v128.store(out, v128.load(src, 16), 16);
        out += 32;
      }
      continue;
    }
    for (let p = pc; p < pc + kc; p++) {
      for (let q: i32 = 0; q < NR; q++) {
        let v: f64 = 0;
        if (q < cols) v = transB ? load<f64>(b + (<usize>((j0 + q) * k + p) << 3)) : load<f64>(b + (<usize>(p * n + j0 + q) << 3));
        store<f64>(out, v);
        out += 8;
      }
    }
  }
}

// Scratch tile for ragged edges (static data, 16-byte aligned).
const edge = memory.data(MR * NR * 8, 16);

function macroKernel(mc: i32, nc: i32, kc: i32, pa: usize, pb: usize, c: usize, ldc: i32): void {
  for (let j: i32 = 0; j < nc; j += NR) {
    const nr = min(NR, nc - j);
    const bOff = pb + (<usize>(j * kc) << 3);
    for (let i: i32 = 0; i < mc; i += MR) {
      const mr = min(MR, mc - i);
      const aOff = pa + (<usize>(i * kc) << 3);
      const cOff = c + (<usize>(i * ldc + j) << 3);
      if (mr == MR && nr == NR) {
        tile4x4(kc, aOff, bOff, cOff, ldc);
      } else {
        memory.fill(edge, 0, MR * NR * 8);
        tile4x4(kc, aOff, bOff, edge, NR);
        for (let r: i32 = 0; r < mr; r++) {
          for (let q: i32 = 0; q < nr; q++) {
            const dst = cOff + (<usize>(r * ldc + q) << 3);
            store<f64>(dst, load<f64>(dst) + load<f64>(edge + (<usize>(r * NR + q) << 3)));
          }
        }
      }
    }
  }
}

// C[0..4, 0..4] += sum_p a_p b_p^T with the tile in 8 f64x2 registers: each p loads 4 numbers
// of B (2 vectors) and broadcasts 4 numbers of A, for 16 multiply-adds. (A 6 x 4 tile, 12
// accumulators, measured 30% slower in V8: its register allocator starts spilling.)
// @ts-ignore: decorator
@inline
function tile4x4(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32): void {
  let c0l = f64x2.splat(0), c0h = f64x2.splat(0);
  let c1l = f64x2.splat(0), c1h = f64x2.splat(0);
  let c2l = f64x2.splat(0), c2h = f64x2.splat(0);
  let c3l = f64x2.splat(0), c3h = f64x2.splat(0);
  for (let p: i32 = 0; p < kc; p++) {
    const bl = v128.load(pb);
    const bh = v128.load(pb, 16);
    let av = v128.load64_splat(pa);
    c0l = f64x2.add(c0l, f64x2.mul(av, bl));
    c0h = f64x2.add(c0h, f64x2.mul(av, bh));
    av = v128.load64_splat(pa, 8);
    c1l = f64x2.add(c1l, f64x2.mul(av, bl));
    c1h = f64x2.add(c1h, f64x2.mul(av, bh));
    av = v128.load64_splat(pa, 16);
    c2l = f64x2.add(c2l, f64x2.mul(av, bl));
    c2h = f64x2.add(c2h, f64x2.mul(av, bh));
    av = v128.load64_splat(pa, 24);
    c3l = f64x2.add(c3l, f64x2.mul(av, bl));
    c3h = f64x2.add(c3h, f64x2.mul(av, bh));
    pa += 32;
    pb += 32;
  }
  const row = <usize>ldc << 3;
  v128.store(c, f64x2.add(v128.load(c), c0l));
  v128.store(c, f64x2.add(v128.load(c, 16), c0h), 16);
  c += row;
  v128.store(c, f64x2.add(v128.load(c), c1l));
  v128.store(c, f64x2.add(v128.load(c, 16), c1h), 16);
  c += row;
  v128.store(c, f64x2.add(v128.load(c), c2l));
  v128.store(c, f64x2.add(v128.load(c, 16), c2h), 16);
  c += row;
  v128.store(c, f64x2.add(v128.load(c), c3l));
  v128.store(c, f64x2.add(v128.load(c, 16), c3h), 16);
}
