/**
 * The code every worker thread runs, and the layout of the control block the main thread
 * drives it with. The worker source is built from `workerBody.toString()`, so workerBody must
 * stay self-contained: no imports, no references to anything outside its own text (the
 * constants it needs are passed in its init message).
 *
 * Protocol, one region of SLOTS Int32 slots per worker in a SharedArrayBuffer:
 *   the main thread writes a job (kind and gemm arguments), sets CLAIM to 0, then bumps SEQ and
 *   notifies it; the worker claims the job (CLAIM 0 -> 1, compare-and-swap), runs it on its own
 *   instance of the kernels (same shared memory), then stores SEQ into DONE and notifies that.
 *   A main thread that finishes its own share first may claim the job back (CLAIM 0 -> 2) and
 *   run it itself: a worker that is slow to wake (a busy machine) never stalls a product. The
 *   worker then only acknowledges the job (DONE) without running it. A team job (TEAM non-zero:
 *   the byte offset of the team's counters) is one product that the main thread and the workers
 *   compute together (assembly/team.ts): taking it back means the main thread has done it all.
 *   Between jobs the worker spins briefly (calls come in bursts during training), then sleeps in
 *   Atomics.wait.
 */

/** Int32 slots per worker in the control block (22 used; 128 bytes keep workers on separate cache lines). */
export const SLOTS = 32;
/**
 * Slot indices: sequence number of the last job posted / finished, job kind, gemm arguments,
 * claim, and a team job's arguments (team: the counters' offset, 0 for an ordinary job).
 */
export const SLOT = {
  seq: 0, done: 1, kind: 2, transA: 3, transB: 4, m: 5, n: 6, k: 7,
  a: 8, lda: 9, b: 10, ldb: 11, c: 12, ldc: 13, scratch: 14, accumulate: 15, claim: 16,
  team: 17, packed: 18, depth: 19, chunkRows: 20, colGroups: 21,
} as const;
/** CLAIM values: free, taken by the worker, taken back by the main thread. */
export const CLAIM = { free: 0, worker: 1, main: 2 } as const;
/** Job kinds. */
export const KIND = { f64: 0, f32: 1, stop: 2 } as const;

/** What a worker receives once, before any job. */
export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  /** index of this worker's region in the control block */
  index: number;
  /** Atomics.load polls before sleeping between jobs */
  spin: number;
  slots: number;
  slot: typeof SLOT;
  kind: typeof KIND;
  claim: typeof CLAIM;
}

/** The reply to WorkerInit: ready to take jobs, or why not. */
export type WorkerReply = { ok: true } | { ok: false; error: string };

interface KernelFns {
  gemmF64(...args: number[]): void;
  gemmF32(...args: number[]): void;
  gemmTeamF64(...args: number[]): void;
  gemmTeamF32(...args: number[]): void;
  teamAbortOffset(): number;
}

/**
 * The worker's main function. `receive` delivers the init message once; `reply` answers it.
 * After a successful reply the worker blocks in its job loop until it gets a stop job.
 */
export function workerBody(receive: (handler: (init: WorkerInit) => void) => void, reply: (message: WorkerReply) => void): void {
  receive((init) => {
    WebAssembly.instantiate(init.module, { env: { memory: init.memory } }).then(
      (instance) => {
        const kernels = instance.exports as unknown as KernelFns;
        const { slot, kind } = init;
        const ctl = new Int32Array(init.control);
        const base = init.index * init.slots;
        // Jobs are numbered from 1; the main thread may post the first one as soon as it has
        // the reply, so `seen` starts at 0, not at whatever SEQ holds by then.
        let seen = 0;
        reply({ ok: true });
        for (;;) {
          let seq = Atomics.load(ctl, base + slot.seq);
          for (let i = 0; seq === seen && i < init.spin; i++) seq = Atomics.load(ctl, base + slot.seq);
          while (seq === seen) {
            Atomics.wait(ctl, base + slot.seq, seen);
            seq = Atomics.load(ctl, base + slot.seq);
          }
          seen = seq;
          const job = ctl[base + slot.kind];
          if (job === kind.stop) return;
          const at = (s: number) => ctl[base + s]!;
          let failed = false;
          if (Atomics.compareExchange(ctl, base + slot.claim, init.claim.free, init.claim.worker) === init.claim.free) {
            try {
              const args = [
                at(slot.transA), at(slot.transB), at(slot.m), at(slot.n), at(slot.k),
                at(slot.a), at(slot.lda), at(slot.b), at(slot.ldb), at(slot.c), at(slot.ldc), at(slot.scratch), at(slot.accumulate),
              ];
              if (at(slot.team) === 0) (job === kind.f32 ? kernels.gemmF32 : kernels.gemmF64)(...args);
              else (job === kind.f32 ? kernels.gemmTeamF32 : kernels.gemmTeamF64)(...args, at(slot.packed), at(slot.depth), at(slot.chunkRows), at(slot.colGroups), at(slot.team));
            } catch {
              failed = true;
              // a team product: the other threads may be waiting for work this one claimed
              if (at(slot.team) !== 0) Atomics.store(new Int32Array(init.memory.buffer), (at(slot.team) + kernels.teamAbortOffset()) >> 2, 1);
            }
          }
          // DONE holds the finished job's number, negated if it trapped
          Atomics.store(ctl, base + slot.done, failed ? -seen : seen);
          Atomics.notify(ctl, base + slot.done);
        }
      },
      (error: unknown) => reply({ ok: false, error: String(error) }),
    );
  });
}
