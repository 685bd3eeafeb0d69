/**
 * An optimizer's state lent to a backend's memory for the length of a training run.
 *
 * A backend's update kernels (core's UpdateKernels, e.g. @smolml/wasm's WebAssembly loops) write
 * only into arrays of its own `allocate`. Such arrays hold memory the backend gets back only when
 * they are released, or garbage-collected once the event loop turns, which a synchronous loop of
 * `train` calls (a hyperparameter sweep) never lets happen. So the state goes there only while a
 * run lasts: @smolml/nn's training loop lends it at the start and takes it back at the end,
 * however the run ends, as it does with its compiled steps' buffers. Outside a run the state is
 * in ordinary arrays, and the optimizers run their own loops.
 */
import type { ParamState } from './state.js';

export class Loan {
  /** Runs sharing this loan (the same optimizer in two runs at once, e.g. two `fit` calls). */
  depth = 1;
  /** Arrays of `allocate` that the lent states hold or held. */
  readonly #arrays = new Set<Float64Array>();
  /** Every state that holds arrays of this loan. */
  readonly #states = new Set<ParamState>();

  constructor(
    private readonly allocate: (length: number) => Float64Array,
    private readonly release: (array: Float64Array) => void,
  ) {}

  /** A zero-filled array of the backend's for state `s`. */
  array(length: number, s: ParamState): Float64Array {
    const a = this.allocate(length);
    this.#arrays.add(a);
    this.#states.add(s);
    return a;
  }

  /**
   * Moves the buffers of `s` into the backend's memory (the same numbers). Its scratch arrays
   * (spare buffers and the pending update, whose numbers do not matter between steps) are
   * dropped: the next step allocates them here.
   */
  take(s: ParamState): void {
    s.buffers = s.buffers.map((b) => {
      if (this.#arrays.has(b)) return b;
      const a = this.array(b.length, s);
      a.set(b);
      return a;
    });
    if (s.spare?.some((b) => !this.#arrays.has(b))) s.spare = null;
    if (s.next !== null && !this.#arrays.has(s.next)) s.next = null;
    this.#states.add(s);
  }

  /** Moves every lent state back into ordinary arrays (the same numbers) and releases the backend's arrays. */
  end(): void {
    for (const s of this.#states) {
      s.buffers = s.buffers.map((b) => (this.#arrays.has(b) ? new Float64Array(b) : b));
      if (s.spare?.some((b) => this.#arrays.has(b))) s.spare = null;
      if (s.next !== null && this.#arrays.has(s.next)) s.next = null;
    }
    for (const a of this.#arrays) this.release(a);
    this.#arrays.clear();
    this.#states.clear();
  }
}
