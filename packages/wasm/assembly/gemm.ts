// Blocked, packed GEMM on WebAssembly SIMD, generic over the precision T of the products:
//   T = f64: f64x2 vectors, a 4 x 4 register tile; the same numbers, bit for bit, as core's
//            kernels/gemm-packed.ts: every element of C is summed in the same order, p = 0..k-1
//            in blocks of KC = 256, each block's sum started at 0 and then added to C, products
//            and sums rounded separately (WebAssembly has no implicit fused multiply-add);
//   T = f32: f32x4 vectors, a 4 x 8 tile: operands are rounded to f32 while packing, each
//            KC-long block is summed in f32 registers, then added to C in f64.
// Built with relaxed SIMD (`--enable relaxed-simd`, the kernels-fma modules), the tile's
// multiply-adds are fused (relaxed_madd: one rounding per step of p where the CPU has FMA), in
// the same order: faster and at least as accurate, but no longer the TypeScript kernels' bits.
// A, B and C are float64 in memory either way. Register tile, MC and NC only change which
// elements are computed together, never how, so results do not depend on the threads either.
//
//   for each block of NC columns of C          (jc)
//     for each block of KC along the shared k  (pc)  pack op(B)[pc.., jc..] into NR-wide panels
//       for each block of MC rows of C         (ic)  pack op(A)[ic.., pc..] into MR-tall panels
//         for every MR x NR tile of the block:        C_tile += A_panel @ B_panel  (in registers)

export const KC: i32 = 256; // depth of a packed block (must stay equal to core's KC)
export const MC: i32 = 32; // rows of a packed A block: MC x KC splats of 16 bytes = 128 KiB, well inside L2
export const NC: i32 = 512; // columns of a packed B block: KC x NC doubles = 1 MiB at most
export const MR: i32 = 4; // rows of the register tile

/** Columns of the register tile: two vectors, i.e. 32 bytes of B per step of p (4 f64 or 8 f32). */
// @ts-ignore: decorator
@inline
export function tileCols<T>(): i32 {
  return 32 / sizeof<T>();
}

/**
 * C = op(A) @ op(B), or C += op(A) @ op(B) when `accumulate`, for an m x n block of C (k >= 1).
 * op(A) is m x k: A(i, p) is at a[i*lda + p], or a[p*lda + i] when transA; op(B) is k x n:
 * B(p, j) is at b[p*ldb + j], or b[j*ldb + p] when transB; C(i, j) is at c[i*ldc + j].
 * Pointers are byte offsets into float64 arrays; `scratch` is this thread's scratchBytes().
 */
// @ts-ignore: decorator
@inline
export function gemm<T>(
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
      packPanelsB<T>(transB, b, ldb, pc, kc, jc, nc, packB);
      for (let ic: i32 = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packPanelsA<T>(transA, a, lda, ic, mc, pc, kc, packA);
        // the first block of a product that does not accumulate stores 0 + sum: C needs no zeroing
        block<T>(mc, nc, kc, packA, packB, c + (<usize>(ic * ldc + jc) << 3), ldc, edge, !accumulate && pc == 0);
      }
    }
  }
}

// Panels of 4 rows of op(A): for each p, the 4 numbers A(i0..i0+3, p), each stored as a splat
// (all lanes equal) so the tile loads them with plain vector loads; missing rows are zeros.
// (V8 compiles load64_splat at an offset into an address computation per load, and the
// register pressure that adds in the tile costs more than writing A out wide here.)
export function packPanelsA<T>(transA: bool, a: usize, lda: i32, ic: i32, mc: i32, pc: i32, kc: i32, out: usize): void {
  // steps between rows i and between columns p of op(A), in bytes
  const rowStep = (transA ? <usize>1 : <usize>lda) << 3;
  const colStep = (transA ? <usize>lda : <usize>1) << 3;
  for (let i0 = ic; i0 < ic + mc; i0 += MR) {
    const rows = min(MR, ic + mc - i0);
    let src = a + <usize>i0 * rowStep + <usize>pc * colStep;
    if (rows == MR) {
      for (let p: i32 = 0; p < kc; p++) {
        v128.store(out, splat<T>(src));
        v128.store(out, splat<T>(src + rowStep), 16);
        v128.store(out, splat<T>(src + 2 * rowStep), 32);
        v128.store(out, splat<T>(src + 3 * rowStep), 48);
        src += colStep;
        out += 64;
      }
      continue;
    }
    for (let p: i32 = 0; p < kc; p++) {
      for (let r: i32 = 0; r < MR; r++) {
        v128.store(out, r < rows ? splat<T>(src + <usize>r * rowStep) : v128.splat<T>(0));
        out += 16;
      }
      src += colStep;
    }
  }
}

// The double at `src`, rounded to T (to nearest, as Math.fround for f32), in every lane.
// @ts-ignore: decorator
@inline
function splat<T>(src: usize): v128 {
  return sizeof<T>() == 8 ? v128.load64_splat(src) : f32x4.splat(<f32>load<f64>(src));
}

// Panels of NR columns of op(B), rounded to T: for each p, B(p, j0..j0+NR-1) side by side;
// missing columns are zeros.
export function packPanelsB<T>(transB: bool, b: usize, ldb: i32, pc: i32, kc: i32, jc: i32, nc: i32, out: usize): void {
  const NR = tileCols<T>();
  // steps between rows p and between columns j of op(B), in bytes
  const rowStep = (transB ? <usize>1 : <usize>ldb) << 3;
  const colStep = (transB ? <usize>ldb : <usize>1) << 3;
  for (let j0 = jc; j0 < jc + nc; j0 += NR) {
    const cols = min(NR, jc + nc - j0);
    let src = b + <usize>pc * rowStep + <usize>j0 * colStep;
    if (cols == NR && !transB) {
      // contiguous: NR doubles per row, as two vectors of T
      for (let p: i32 = 0; p < kc; p++) {
        if (sizeof<T>() == 8) {
          v128.store(out, v128.load(src));
          v128.store(out, v128.load(src, 16), 16);
        } else {
          v128.store(out, narrow(v128.load(src), v128.load(src, 16)));
          v128.store(out, narrow(v128.load(src, 32), v128.load(src, 48)), 16);
        }
        src += rowStep;
        out += 32;
      }
      continue;
    }
    for (let p: i32 = 0; p < kc; p++) {
      for (let q: i32 = 0; q < NR; q++) {
        const v = q < cols ? load<f64>(src + <usize>q * colStep) : 0;
        if (sizeof<T>() == 8) store<f64>(out, v);
        else store<f32>(out, <f32>v);
        out += sizeof<T>();
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

// Every MR x NR tile of an mc x nc block of C: a panel of B (8 KiB) stays in L1 while the
// panels of A stream from L2. Ragged edge tiles go through `edge` (the padded products are
// computed in full, only mr x nr of them are added to C), exactly as core does.
export function block<T>(mc: i32, nc: i32, kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, edge: usize, fresh: bool): void {
  const NR = tileCols<T>();
  for (let j: i32 = 0; j < nc; j += NR) {
    const nr = min(NR, nc - j);
    const bOff = pb + (<usize>(j * kc) << alignof<T>());
    for (let i: i32 = 0; i < mc; i += MR) {
      const mr = min(MR, mc - i);
      const aOff = pa + (<usize>(i * kc) << 4);
      const cOff = c + (<usize>(i * ldc + j) << 3);
      if (mr == MR && nr == NR) {
        tile<T>(kc, aOff, bOff, cOff, ldc, fresh);
      } else {
        memory.fill(edge, 0, MR * NR * 8);
        tile<T>(kc, aOff, bOff, edge, NR, false);
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

// C[0..4, 0..NR] += sum_p a_p b_p^T. Each p: two vectors of B, four splats of A, 8 multiplies
// and 8 adds (8 fused multiply-adds in the relaxed-SIMD build) into eight accumulators; 12 of
// the vector registers. (A 5 x 4 or 6 x 4 tile would need fewer instructions per multiply-add,
// but V8 then keeps accumulators on the stack: measured 30% slower, and about 2.3x slower fused.) The loop is left rolled (V8 unrolls it once itself): a hand-unrolled
// body makes V8 hoist every load to the top and spill.
// @ts-ignore: decorator
@inline
function tile<T>(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, fresh: bool): void {
  let c0l = v128.splat<T>(0), c0h = v128.splat<T>(0);
  let c1l = v128.splat<T>(0), c1h = v128.splat<T>(0);
  let c2l = v128.splat<T>(0), c2h = v128.splat<T>(0);
  let c3l = v128.splat<T>(0), c3h = v128.splat<T>(0);
  const end = pb + (<usize>kc << 5);
  while (pb < end) {
    const bl = v128.load(pb);
    const bh = v128.load(pb, 16);
    let av = v128.load(pa);
    c0l = madd<T>(c0l, av, bl);
    c0h = madd<T>(c0h, av, bh);
    av = v128.load(pa, 16);
    c1l = madd<T>(c1l, av, bl);
    c1h = madd<T>(c1h, av, bh);
    av = v128.load(pa, 32);
    c2l = madd<T>(c2l, av, bl);
    c2h = madd<T>(c2h, av, bh);
    av = v128.load(pa, 48);
    c3l = madd<T>(c3l, av, bl);
    c3h = madd<T>(c3h, av, bh);
    pa += 64;
    pb += 32;
  }
  const row = <usize>ldc << 3;
  addRow<T>(c, c0l, c0h, fresh);
  c += row;
  addRow<T>(c, c1l, c1h, fresh);
  c += row;
  addRow<T>(c, c2l, c2h, fresh);
  c += row;
  addRow<T>(c, c3l, c3h, fresh);
}

// acc + a * b: rounded twice (a product, then a sum) in the ordinary build; fused into one
// multiply-add in the relaxed-SIMD build. ASC_FEATURE_RELAXED_SIMD is a compile-time constant.
// @ts-ignore: decorator
@inline
function madd<T>(acc: v128, a: v128, b: v128): v128 {
  return ASC_FEATURE_RELAXED_SIMD ? v128.relaxed_madd<T>(a, b, acc) : v128.add<T>(acc, v128.mul<T>(a, b));
}

// One row of the tile into C (f64): C += [lo, hi], or C = 0 + [lo, hi] when `fresh` (C not yet
// written), the same bits as zeroing C first. f32 lanes are widened exactly.
// @ts-ignore: decorator
@inline
function addRow<T>(c: usize, lo: v128, hi: v128, fresh: bool): void {
  const zero = f64x2.splat(0);
  if (sizeof<T>() == 8) {
    v128.store(c, f64x2.add(fresh ? zero : v128.load(c), lo));
    v128.store(c, f64x2.add(fresh ? zero : v128.load(c, 16), hi), 16);
  } else {
    v128.store(c, f64x2.add(fresh ? zero : v128.load(c), f64x2.promote_low_f32x4(lo)));
    v128.store(c, f64x2.add(fresh ? zero : v128.load(c, 16), f64x2.promote_low_f32x4(i64x2.shuffle(lo, lo, 1, 1))), 16);
    v128.store(c, f64x2.add(fresh ? zero : v128.load(c, 32), f64x2.promote_low_f32x4(hi)), 32);
    v128.store(c, f64x2.add(fresh ? zero : v128.load(c, 48), f64x2.promote_low_f32x4(i64x2.shuffle(hi, hi, 1, 1))), 48);
  }
}
