// float32 GEMM on f32x4 with a 4 x 8 register tile (eight f32x4 accumulators): twice the
// arithmetic per instruction of the float64 kernel, for createWasmBackend({ precision: 'float32' }).
//
// Operands stay float64 in memory and are rounded to float32 while packing; each KC-long
// block of products is summed in float32 in registers and then added to C in float64. Same
// blocking, packing and summation order as f64.ts, so results do not depend on threads.

import { KC, MC, MR, NC } from './f64';

const NR: i32 = 8; // columns of the register tile (two f32x4)

/** float32 twin of gemmF64 (same arguments; A, B and C are float64 in memory). */
export function gemmF32(
  transA: bool, transB: bool, m: i32, n: i32, k: i32,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, scratch: usize, accumulate: bool,
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
        // the first block of a product that does not accumulate stores 0 + sum: C needs no zeroing
        block32(mc, nc, kc, packA, packB, c + (<usize>(ic * ldc + jc) << 3), ldc, edge, !accumulate && pc == 0);
      }
    }
  }
}

// Panels of 4 rows of op(A), each number rounded to f32 and stored as an f32x4 splat.
function packA32(transA: bool, a: usize, lda: i32, ic: i32, mc: i32, pc: i32, kc: i32, out: usize): void {
  const rowStep = (transA ? <usize>1 : <usize>lda) << 3;
  const colStep = (transA ? <usize>lda : <usize>1) << 3;
  for (let i0 = ic; i0 < ic + mc; i0 += MR) {
    const rows = min(MR, ic + mc - i0);
    let src = a + <usize>i0 * rowStep + <usize>pc * colStep;
    for (let p: i32 = 0; p < kc; p++) {
      for (let r: i32 = 0; r < MR; r++) {
        v128.store(out, f32x4.splat(r < rows ? <f32>load<f64>(src + <usize>r * rowStep) : 0));
        out += 16;
      }
      src += colStep;
    }
  }
}

// Panels of 8 columns of op(B) rounded to f32: for each p, B(p, j0..j0+7); missing columns are zeros.
function packB32(transB: bool, b: usize, ldb: i32, pc: i32, kc: i32, jc: i32, nc: i32, out: usize): void {
  const rowStep = (transB ? <usize>1 : <usize>ldb) << 3;
  const colStep = (transB ? <usize>ldb : <usize>1) << 3;
  for (let j0 = jc; j0 < jc + nc; j0 += NR) {
    const cols = min(NR, jc + nc - j0);
    let src = b + <usize>pc * rowStep + <usize>j0 * colStep;
    if (cols == NR && !transB) {
      // contiguous: 8 doubles per row, narrowed two at a time
      for (let p: i32 = 0; p < kc; p++) {
        v128.store(out, narrow(v128.load(src), v128.load(src, 16)));
        v128.store(out, narrow(v128.load(src, 32), v128.load(src, 48)), 16);
        src += rowStep;
        out += 32;
      }
      continue;
    }
    for (let p: i32 = 0; p < kc; p++) {
      for (let q: i32 = 0; q < NR; q++) {
        store<f32>(out, q < cols ? <f32>load<f64>(src + <usize>q * colStep) : 0);
        out += 4;
      }
      src += rowStep;
    }
  }
}

// [lo0, lo1, hi0, hi1] as f32x4, each rounded to nearest (as Math.fround).
// @ts-ignore: decorator
@inline
function narrow(lo: v128, hi: v128): v128 {
  return i64x2.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
}

function block32(mc: i32, nc: i32, kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, edge: usize, fresh: bool): void {
  for (let j: i32 = 0; j < nc; j += NR) {
    const nr = min(NR, nc - j);
    const bOff = pb + (<usize>(j * kc) << 2);
    for (let i: i32 = 0; i < mc; i += MR) {
      const mr = min(MR, mc - i);
      const aOff = pa + (<usize>(i * kc) << 4);
      const cOff = c + (<usize>(i * ldc + j) << 3);
      if (mr == MR && nr == NR) {
        tile32(kc, aOff, bOff, cOff, ldc, fresh);
      } else {
        memory.fill(edge, 0, MR * NR * 8);
        tile32(kc, aOff, bOff, edge, NR, false);
        for (let r: i32 = 0; r < mr; r++) {
          for (let q: i32 = 0; q < nr; q++) {
            const dst = cOff + (<usize>(r * ldc + q) << 3);
            store<f64>(dst, (fresh ? 0 : load<f64>(dst)) + load<f64>(edge + (<usize>(r * NR + q) << 3)));
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
function tile32(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, fresh: bool): void {
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
  addRow(c, c0l, c0h, fresh);
  c += row;
  addRow(c, c1l, c1h, fresh);
  c += row;
  addRow(c, c2l, c2h, fresh);
  c += row;
  addRow(c, c3l, c3h, fresh);
}

// c[0..8] (f64) += [lo, hi] (f32x4 x 2), widened exactly; c = 0 + ... when `fresh`.
// @ts-ignore: decorator
@inline
function addRow(c: usize, lo: v128, hi: v128, fresh: bool): void {
  const zero = f64x2.splat(0);
  v128.store(c, f64x2.add(fresh ? zero : v128.load(c), f64x2.promote_low_f32x4(lo)));
  v128.store(c, f64x2.add(fresh ? zero : v128.load(c, 16), f64x2.promote_low_f32x4(i64x2.shuffle(lo, lo, 1, 1))), 16);
  v128.store(c, f64x2.add(fresh ? zero : v128.load(c, 32), f64x2.promote_low_f32x4(hi)), 32);
  v128.store(c, f64x2.add(fresh ? zero : v128.load(c, 48), f64x2.promote_low_f32x4(i64x2.shuffle(hi, hi, 1, 1))), 48);
}
