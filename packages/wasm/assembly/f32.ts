// float32 GEMM on f32x4 with a 4 x 8 register tile (eight f32x4 accumulators): twice the
// arithmetic per instruction of the float64 kernel, for createWasmBackend({ precision: 'float32' }).
//
// Operands stay float64 in memory and are rounded to float32 while packing; each KC-long
// block of products is summed in float32 in registers and then added to C in float64. Same
// blocking, packing and summation order as f64.ts, so results do not depend on threads.

import { KC, MC, NC } from './f64';

const MR: i32 = 4; // rows of the register tile
const NR: i32 = 8; // columns of the register tile (two f32x4)

/** float32 twin of gemmF64 (same arguments; A, B and C are float64 in memory). */
export function gemmF32(
  transA: bool, transB: bool, m: i32, n: i32, k: i32,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, scratch: usize,
): void {
  const packA = scratch;
  const packB = packA + <usize>(MC * KC * 16);
  const edge = packB + <usize>(KC * NC * 8);
  for (let jc: i32 = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc: i32 = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB32(transB, b, ldb, pc, kc, jc, nc, packB);
      for (let ic: i32 = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA32(transA, a, lda, ic, mc, pc, kc, packA);
        block32(mc, nc, kc, packA, packB, c + (<usize>(ic * ldc + jc) << 3), ldc, edge);
      }
    }
  }
}

// Panels of 4 rows of op(A), each number rounded to f32 and stored as an f32x4 splat.
function packA32(transA: bool, a: usize, lda: i32, ic: i32, mc: i32, pc: i32, kc: i32, out: usize): void {
  for (let i0 = ic; i0 < ic + mc; i0 += MR) {
    const rows = min(MR, ic + mc - i0);
    for (let p = pc; p < pc + kc; p++) {
      for (let r: i32 = 0; r < MR; r++) {
        let v: f64 = 0;
        if (r < rows) v = load<f64>(a + (<usize>(transA ? p * lda + i0 + r : (i0 + r) * lda + p) << 3));
        v128.store(out, f32x4.splat(<f32>v));
        out += 16;
      }
    }
  }
}

// Panels of 8 columns of op(B) rounded to f32: for each p, B(p, j0..j0+7); missing columns are zeros.
function packB32(transB: bool, b: usize, ldb: i32, pc: i32, kc: i32, jc: i32, nc: i32, out: usize): void {
  for (let j0 = jc; j0 < jc + nc; j0 += NR) {
    const cols = min(NR, jc + nc - j0);
    if (!transB && cols == NR) {
      // contiguous: 8 doubles per row, narrowed two at a time
      for (let p = pc; p < pc + kc; p++) {
        const src = b + (<usize>(p * ldb + j0) << 3);
        v128.store(out, narrow(v128.load(src), v128.load(src, 16)));
        v128.store(out, narrow(v128.load(src, 32), v128.load(src, 48)), 16);
        out += 32;
      }
      continue;
    }
    for (let p = pc; p < pc + kc; p++) {
      for (let q: i32 = 0; q < NR; q++) {
        let v: f64 = 0;
        if (q < cols) v = load<f64>(b + (<usize>(transB ? (j0 + q) * ldb + p : p * ldb + j0 + q) << 3));
        store<f32>(out, <f32>v);
        out += 4;
      }
    }
  }
}

// [lo0, lo1, hi0, hi1] as f32x4, each rounded to nearest (as Math.fround).
// @ts-ignore: decorator
@inline
function narrow(lo: v128, hi: v128): v128 {
  return i64x2.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
}

function block32(mc: i32, nc: i32, kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, edge: usize): void {
  for (let j: i32 = 0; j < nc; j += NR) {
    const nr = min(NR, nc - j);
    const bOff = pb + (<usize>(j * kc) << 2);
    for (let i: i32 = 0; i < mc; i += MR) {
      const mr = min(MR, mc - i);
      const aOff = pa + (<usize>(i * kc) << 4);
      const cOff = c + (<usize>(i * ldc + j) << 3);
      if (mr == MR && nr == NR) {
        tile32(kc, aOff, bOff, cOff, ldc);
      } else {
        memory.fill(edge, 0, MR * NR * 8);
        tile32(kc, aOff, bOff, edge, NR);
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

// C[0..4, 0..8] += sum_p a_p b_p^T in f32x4 accumulators (the register layout of tile64),
// then widened to f64 and added to C.
// @ts-ignore: decorator
@inline
function tile32(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32): void {
  let c0l = f32x4.splat(0), c0h = f32x4.splat(0);
  let c1l = f32x4.splat(0), c1h = f32x4.splat(0);
  let c2l = f32x4.splat(0), c2h = f32x4.splat(0);
  let c3l = f32x4.splat(0), c3h = f32x4.splat(0);
  const end = pb + (<usize>kc << 5);
  while (pb < end) {
    const bl = v128.load(pb);
    const bh = v128.load(pb, 16);
    let av = v128.load(pa);
    c0l = f32x4.add(c0l, f32x4.mul(av, bl));
    c0h = f32x4.add(c0h, f32x4.mul(av, bh));
    av = v128.load(pa, 16);
    c1l = f32x4.add(c1l, f32x4.mul(av, bl));
    c1h = f32x4.add(c1h, f32x4.mul(av, bh));
    av = v128.load(pa, 32);
    c2l = f32x4.add(c2l, f32x4.mul(av, bl));
    c2h = f32x4.add(c2h, f32x4.mul(av, bh));
    av = v128.load(pa, 48);
    c3l = f32x4.add(c3l, f32x4.mul(av, bl));
    c3h = f32x4.add(c3h, f32x4.mul(av, bh));
    pa += 64;
    pb += 32;
  }
  const row = <usize>ldc << 3;
  addRow(c, c0l, c0h);
  c += row;
  addRow(c, c1l, c1h);
  c += row;
  addRow(c, c2l, c2h);
  c += row;
  addRow(c, c3l, c3h);
}

// c[0..8] (f64) += [lo, hi] (f32x4 x 2), widened exactly.
// @ts-ignore: decorator
@inline
function addRow(c: usize, lo: v128, hi: v128): void {
  v128.store(c, f64x2.add(v128.load(c), f64x2.promote_low_f32x4(lo)));
  v128.store(c, f64x2.add(v128.load(c, 16), f64x2.promote_low_f32x4(i64x2.shuffle(lo, lo, 1, 1))), 16);
  v128.store(c, f64x2.add(v128.load(c, 32), f64x2.promote_low_f32x4(hi)), 32);
  v128.store(c, f64x2.add(v128.load(c, 48), f64x2.promote_low_f32x4(i64x2.shuffle(hi, hi, 1, 1))), 48);
}
