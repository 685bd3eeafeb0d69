/**
 * How a team product (assembly/team.ts) is cut into pieces: runs of rows of C, and, when C has
 * too few rows for that, runs of columns too. The threads claim pieces one at a time, so a
 * thread that runs slower for a while (a busy sibling core, a late wake-up) simply takes fewer:
 * the last piece is all a fast thread can wait for. Any cut gives the same numbers: each
 * element of C is still one thread's full sum over k, in the same order.
 */

/** Rows of C in a packed block of assembly/gemm.ts (MC): a piece has at most this many rows. */
const MC = 32;
/** Columns of C in a stage (assembly/gemm.ts's NC). */
const NC = 512;

/**
 * Rows of op(B) packed per stage of a team product. Every stage ends with the threads waiting
 * for each other, so one stage is best; 2048 rows take 8 MiB of packed float64 panels.
 */
export const TEAM_DEPTH = 2048;

/**
 * Pieces per thread a team product aims for. More pieces even out threads of uneven speed
 * (a fast thread waits at most for one piece); fewer pieces read each packed panel of B from
 * cache fewer times.
 */
export const PIECES_PER_THREAD = 4;

/**
 * The cut of an m x n product for `threads` threads: `chunkRows` rows per piece (whole register
 * tiles, at most MC) and `colGroups` runs of columns per stage (1 unless the rows alone give
 * fewer than `perThread` pieces per thread).
 * @example
 * pieces(512, 512, 2, { rows: 4, cols: 4 }); // { chunkRows: 32, colGroups: 1 }: 16 pieces
 * pieces(8, 512, 2, { rows: 4, cols: 4 }); // { chunkRows: 4, colGroups: 4 }: 2 x 4 pieces
 */
export function pieces(m: number, n: number, threads: number, tile: { rows: number; cols: number }, perThread = PIECES_PER_THREAD): { chunkRows: number; colGroups: number } {
  const target = perThread * threads;
  const chunkRows = Math.min(MC, Math.max(tile.rows, Math.floor(m / target / tile.rows) * tile.rows));
  const rowChunks = Math.ceil(m / chunkRows);
  const panels = Math.ceil(Math.min(n, NC) / tile.cols);
  const colGroups = rowChunks >= target ? 1 : Math.min(panels, Math.ceil(target / rowChunks));
  return { chunkRows, colGroups };
}
