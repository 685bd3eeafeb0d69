/**
 * How a threaded product is shared out: partition() cuts C into one block per thread, and a
 * Balance learns how large the calling thread's block should be.
 *
 * Any cut gives the same numbers: each element of C is still one thread's full sum over k, in
 * the same order (the kernels' tiles and cache blocks change which elements are computed
 * together, never how). So the cut may follow the measured speeds freely.
 */
import type { GemmJob } from './pool.js';

/**
 * Splits a product into blocks of C, cut into runs of rows or of columns (whole register tiles),
 * each with its own offsets into A, B and C and the whole k. The first block, the calling
 * thread's, is about `first` of C (default: an even share); the others share the rest evenly.
 * Each thread packs all of the operand it shares: all of B for row blocks, all of A for column
 * blocks. A is packed twice as wide (splats), so rows are cut unless C is more than twice as
 * wide as tall.
 */
export function partition(job: GemmJob, threads: number, tile: { rows: number; cols: number }, first = 1 / threads): GemmJob[] {
  const byRows = 2 * job.m >= job.n;
  const size = byRows ? job.m : job.n;
  const unit = byRows ? tile.rows : tile.cols;
  const lead = Math.min(size, Math.max(unit, Math.ceil((size * first) / unit) * unit));
  const step = threads > 1 ? Math.ceil((size - lead) / (threads - 1) / unit) * unit : size;
  const block = (start: number, len: number): GemmJob =>
    byRows
      ? // rows of op(A): row i of A, or column i when A is stored transposed
        { ...job, m: len, a: job.a + (job.transA ? start : start * job.lda) * 8, c: job.c + start * job.ldc * 8 }
      : // columns of op(B): column j of B, or row j when B is stored transposed
        { ...job, n: len, b: job.b + (job.transB ? start * job.ldb : start) * 8, c: job.c + start * 8 };
  const parts = [block(0, lead)];
  for (let start = lead; start < size; start += step) parts.push(block(start, Math.min(step, size - start)));
  return parts;
}

/** Products whose calling-thread part ran shorter than this are not timed: the clock's resolution and the wake-up dominate. */
const MIN_MICROS = 200;
/** How far one product moves the share towards what it measured (a damped average: one odd product does not swing it). */
const STEP = 0.25;

/**
 * The calling thread's share of threaded products, learned from how long each side's kernel
 * took on its part. The cores of a laptop (efficiency and performance cores) or of a shared
 * machine (a busy sibling) often run at different speeds; an even cut then waits for the slower
 * side. Measured here (2 vCPUs, W3's products): one thread's kernel ran 8% to 37% slower than the
 * other's on the same number of rows, varying from run to run.
 */
export class Balance {
  /** The calling thread's fraction of C in the next threaded product. */
  share: number;
  readonly #low: number;
  readonly #high: number;

  constructor(threads: number) {
    this.share = 1 / threads;
    // never less than half an even share, nor so much that each worker gets less than half of one
    this.#low = 1 / (2 * threads);
    this.#high = 1 - (threads - 1) / (2 * threads);
  }

  /**
   * Takes one product's timings: the calling thread's part (its elements of C, kernel
   * microseconds) and each worker's. Ignored when a part was not timed or too short to time.
   */
  observe(own: { elements: number; micros: number }, workers: readonly { elements: number; micros: number }[]): void {
    if (own.micros < MIN_MICROS) return;
    const ownRate = own.elements / own.micros;
    let rates = ownRate;
    for (const w of workers) {
      if (!(w.micros > 0)) return;
      rates += w.elements / w.micros;
    }
    const target = ownRate / rates;
    this.share = Math.min(this.#high, Math.max(this.#low, this.share + STEP * (target - this.share)));
  }
}
