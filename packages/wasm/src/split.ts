/**
 * How a team product (assembly/team.ts) is cut into pieces: runs of rows of C, and, when C has
 * too few rows for that, runs of columns too. The threads claim pieces one at a time, so a
 * thread that runs slower for a while (a busy sibling core, a late wake-up) simply takes fewer:
 * the last piece is all a fast thread can wait for. Any cut gives the same numbers: each
 * element of C is still one thread's full sum over k, in the same order.
 */

/**
 * The kernels' shapes a cut follows (all from the module's exports): rows and columns of the
 * register tile, rows of a packed block of A (MC: a piece has at most this many rows) and
 * columns of a packed block of B (NC: a team product goes one such block of columns at a time).
 */
export interface Shapes {
  rows: number;
  cols: number;
  blockRows: number;
  blockCols: number;
}

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
 * tiles, at most `blockRows`) and `colGroups` runs of columns per stage (1 unless the rows alone
 * give fewer than `perThread` pieces per thread).
 * @example
 * const f64 = { rows: 4, cols: 4, blockRows: 32, blockCols: 512 };
 * pieces(512, 512, 2, f64); // { chunkRows: 32, colGroups: 1 }: 16 pieces
 * pieces(8, 512, 2, f64); // { chunkRows: 4, colGroups: 4 }: 2 x 4 pieces
 */
export function pieces(m: number, n: number, threads: number, shapes: Shapes, perThread = PIECES_PER_THREAD): { chunkRows: number; colGroups: number } {
  const { rows, cols, blockRows, blockCols } = shapes;
  const target = perThread * threads;
  const chunkRows = Math.min(blockRows, Math.max(rows, Math.floor(m / target / rows) * rows));
  const rowChunks = Math.ceil(m / chunkRows);
  const panels = Math.ceil(Math.min(n, blockCols) / cols);
  const colGroups = rowChunks >= target ? 1 : Math.min(panels, Math.ceil(target / rowChunks));
  return { chunkRows, colGroups };
}
