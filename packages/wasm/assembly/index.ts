// WebAssembly SIMD GEMM, compiled with AssemblyScript (`asc --enable simd`), twice: into
// kernels.wasm (ordinary memory) and kernels-shared.wasm (shared memory, for worker threads).
//
// gemm.ts holds the algorithm, generic over the precision of the products; this file exports
// its two instances. The JavaScript side (src/) owns the memory: it imports the memory, copies
// the operands in, passes byte offsets and leading dimensions (so a thread can compute a block
// of rows or columns of C in place), and gives each thread its own `scratch` region of
// scratchBytes() bytes for the packed panels. Nothing here allocates or keeps state between
// calls, so many threads can run these functions on one shared memory at once.
// gemmTeamF64/F32 (team.ts) is one product that several threads compute together: they share
// out the work through counters the JavaScript side zeroes and passes in.

import { KC, MC, MR, NC, gemm } from './gemm';
import { TEAM_ABORT, TEAM_CONTROL_BYTES, gemmTeam } from './team';

export { addRowF64, reluBackwardF64, reluF64, sumAxisF64, zeroBytes } from './loops';
export { adamF64, sgdF64 } from './update';

/**
 * float64 GEMM: C = op(A) @ op(B) (+ C when `accumulate`), bit-identical to core's TypeScript
 * kernels. See gemm.ts for the arguments.
 */
export function gemmF64(
  transA: bool, transB: bool, m: i32, n: i32, k: i32,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, scratch: usize, accumulate: bool,
): void {
  gemm<f64>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, scratch, accumulate);
}

/** The same product with float32 multiplies and block sums (A, B and C stay float64 in memory). */
export function gemmF32(
  transA: bool, transB: bool, m: i32, n: i32, k: i32,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, scratch: usize, accumulate: bool,
): void {
  gemm<f32>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, scratch, accumulate);
}

/**
 * gemmF64's product computed by a team of threads, each calling this with the same arguments
 * (and its own scratch); see team.ts. Only the shared-memory builds have atomics: elsewhere
 * this does nothing (the JavaScript side never calls it there).
 */
export function gemmTeamF64(
  transA: bool, transB: bool, m: i32, n: i32, k: i32,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, scratch: usize, accumulate: bool,
  packed: usize, depth: i32, chunkRows: i32, colGroups: i32, ctl: usize,
): void {
  if (ASC_FEATURE_THREADS) gemmTeam<f64>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, scratch, accumulate, packed, depth, chunkRows, colGroups, ctl);
}

/** gemmF32's product computed by a team of threads (see gemmTeamF64). */
export function gemmTeamF32(
  transA: bool, transB: bool, m: i32, n: i32, k: i32,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, scratch: usize, accumulate: bool,
  packed: usize, depth: i32, chunkRows: i32, colGroups: i32, ctl: usize,
): void {
  if (ASC_FEATURE_THREADS) gemmTeam<f32>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, scratch, accumulate, packed, depth, chunkRows, colGroups, ctl);
}

/** Bytes of a team's counters (gemmTeamF64's `ctl`). */
export function teamControlBytes(): i32 {
  return TEAM_CONTROL_BYTES;
}

/** Byte offset, from `ctl`, of the flag that stops a team whose thread failed (an i32; set it non-zero). */
export function teamAbortOffset(): i32 {
  return TEAM_ABORT;
}

/** Bytes of the team's packed panels of op(B) for `depth` rows (a multiple of KC, or k) by NC columns, in float64 or float32. */
export function teamPackedBytes(depth: i32, f32: bool): usize {
  const blocks = (depth + KC - 1) / KC;
  return <usize>(blocks * KC * NC) << (f32 ? 2 : 3);
}

/** First free byte after the module's static data: the JS side lays its buffers out from here. */
export function heapBase(): usize {
  return __heap_base;
}

/**
 * Bytes of per-thread scratch either kernel needs: the packed A block (MC x KC numbers, each
 * stored as a 16-byte splat), the packed B block (KC x NC doubles) and an MR x 8 edge tile.
 */
export function scratchBytes(): usize {
  return <usize>(MC * KC * 16 + KC * NC * 8 + MR * 8 * 8);
}

/** Rows of the register tile: pieces given to threads are runs of whole tiles. */
export function tileRows(): i32 {
  return MR;
}

/** Depth of the blocks of k (KC): every product sums k in blocks of it, as core's kernels do. */
export function blockDepth(): i32 {
  return KC;
}

/** Rows of a packed block of A (MC): a piece of a team product has at most this many rows. */
export function blockRows(): i32 {
  return MC;
}

/** Columns of a packed block of B (NC): a team product goes one such block of columns at a time. */
export function blockCols(): i32 {
  return NC;
}
