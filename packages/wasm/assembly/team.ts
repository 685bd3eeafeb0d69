// One product computed by a team of threads at once: the calling thread and the pool's workers
// each call gemmTeam with the same arguments (and their own scratch), and share the work through
// counters in shared memory, so a thread that runs slower for a moment (a busy sibling core, a
// late wake-up) simply takes fewer pieces instead of holding the others up.
//
// The product goes in stages: a stage is one block of NC columns of C and up to `depth` of k.
//   1. The team packs op(B)'s panels for the stage once, into `packed`, each thread claiming
//      panels until none are left (gemm() packs a block of B per thread instead).
//   2. When every panel is packed, each thread claims pieces of C (`chunkRows` rows by a run of
//      panels) and computes each piece over the stage's k blocks in order, packing its own A.
//   3. When every piece is done, the next stage may overwrite `packed`.
// Every element of C therefore still gets its KC-long block sums in the order p = 0..k-1, each
// computed by block() exactly as gemm() does: the same bits as one thread, however the pieces
// fall, and whether or not a worker joins (a thread that comes late finds the claimed counters
// past their ends and skips ahead).
//
// Counters (i32, one per 64-byte line at `ctl`, zeroed before the team starts): panels claimed,
// panels packed, pieces claimed, pieces done. They only grow: each stage's claims end at the sum
// of the sizes of the stages so far. A fifth, TEAM_ABORT, is set by the JavaScript side when a
// thread's run failed (a trap), so that no other thread waits forever for its claimed work.

import { KC, MC, NC, block, packPanelsA, packPanelsB, tileCols } from './gemm';

const PANELS_CLAIMED: usize = 0;
const PANELS_PACKED: usize = 64;
const PIECES_CLAIMED: usize = 128;
const PIECES_DONE: usize = 192;
/** Set (non-zero) by a thread whose run failed: the others stop waiting for it and trap too. */
export const TEAM_ABORT: i32 = 256;

/** Bytes of counters at `ctl`. */
export const TEAM_CONTROL_BYTES: i32 = 320;

/** The next number of the counter at `at`, or -1 once it has reached `end`. */
function claim(at: usize, end: i32): i32 {
  let v = atomic.load<i32>(at);
  while (v < end) {
    const seen = atomic.cmpxchg<i32>(at, v, v + 1);
    if (seen == v) return v;
    v = seen;
  }
  return -1;
}

/**
 * Spins until the counter at `at` reaches `end` (waits are short: one piece of work at most).
 * Traps if another thread failed (`abort` set): the piece it claimed will never be done.
 */
function waitFor(at: usize, end: i32, abort: usize): void {
  while (atomic.load<i32>(at) < end) {
    if (atomic.load<i32>(abort) != 0) unreachable();
  }
}

/**
 * gemm()'s product (see gemm.ts for the first thirteen arguments), computed together with the
 * other threads calling it on the same arguments. `packed`: room for `depth` rows of op(B)'s
 * packed panels, NC wide (depth a multiple of KC, or at least k); `chunkRows`: rows of a piece
 * (a multiple of the tile's rows); `colGroups`: how many runs of panels a stage's columns are
 * cut into; `ctl`: the zeroed counters.
 */
// @ts-ignore: decorator
@inline
export function gemmTeam<T>(
  transA: bool, transB: bool, m: i32, n: i32, k: i32,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, scratch: usize, accumulate: bool,
  packed: usize, depth: i32, chunkRows: i32, colGroups: i32, ctl: usize,
): void {
  const NR = tileCols<T>();
  const packA = scratch;
  const edge = packA + <usize>(MC * KC * 16) + <usize>(KC * NC * 8);
  const rowChunks = (m + chunkRows - 1) / chunkRows;
  let panelsEnd: i32 = 0;
  let piecesEnd: i32 = 0;
  for (let jc: i32 = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    const panels = (nc + NR - 1) / NR;
    const perGroup = (panels + colGroups - 1) / colGroups;
    const groups = (panels + perGroup - 1) / perGroup;
    // bytes of one KC-deep block of the packed panels (the last one of a stage may be shallower)
    const blockBytes = <usize>(panels * NR * KC) << alignof<T>();
    for (let ps: i32 = 0; ps < k; ps += depth) {
      const d = min(depth, k - ps);
      const blocks = (d + KC - 1) / KC;
      const panelsStart = panelsEnd;
      panelsEnd += blocks * panels;
      for (let u = claim(ctl + PANELS_CLAIMED, panelsEnd); u >= 0; u = claim(ctl + PANELS_CLAIMED, panelsEnd)) {
        const s = (u - panelsStart) / panels;
        const p = (u - panelsStart) % panels;
        const pc = ps + s * KC;
        const kc = min(KC, k - pc);
        const j0 = jc + p * NR;
        packPanelsB<T>(transB, b, ldb, pc, kc, j0, min(NR, jc + nc - j0), packed + <usize>s * blockBytes + (<usize>(p * NR * kc) << alignof<T>()));
        atomic.add<i32>(ctl + PANELS_PACKED, 1);
      }
      waitFor(ctl + PANELS_PACKED, panelsEnd, ctl + TEAM_ABORT);
      const piecesStart = piecesEnd;
      piecesEnd += rowChunks * groups;
      for (let q = claim(ctl + PIECES_CLAIMED, piecesEnd); q >= 0; q = claim(ctl + PIECES_CLAIMED, piecesEnd)) {
        const i0 = ((q - piecesStart) % rowChunks) * chunkRows;
        const rows = min(chunkRows, m - i0);
        const p0 = ((q - piecesStart) / rowChunks) * perGroup;
        const cols = min(perGroup * NR, nc - p0 * NR);
        for (let s: i32 = 0; s < blocks; s++) {
          const pc = ps + s * KC;
          const kc = min(KC, k - pc);
          const pb = packed + <usize>s * blockBytes + (<usize>(p0 * NR * kc) << alignof<T>());
          for (let ic = i0; ic < i0 + rows; ic += MC) {
            const mc = min(MC, i0 + rows - ic);
            packPanelsA<T>(transA, a, lda, ic, mc, pc, kc, packA);
            block<T>(mc, cols, kc, packA, pb, c + (<usize>(ic * ldc + jc + p0 * NR) << 3), ldc, edge, !accumulate && pc == 0);
          }
        }
        atomic.add<i32>(ctl + PIECES_DONE, 1);
      }
      waitFor(ctl + PIECES_DONE, piecesEnd, ctl + TEAM_ABORT); // nobody still reads `packed` when the next stage packs it
    }
  }
}
