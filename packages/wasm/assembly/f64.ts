// float64 GEMM on f64x2 with a 4 x 4 register tile (eight f64x2 accumulators).
//
// Bit-identical to core's kernels/gemm-packed.ts: every element of C is summed in the same
// order, p = 0..k-1 in blocks of KC = 256, each block's sum started at 0 and then added to C,
// products and sums rounded separately (WebAssembly has no implicit fused multiply-add). The
// register tile, MC and NC only change which elements are computed together, not how.

export const KC: i32 = 256; // depth of a packed block (must stay equal to core's KC)
export const MC: i32 = 64; // rows of a packed A block: MC x KC splats = 256 KiB, fits L2
export const NC: i32 = 512; // columns of a packed B block: KC x NC doubles = 1 MiB
export const MR: i32 = 4; // rows of the register tile
const NR: i32 = 4; // columns of the register tile (two f64x2)

/**
 * C = op(A) @ op(B), or C += op(A) @ op(B) when `accumulate`, for an m x n block of C (k >= 1).
 * op(A) is m x k: A(i, p) is at a[i*lda + p], or a[p*lda + i] when transA; op(B) is k x n:
 * B(p, j) is at b[p*ldb + j], or b[j*ldb + p] when transB; C(i, j) is at c[i*ldc + j].
 * Pointers are byte offsets; `scratch` is this thread's scratchBytes() bytes.
 */
export function gemmF64(
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
      packB64(transB, b, ldb, pc, kc, jc, nc, packB);
      for (let ic: i32 = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA64(transA, a, lda, ic, mc, pc, kc, packA);
        // the first block of a product that does not accumulate stores 0 + sum: C needs no zeroing
        block64(mc, nc, kc, packA, packB, c + (<usize>(ic * ldc + jc) << 3), ldc, edge, !accumulate && pc == 0);
      }
    }
  }
}

// Panels of 4 rows of op(A): for each p, the 4 numbers A(i0..i0+3, p), each stored twice
// (an f64x2 splat), so the tile loads them with plain vector loads; missing rows are zeros.
// (V8 compiles load64_splat at an offset into an address computation per load, and the
// register pressure that adds in the tile costs more than writing A twice here.)
function packA64(transA: bool, a: usize, lda: i32, ic: i32, mc: i32, pc: i32, kc: i32, out: usize): void {
  // step between rows i and between columns p of op(A), in bytes
  const rowStep = (transA ? <usize>1 : <usize>lda) << 3;
  const colStep = (transA ? <usize>lda : <usize>1) << 3;
  for (let i0 = ic; i0 < ic + mc; i0 += MR) {
    const rows = min(MR, ic + mc - i0);
    let src = a + <usize>i0 * rowStep + <usize>pc * colStep;
    if (rows == MR) {
      for (let p: i32 = 0; p < kc; p++) {
        v128.store(out, v128.load64_splat(src));
        v128.store(out, v128.load64_splat(src + rowStep), 16);
        v128.store(out, v128.load64_splat(src + 2 * rowStep), 32);
        v128.store(out, v128.load64_splat(src + 3 * rowStep), 48);
        src += colStep;
        out += 64;
      }
      continue;
    }
    for (let p: i32 = 0; p < kc; p++) {
      for (let r: i32 = 0; r < MR; r++) {
        v128.store(out, r < rows ? v128.load64_splat(src + <usize>r * rowStep) : f64x2.splat(0));
        out += 16;
      }
      src += colStep;
    }
  }
}

// Panels of 4 columns of op(B): for each p, B(p, j0..j0+3) side by side; missing columns are zeros.
function packB64(transB: bool, b: usize, ldb: i32, pc: i32, kc: i32, jc: i32, nc: i32, out: usize): void {
  // step between rows p and between columns j of op(B), in bytes
  const rowStep = (transB ? <usize>1 : <usize>ldb) << 3;
  const colStep = (transB ? <usize>ldb : <usize>1) << 3;
  for (let j0 = jc; j0 < jc + nc; j0 += NR) {
    const cols = min(NR, jc + nc - j0);
    let src = b + <usize>pc * rowStep + <usize>j0 * colStep;
    if (cols == NR && !transB) {
      // contiguous: 4 doubles per row in two vector moves
      for (let p: i32 = 0; p < kc; p++) {
        v128.store(out, v128.load(src));
        v128.store(out, v128.load(src, 16), 16);
        src += rowStep;
        out += 32;
      }
    } else if (cols == NR) {
      for (let p: i32 = 0; p < kc; p++) {
        v128.store(out, f64x2.replace_lane(v128.load64_zero(src), 1, load<f64>(src + colStep)));
        v128.store(out, f64x2.replace_lane(v128.load64_zero(src + 2 * colStep), 1, load<f64>(src + 3 * colStep)), 16);
        src += rowStep;
        out += 32;
      }
    } else {
      for (let p: i32 = 0; p < kc; p++) {
        for (let q: i32 = 0; q < NR; q++) {
          store<f64>(out, q < cols ? load<f64>(src + <usize>q * colStep) : 0);
          out += 8;
        }
        src += rowStep;
      }
    }
  }
}

// Every 4 x 4 tile of an mc x nc block of C: a panel of B (8 KiB) stays in L1 while the
// panels of A stream from L2. Ragged edge tiles go through `edge` (the padded products are
// computed in full, only mr x nr of them are added to C), exactly as core does.
function block64(mc: i32, nc: i32, kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, edge: usize, fresh: bool): void {
  for (let j: i32 = 0; j < nc; j += NR) {
    const nr = min(NR, nc - j);
    const bOff = pb + (<usize>(j * kc) << 3);
    for (let i: i32 = 0; i < mc; i += MR) {
      const mr = min(MR, mc - i);
      const aOff = pa + (<usize>(i * kc) << 4);
      const cOff = c + (<usize>(i * ldc + j) << 3);
      if (mr == MR && nr == NR) {
        tile64(kc, aOff, bOff, cOff, ldc, fresh);
      } else {
        memory.fill(edge, 0, MR * NR * 8);
        tile64(kc, aOff, bOff, edge, NR, false);
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

// C[0..4, 0..4] += sum_p a_p b_p^T. Each p: two vectors of B, four splats of A, 8 multiplies
// and 8 adds into eight f64x2 accumulators; 12 of the vector registers. (A 5 x 4 or 6 x 4
// tile would need fewer instructions per multiply-add, but V8 then keeps accumulators on the
// stack: measured 30% slower.) The loop is left rolled (V8 unrolls it once itself): a
// hand-unrolled body makes V8 hoist every load to the top and spill.
// @ts-ignore: decorator
@inline
function tile64(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, fresh: bool): void {
  let c0l = f64x2.splat(0), c0h = f64x2.splat(0);
  let c1l = f64x2.splat(0), c1h = f64x2.splat(0);
  let c2l = f64x2.splat(0), c2h = f64x2.splat(0);
  let c3l = f64x2.splat(0), c3h = f64x2.splat(0);
  const end = pb + (<usize>kc << 5);
  while (pb < end) {
    const bl = v128.load(pb);
    const bh = v128.load(pb, 16);
    let av = v128.load(pa);
    c0l = f64x2.add(c0l, f64x2.mul(av, bl));
    c0h = f64x2.add(c0h, f64x2.mul(av, bh));
    av = v128.load(pa, 16);
    c1l = f64x2.add(c1l, f64x2.mul(av, bl));
    c1h = f64x2.add(c1h, f64x2.mul(av, bh));
    av = v128.load(pa, 32);
    c2l = f64x2.add(c2l, f64x2.mul(av, bl));
    c2h = f64x2.add(c2h, f64x2.mul(av, bh));
    av = v128.load(pa, 48);
    c3l = f64x2.add(c3l, f64x2.mul(av, bl));
    c3h = f64x2.add(c3h, f64x2.mul(av, bh));
    pa += 64;
    pb += 32;
  }
  // C += tile, or C = 0 + tile when `fresh` (C not yet written): the same bits as zeroing C first
  const zero = f64x2.splat(0);
  const row = <usize>ldc << 3;
  v128.store(c, f64x2.add(fresh ? zero : v128.load(c), c0l));
  v128.store(c, f64x2.add(fresh ? zero : v128.load(c, 16), c0h), 16);
  c += row;
  v128.store(c, f64x2.add(fresh ? zero : v128.load(c), c1l));
  v128.store(c, f64x2.add(fresh ? zero : v128.load(c, 16), c1h), 16);
  c += row;
  v128.store(c, f64x2.add(fresh ? zero : v128.load(c), c2l));
  v128.store(c, f64x2.add(fresh ? zero : v128.load(c, 16), c2h), 16);
  c += row;
  v128.store(c, f64x2.add(fresh ? zero : v128.load(c), c3l));
  v128.store(c, f64x2.add(fresh ? zero : v128.load(c, 16), c3h), 16);
}
