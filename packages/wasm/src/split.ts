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
 * Pieces per thread a team product aims for, at least and at most. More pieces even out threads
 * of uneven speed and shorten the wait at the end (a fast thread waits at most for one piece);
 * fewer, larger pieces pay less for claiming them and read each packed panel of B fewer times.
 */
export const PIECES_PER_THREAD = { min: 4, max: 64 } as const;

/**
 * Multiply-adds a piece should have at least (about 0.1 ms of one thread's kernel here): below
 * that, what a piece costs beyond its arithmetic outweighs a shorter wait at the end.
 */
export const PIECE_WORK = 1 << 20;

/**
 * Pieces per thread for a product of `work` multiply-adds on `threads` threads: as many as keep
 * each piece at PIECE_WORK or more, within PIECES_PER_THREAD.
 * Measured (2026-12-02, two threads against one): W3's eight products per step went from 1.65x
 * with 4 per thread to 1.75x with 16; W2's, whose pieces would fall to about 0.2M multiply-adds,
 * went from 1.03x to 0.93x with 16, so they keep 4. W4's 512 x 512 products on two threads
 * took 1.08x less time with 64 per thread (pieces of 4 rows) than with 16 (median of 40
 * interleaved rounds, twice): on this host the two threads' speeds differ by up to 25% from
 * moment to moment, and with 16 pieces of 0.37 ms the faster one waited for the other's last.
 * @example
 * piecesPerThread(512 * 512 * 512, 2); // 64
 * piecesPerThread(64 * 128 * 784, 2); // 4
 */
export function piecesPerThread(work: number, threads: number): number {
  const { min, max } = PIECES_PER_THREAD;
  return Math.min(max, Math.max(min, Math.floor(work / (PIECE_WORK * threads))));
}

/**
 * The cut of an m x n product for `threads` threads: `chunkRows` rows per piece (whole register
 * tiles, at most `blockRows`) and `colGroups` runs of columns per stage (1 unless the rows alone
 * give fewer than `perThread` pieces per thread; see piecesPerThread).
 * @example
 * const f64 = { rows: 4, cols: 4, blockRows: 32, blockCols: 512 };
 * pieces(512, 512, 2, f64, 4); // { chunkRows: 32, colGroups: 1 }: 16 pieces
 * pieces(512, 512, 2, f64, 16); // { chunkRows: 16, colGroups: 1 }: 32 pieces
 * pieces(8, 512, 2, f64, 4); // { chunkRows: 4, colGroups: 4 }: 2 x 4 pieces
 */
export function pieces(m: number, n: number, threads: number, shapes: Shapes, perThread: number): { chunkRows: number; colGroups: number } {
  const { rows, cols, blockRows, blockCols } = shapes;
  const target = perThread * threads;
  const chunkRows = Math.min(blockRows, Math.max(rows, Math.floor(m / target / rows) * rows));
  const rowChunks = Math.ceil(m / chunkRows);
  const panels = Math.ceil(Math.min(n, blockCols) / cols);
  const colGroups = rowChunks >= target ? 1 : Math.min(panels, Math.ceil(target / rowChunks));
  return { chunkRows, colGroups };
}
