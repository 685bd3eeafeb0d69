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
 *   A loop job (KIND.loop) is one part of an element-wise loop cut across the threads
 *   (loop-team.ts): the index of the export to call in the worker's list of loops, its pointer
 *   arguments in P0.., its count of elements, and its remaining arguments in the worker's region
 *   of a second, Float64 control block, where the worker leaves what the loop returned.
 *   Between jobs the worker spins briefly (calls come in bursts during training), then sleeps in
 *   Atomics.wait.
 */

/** Int32 slots per worker in the control block (33 used; multiples of 64 bytes keep workers on separate cache lines). */
export const SLOTS = 48;
/**
 * Slot indices: sequence number of the last job posted / finished, job kind, gemm arguments,
 * claim, a team job's arguments (team: the counters' offset, 0 for an ordinary job), and a loop
 * job's (the loop's index, how many pointers, the count of elements, how many further
 * arguments, then the pointers).
 */
export const SLOT = {
  seq: 0, done: 1, kind: 2, transA: 3, transB: 4, m: 5, n: 6, k: 7,
  a: 8, lda: 9, b: 10, ldb: 11, c: 12, ldc: 13, scratch: 14, accumulate: 15, claim: 16,
  team: 17, packed: 18, depth: 19, chunkRows: 20, colGroups: 21,
  loop: 22, pointers: 23, count: 24, rest: 25, p0: 26,
} as const;
/** Pointers a loop job can pass (slots P0 to the end of the region). */
export const MAX_POINTERS = SLOTS - SLOT.p0;
/** Float64 slots per worker in the second control block: a loop's further arguments, then (last) its result. */
export const FLOAT_SLOTS = 16;
/** CLAIM values: free, taken by the worker, taken back by the main thread. */
export const CLAIM = { free: 0, worker: 1, main: 2 } as const;
/** Job kinds. */
export const KIND = { f64: 0, f32: 1, stop: 2, loop: 3 } as const;

/** What a worker receives once, before any job. */
export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  /** the Float64 control block (FLOAT_SLOTS per worker) */
  floats: SharedArrayBuffer;
  floatSlots: number;
  /** the exports a loop job may call, by index */
  loops: readonly string[];
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
        const loops = init.loops.map((name) => instance.exports[name] as (...args: number[]) => number | undefined);
        const { slot, kind } = init;
        const ctl = new Int32Array(init.control);
        const floats = new Float64Array(init.floats);
        const base = init.index * init.slots;
        const floatBase = init.index * init.floatSlots;
        /** A product, alone or with a team (TEAM non-zero). */
        const runProduct = (job: number, at: (s: number) => number): void => {
          const args = [
            at(slot.transA), at(slot.transB), at(slot.m), at(slot.n), at(slot.k),
            at(slot.a), at(slot.lda), at(slot.b), at(slot.ldb), at(slot.c), at(slot.ldc), at(slot.scratch), at(slot.accumulate),
          ];
          if (at(slot.team) === 0) (job === kind.f32 ? kernels.gemmF32 : kernels.gemmF64)(...args);
          else (job === kind.f32 ? kernels.gemmTeamF32 : kernels.gemmTeamF64)(...args, at(slot.packed), at(slot.depth), at(slot.chunkRows), at(slot.colGroups), at(slot.team));
        };
        /** This worker's part of a loop: loops[LOOP](...pointers, count, ...further arguments); what it returns goes to the last float slot. */
        const runLoop = (at: (s: number) => number): void => {
          const args: number[] = [];
          for (let p = 0; p < at(slot.pointers); p++) args.push(at(slot.p0 + p));
          args.push(at(slot.count));
          for (let r = 0; r < at(slot.rest); r++) args.push(floats[floatBase + r]!);
          floats[floatBase + init.floatSlots - 1] = loops[at(slot.loop)]!(...args) ?? 0;
        };
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
          const job = ctl[base + slot.kind]!;
          if (job === kind.stop) return;
          const at = (s: number) => ctl[base + s]!;
          let failed = false;
          if (Atomics.compareExchange(ctl, base + slot.claim, init.claim.free, init.claim.worker) === init.claim.free) {
            try {
              if (job === kind.loop) runLoop(at);
              else runProduct(job, at);
            } catch {
              failed = true;
              // a team product: the other threads may be waiting for work this one claimed
              if (job !== kind.loop && at(slot.team) !== 0) Atomics.store(new Int32Array(init.memory.buffer), (at(slot.team) + kernels.teamAbortOffset()) >> 2, 1);
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
