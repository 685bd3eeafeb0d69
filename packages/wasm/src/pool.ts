/**
 * A small pool of worker threads that run GEMM jobs, and parts of element-wise loops, on one
 * shared WebAssembly memory.
 *
 * Each worker gets its own instance of the kernels (the same module and memory) and a region
 * of a SharedArrayBuffer control block (see worker.ts for the protocol). The main thread posts
 * one job per worker, computes its own part, then finishes each worker's job: it takes back a
 * job the worker has not started yet and runs it itself (for a team job, which the threads
 * compute together, there is nothing left to run by then), or waits for the worker — with
 * Atomics.wait where the thread may block (Node, workers), by spinning on the browser's main
 * thread, which may not. Jobs never fail on valid input; a trapped job is reported as an Error.
 */
import { platform } from '#platform';
import { CLAIM, FLOAT_SLOTS, KIND, MAX_POINTERS, SLOT, SLOTS, type WorkerInit, type WorkerReply, workerBody } from './worker.js';

/** One call of gemmF64/gemmF32 (byte offsets into the shared memory). */
export interface GemmJob {
  kind: typeof KIND.f64 | typeof KIND.f32;
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  a: number;
  lda: number;
  b: number;
  ldb: number;
  c: number;
  ldc: number;
  scratch: number;
  /** false: C is overwritten (it need not be zeroed); true: C += op(A) @ op(B) */
  accumulate: boolean;
  /** Present for a product the threads compute together (gemmTeamF64/F32; see assembly/team.ts). */
  team?: TeamArgs;
}

/** The extra arguments of a team product (byte offsets into the shared memory). */
export interface TeamArgs {
  /** the team's zeroed counters */
  ctl: number;
  /** room for the packed panels of op(B) */
  packed: number;
  /** rows of op(B) packed per stage: a multiple of the kernels' KC, or at least k */
  depth: number;
  /** rows of C per piece (whole register tiles) */
  chunkRows: number;
  /** runs of panels each stage's columns are cut into */
  colGroups: number;
}

/** One thread's part of an element-wise loop: a call of `loops[loop]`(...pointers, count, ...rest). */
export interface LoopJob {
  kind: typeof KIND.loop;
  /** index into the pool's list of loops (startPool's `loops`) */
  loop: number;
  /** byte offsets into the shared memory (at most MAX_POINTERS) */
  pointers: readonly number[];
  count: number;
  /** the further arguments (at most FLOAT_SLOTS - 1) */
  rest: readonly number[];
}

/** A job for a worker: a product, or a part of a loop. */
export type Job = GemmJob | LoopJob;

export interface Pool {
  /** number of workers (the main thread is not counted) */
  readonly size: number;
  /**
   * Offers `job` to worker `index` and returns at once: true if posted, false if the worker has
   * not yet let go of a job taken back from it (a slow or descheduled worker); the caller then
   * runs `job` itself instead of calling finish().
   */
  post(index: number, job: Job): boolean;
  /**
   * Completes the job last posted to worker `index`: if the worker has not claimed it yet, it is
   * taken back and `runHere()` runs it on the calling thread (true is returned); otherwise
   * this waits for the worker (false). Throws if the worker's run trapped.
   */
  finish(index: number, runHere: () => void): boolean;
  /** What the loop job worker `index` ran last returned (read after finish() waited for it). */
  result(index: number): number;
  /**
   * Runs one team job, a product the threads compute together: offers `jobFor(index)` to every
   * worker, runs `runHere` on the calling thread, then finishes each worker's job (one taken back
   * has nothing left to run by then). If `runHere` throws, `abort` must stop the workers waiting
   * for what this thread claimed. Throws the first error of any thread, after every worker let go.
   */
  team(jobFor: (index: number) => GemmJob, runHere: () => void, abort: () => void): void;
  /** Stops and terminates every worker. */
  dispose(): void;
}

/** Polls of the control block before a worker sleeps between jobs (about 0.1 ms). */
const WORKER_SPIN = 1 << 16;
/** Polls before the main thread sleeps while waiting for a worker. */
const MAIN_SPIN = 1 << 14;
/** How long a worker may take to start before the pool gives up. */
const START_TIMEOUT_MS = 30_000;

/** Whether this thread may block in Atomics.wait (browsers forbid it on the main thread). */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts `size` workers on `module` and `memory` (a shared memory) and resolves once every one
 * has instantiated the kernels; rejects (after terminating them) if one fails or times out.
 * `loops` names the exports loop jobs may call, by their index in it.
 */
export async function startPool(module: WebAssembly.Module, memory: WebAssembly.Memory, size: number, loops: readonly string[] = []): Promise<Pool> {
  const control = new SharedArrayBuffer(size * SLOTS * 4);
  const ctl = new Int32Array(control);
  const floatControl = new SharedArrayBuffer(size * FLOAT_SLOTS * 8);
  const floats = new Float64Array(floatControl);
  const source = `${platform.workerPrelude}(${workerBody.toString()})(receive, reply);\n`;
  const workers = Array.from({ length: size }, () => platform.spawn(source));
  const started = workers.map(
    (worker, index) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`worker ${index} did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
        worker.once(
          (message) => {
            clearTimeout(timer);
            const reply = message as WorkerReply;
            if (reply.ok) resolve();
            else reject(new Error(`worker ${index} could not instantiate the kernels: ${reply.error}`));
          },
          (error) => {
            clearTimeout(timer);
            reject(error instanceof Error ? error : new Error(String(error)));
          },
        );
        const init: WorkerInit = {
          module, memory, control, floats: floatControl, floatSlots: FLOAT_SLOTS, loops, index, spin: WORKER_SPIN, slots: SLOTS, slot: SLOT, kind: KIND, claim: CLAIM,
        };
        worker.post(init);
      }),
  );
  try {
    await Promise.all(started);
  } catch (error) {
    for (const w of workers) w.terminate();
    throw error;
  }
  // Started: from now on an idle pool must not keep the process alive (dispose() is optional).
  for (const w of workers) w.unref();

  const blocking = canBlock();
  const seqs = new Int32Array(size);
  /** A job taken back by the main thread that the worker has not acknowledged yet. */
  const unacknowledged = new Uint8Array(size);
  let disposed = false;

  /** Waits until worker `index` has acknowledged its last job; false if running it trapped. */
  function waitDone(index: number): boolean {
    const base = index * SLOTS;
    const want = seqs[index]!;
    const finished = (d: number) => d === want || d === -want;
    let done = Atomics.load(ctl, base + SLOT.done);
    for (let i = 0; !finished(done) && i < MAIN_SPIN; i++) done = Atomics.load(ctl, base + SLOT.done);
    while (!finished(done)) {
      if (blocking) Atomics.wait(ctl, base + SLOT.done, done);
      done = Atomics.load(ctl, base + SLOT.done);
    }
    return done === want;
  }

  /** Whether worker `index` has acknowledged its last job (it may still read a job taken back from it until then). */
  function idle(index: number): boolean {
    if (!unacknowledged[index]) return true;
    const done = Atomics.load(ctl, index * SLOTS + SLOT.done);
    if (done !== seqs[index] && done !== -seqs[index]!) return false;
    unacknowledged[index] = 0;
    return true;
  }

  function signal(index: number, kind: number, job?: Job): void {
    const base = index * SLOTS;
    ctl[base + SLOT.kind] = kind;
    if (job?.kind === KIND.loop) {
      if (job.pointers.length > MAX_POINTERS || job.rest.length >= FLOAT_SLOTS) throw new Error(`@smolml/wasm: a loop job takes at most ${MAX_POINTERS} pointers and ${FLOAT_SLOTS - 1} further arguments`);
      ctl[base + SLOT.loop] = job.loop;
      ctl[base + SLOT.pointers] = job.pointers.length;
      job.pointers.forEach((p, i) => (ctl[base + SLOT.p0 + i] = p | 0));
      ctl[base + SLOT.count] = job.count;
      ctl[base + SLOT.rest] = job.rest.length;
      floats.set(job.rest, index * FLOAT_SLOTS);
    } else if (job) {
      ctl[base + SLOT.transA] = job.transA ? 1 : 0;
      ctl[base + SLOT.transB] = job.transB ? 1 : 0;
      ctl[base + SLOT.m] = job.m;
      ctl[base + SLOT.n] = job.n;
      ctl[base + SLOT.k] = job.k;
      // byte offsets may exceed 2^31: stored as their low 32 bits, read back by wasm as unsigned
      ctl[base + SLOT.a] = job.a | 0;
      ctl[base + SLOT.lda] = job.lda;
      ctl[base + SLOT.b] = job.b | 0;
      ctl[base + SLOT.ldb] = job.ldb;
      ctl[base + SLOT.c] = job.c | 0;
      ctl[base + SLOT.ldc] = job.ldc;
      ctl[base + SLOT.scratch] = job.scratch | 0;
      ctl[base + SLOT.accumulate] = job.accumulate ? 1 : 0;
      const team = job.team;
      ctl[base + SLOT.team] = team ? team.ctl | 0 : 0;
      if (team) {
        ctl[base + SLOT.packed] = team.packed | 0;
        ctl[base + SLOT.depth] = team.depth;
        ctl[base + SLOT.chunkRows] = team.chunkRows;
        ctl[base + SLOT.colGroups] = team.colGroups;
      }
    }
    Atomics.store(ctl, base + SLOT.claim, CLAIM.free);
    seqs[index] = ((seqs[index]! + 1) | 0) || 1; // never 0 (a fresh worker has seen job 0)
    Atomics.store(ctl, base + SLOT.seq, seqs[index]!); // publishes the slots written above
    Atomics.notify(ctl, base + SLOT.seq);
  }

  const pool: Pool = {
    size,
    post(index, job) {
      if (disposed) throw new Error('@smolml/wasm: the thread pool was disposed');
      // a job taken back may still be read by a late worker: its slots are rewritten only after it let go
      if (!idle(index)) return false;
      signal(index, job.kind, job);
      return true;
    },
    finish(index, runHere) {
      const base = index * SLOTS;
      if (Atomics.compareExchange(ctl, base + SLOT.claim, CLAIM.free, CLAIM.main) === CLAIM.free) {
        unacknowledged[index] = 1;
        runHere();
        return true;
      }
      if (!waitDone(index)) throw new Error(`@smolml/wasm: worker ${index} trapped while running a job`);
      return false;
    },
    result(index) {
      return floats[index * FLOAT_SLOTS + FLOAT_SLOTS - 1]!;
    },
    team(jobFor, runHere, abort) {
      const posted = Array.from({ length: size }, (_, index) => pool.post(index, jobFor(index)));
      let failure: unknown;
      try {
        runHere();
      } catch (error) {
        failure = error;
        abort();
      }
      for (let index = 0; index < size; index++) {
        try {
          if (posted[index]) pool.finish(index, () => {});
        } catch (error) {
          failure ??= error;
        }
      }
      if (failure !== undefined) throw failure;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (let i = 0; i < size; i++) signal(i, KIND.stop); // a late worker reading a stale job stops either way
      for (const w of workers) w.terminate();
    },
  };
  return pool;
}
