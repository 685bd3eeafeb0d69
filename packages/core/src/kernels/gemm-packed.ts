/**
 * Blocked, packed GEMM (the GotoBLAS / BLIS layout), in plain TypeScript:
 *
 *   for each block of NC columns of C          (jc)
 *     for each block of KC along the shared k  (pc)  pack op(B)[pc.., jc..] into 4-wide panels
 *       for each block of MC rows of C         (ic)  pack op(A)[ic.., pc..] into 4-tall panels
 *         for every 4 x 4 tile of the block:         C_tile += A_panel @ B_panel  (16 locals)
 *
 * Why: a naive triple loop re-reads B from main memory m times. Here a KC x 4 panel of B
 * (8 KiB) stays in L1 while a MC x KC block of A (up to 256 KiB) stays in L2, and the 4 x 4
 * tile of C lives in registers for the whole k loop: each loaded number is used 4 times.
 * Packing also turns every transpose combination into the same contiguous access pattern,
 * and zero-pads ragged edges so the inner kernel never branches.
 */

const MR = 4; // rows of the register tile
const NR = 4; // columns of the register tile
/** Depth of a packed block. Every path sums k in blocks of KC (see gemm-tiles.ts), and so does @smolml/wasm. */
export const KC = 256;
const MC = 128; // rows of a packed A block (MC x KC doubles = 256 KiB, fits L2)
const NC = 512; // columns of a packed B block (KC x NC doubles = 1 MiB)

// Scratch for packed blocks, grown on first use and reused across calls (kernels are synchronous).
let packA = new Float64Array(0);
let packB = new Float64Array(0);
const edge = new Float64Array(MR * NR);

/** C += op(A) @ op(B) for m, n, k >= 1 (see Backend.gemm for the layouts). */
export function gemmPacked(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
): void {
  const ncMax = Math.min(NC, roundUp(n, NR));
  const mcMax = Math.min(MC, roundUp(m, MR));
  if (packB.length < KC * ncMax) packB = new Float64Array(KC * ncMax);
  if (packA.length < mcMax * KC) packA = new Float64Array(mcMax * KC);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packPanelsB(transB, b, n, k, pc, kc, jc, nc, packB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packPanelsA(transA, a, m, k, ic, mc, pc, kc, packA);
        macroKernel(mc, nc, kc, packA, packB, c, ic * n + jc, n);
      }
    }
  }
}

function roundUp(x: number, to: number): number {
  return Math.ceil(x / to) * to;
}

/**
 * Packs rows [ic, ic+mc) x columns [pc, pc+kc) of op(A) as 4-row panels: panel r holds, for
 * each p, the 4 numbers A(ic+4r .. ic+4r+3, pc+p) side by side; missing rows are zeros.
 */
function packPanelsA(
  transA: boolean,
  a: Float64Array,
  m: number,
  k: number,
  ic: number,
  mc: number,
  pc: number,
  kc: number,
  out: Float64Array,
): void {
  let o = 0;
  for (let i0 = ic; i0 < ic + mc; i0 += MR) {
    const rows = Math.min(MR, ic + mc - i0);
    if (transA) {
      // A is stored k x m: A(i, p) = a[p*m + i]; the 4 rows of a panel are contiguous
      for (let p = pc; p < pc + kc; p++, o += MR) {
        const s = p * m + i0;
        for (let r = 0; r < MR; r++) out[o + r] = r < rows ? a[s + r]! : 0;
      }
    } else {
      // A is stored m x k: A(i, p) = a[i*k + p]
      for (let p = pc; p < pc + kc; p++, o += MR) {
        const s = i0 * k + p;
        for (let r = 0; r < MR; r++) out[o + r] = r < rows ? a[s + r * k]! : 0;
      }
    }
  }
}

/**
 * Packs rows [pc, pc+kc) x columns [jc, jc+nc) of op(B) as 4-column panels: panel q holds,
 * for each p, the 4 numbers B(pc+p, jc+4q .. jc+4q+3) side by side; missing columns are zeros.
 */
function packPanelsB(
  transB: boolean,
  b: Float64Array,
  n: number,
  k: number,
  pc: number,
  kc: number,
  jc: number,
  nc: number,
  out: Float64Array,
): void {
  let o = 0;
  for (let j0 = jc; j0 < jc + nc; j0 += NR) {
    const cols = Math.min(NR, jc + nc - j0);
    if (transB) {
      // B is stored n x k: B(p, j) = b[j*k + p]
      for (let p = pc; p < pc + kc; p++, o += NR) {
        const s = j0 * k + p;
        for (let q = 0; q < NR; q++) out[o + q] = q < cols ? b[s + q * k]! : 0;
      }
    } else {
      // B is stored k x n: B(p, j) = b[p*n + j]; the 4 columns of a panel are contiguous
      for (let p = pc; p < pc + kc; p++, o += NR) {
        const s = p * n + j0;
        for (let q = 0; q < NR; q++) out[o + q] = q < cols ? b[s + q]! : 0;
      }
    }
  }
}

/** Every 4 x 4 tile of an mc x nc block of C (starting at c[c0], row stride ldc). */
function macroKernel(
  mc: number,
  nc: number,
  kc: number,
  pa: Float64Array,
  pb: Float64Array,
  c: Float64Array,
  c0: number,
  ldc: number,
): void {
  for (let j = 0; j < nc; j += NR) {
    const nr = Math.min(NR, nc - j);
    const bOff = j * kc; // panel j / NR starts at (j / NR) * kc * NR
    for (let i = 0; i < mc; i += MR) {
      const mr = Math.min(MR, mc - i);
      const aOff = i * kc;
      const cOff = c0 + i * ldc + j;
      if (mr === MR && nr === NR) tile4x4(kc, pa, aOff, pb, bOff, c, cOff, ldc);
      else edgeTile(kc, pa, aOff, pb, bOff, c, cOff, ldc, mr, nr);
    }
  }
}

/**
 * The register tile: C[0..4, 0..4] += sum_p a_p b_p^T, the 16 sums kept in locals so the
 * JIT holds them in registers across the whole k loop.
 */
function tile4x4(
  kc: number,
  pa: Float64Array,
  ia: number,
  pb: Float64Array,
  ib: number,
  c: Float64Array,
  ci: number,
  ldc: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++, ia += MR, ib += NR) {
    const a0 = pa[ia]!, a1 = pa[ia + 1]!, a2 = pa[ia + 2]!, a3 = pa[ia + 3]!;
    const b0 = pb[ib]!, b1 = pb[ib + 1]!, b2 = pb[ib + 2]!, b3 = pb[ib + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  c[ci]! += c00; c[ci + 1]! += c01; c[ci + 2]! += c02; c[ci + 3]! += c03;
  ci += ldc;
  c[ci]! += c10; c[ci + 1]! += c11; c[ci + 2]! += c12; c[ci + 3]! += c13;
  ci += ldc;
  c[ci]! += c20; c[ci + 1]! += c21; c[ci + 2]! += c22; c[ci + 3]! += c23;
  ci += ldc;
  c[ci]! += c30; c[ci + 1]! += c31; c[ci + 2]! += c32; c[ci + 3]! += c33;
}

/** A ragged tile at the bottom/right edge: the zero-padded panels are multiplied in full, only mr x nr is stored. */
function edgeTile(
  kc: number,
  pa: Float64Array,
  ia: number,
  pb: Float64Array,
  ib: number,
  c: Float64Array,
  ci: number,
  ldc: number,
  mr: number,
  nr: number,
): void {
  edge.fill(0);
  tile4x4(kc, pa, ia, pb, ib, edge, 0, NR);
  for (let r = 0; r < mr; r++) for (let q = 0; q < nr; q++) c[ci + r * ldc + q]! += edge[r * NR + q]!;
}
