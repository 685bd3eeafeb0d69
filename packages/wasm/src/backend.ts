/**
 * The WASM SIMD backend: core's Backend interface over the AssemblyScript kernels of
 * assembly/ (embedded as base64 in kernels.generated.ts, so it loads the same way in Node and
 * in browsers), on one thread or several.
 *
 * Each gemm call copies A and B (and C when accumulating) into the module's linear memory,
 * runs the kernel and copies C back. The copies are O(n^2) against O(n^3) arithmetic, so tiny
 * products stay on the pure TypeScript kernels, where they are cheaper. Operands that are
 * arrays of `allocate()` (views of the shared memory, placed by arena.ts) are used where they
 * are, uncopied. With threads, the memory is shared with worker threads, and the threads
 * compute each large product together (assembly/team.ts): each takes pieces of C, every piece
 * with the full sum over k. Sharing out the output, never the reduction, keeps every number
 * identical to the one-thread result.
 */
import { type Backend, ValueError, jsBackend } from '@smolml/core';
import { MAX_ELEMENTS, allocate as ordinaryArray, checkGemm, checkInteger, checkNumber, checkOptions, describeValue, didYouMean, nonNegative } from '@smolml/core/internal';
import { platform } from '#platform';
import { type Kernels, type Precision, memoryFor, plainModule, relaxedSimdSupport, sharedModule } from './module.js';
import { Arena, align64, overlaps } from './arena.js';
import { type GemmJob, type Pool, type TeamArgs, startPool } from './pool.js';
import { TEAM_DEPTH, pieces, piecesPerThread } from './split.js';
import { LOOPS, LOOP_MIN_NUMBERS, loopRunner } from './loop-team.js';
import { KIND } from './worker.js';
import { stepKernels } from './step-kernels.js';
import { updateKernels } from './update-kernels.js';

/**
 * Options of createWasmBackend; every one is optional (`null` or `{}` mean the defaults).
 * @example
 * const backend = await createWasmBackend({ threads: 2, precision: 'float32' });
 */
export interface WasmBackendOptions {
  /**
   * Products with fewer multiply-adds (m * n * k) than this run on the TypeScript kernels
   * (default 4096, i.e. 16 x 16 x 16): below it copying in and out costs more than SIMD saves.
   */
  minWork?: number;
  /**
   * Threads for large products (default 1): the calling thread plus `threads - 1` workers
   * (Node `worker_threads`; Web Workers in cross-origin isolated pages). Where workers or
   * shared memory are unavailable, or there are fewer cores, the backend uses fewer and says
   * why in `threadsNote`.
   */
  threads?: number;
  /**
   * `'float64'` (default): the same numbers as the TypeScript kernels, bit for bit.
   * `'float32'`: products computed in single precision (about twice as fast; arrays stay
   * Float64Array, operands are rounded to float32 on the way in). See the README for the error.
   */
  precision?: Precision;
  /**
   * `true`: fused multiply-adds (WebAssembly relaxed SIMD), one rounding per term instead of two:
   * about 1.35x faster in float64 and at least as accurate, but no longer the TypeScript kernels'
   * bits (the same bits on any number of threads, on one machine). Where the runtime lacks relaxed
   * SIMD (Node 20 without --experimental-wasm-relaxed-simd, Safari) or the CPU does not fuse,
   * the backend keeps separate multiplies and adds and says why in `fmaNote`. Default false.
   */
  fma?: boolean;
}

/**
 * The backend createWasmBackend returns: core's Backend plus what it really uses.
 * @example
 * const backend = await createWasmBackend({ threads: 2 });
 * console.log(backend.threads, backend.threadsNote); // 2 undefined, or 1 and the reason
 * backend.dispose();
 */
export interface WasmBackend extends Backend {
  readonly name: 'wasm-simd';
  /** Threads large products run on (1 after dispose(), or when threads are unavailable). */
  readonly threads: number;
  /** Precision of the products: what was asked for (float64 unless `precision: 'float32'`). */
  readonly precision: Precision;
  /** Why `threads` is lower than requested; undefined when it is not. */
  readonly threadsNote: string | undefined;
  /** Whether products use fused multiply-adds (only when `fma: true` was asked for and works here). */
  readonly fma: boolean;
  /** Why `fma` is false although `fma: true` was asked for; undefined otherwise. */
  readonly fmaNote: string | undefined;
  /** Terminates the worker threads (if any); the backend keeps working on one thread. */
  dispose(): void;
  /**
   * A zero-filled array in the backend's shared WebAssembly memory (on one thread too), which
   * products read and write in place instead of copying it in and out (core's compiled training
   * step allocates its buffers here). An ordinary array where the memory is not shared (no
   * SharedArrayBuffer: a page that is not cross-origin isolated), for arrays under 4 KiB, or when
   * memory is full. Its memory is reused once the array is given back with `release`, or
   * garbage-collected: keep the array itself, not only a `subarray` of it, while using it.
   * A length over 2^31 - 1 (core's limit for any array), or one the engine cannot give even as
   * an ordinary array, is a ValueError naming it.
   */
  allocate(length: number): Float64Array;
  /** Gives an array of `allocate` back at once (it must not be used afterwards); ignores any other array. */
  release(array: Float64Array): void;
}

/** Limits a test can lower (not part of the public options). */
export interface InternalLimits {
  /** Largest WebAssembly memory the backend may use, in bytes. */
  maxMemoryBytes?: number;
  /** Rows of op(B) a team of threads packs per stage, a multiple of 256 (default TEAM_DEPTH; tests lower it to reach several stages). */
  teamDepth?: number;
  /** Pieces per thread a team product is cut into (default: piecesPerThread of its work; tests raise it to reach pieces of columns). */
  piecesPerThread?: number;
  /** Least numbers of an element-wise loop cut across the threads (default LOOP_MIN_NUMBERS; tests lower it to cut short loops). */
  loopMinNumbers?: number;
}

const PRECISIONS: readonly Precision[] = ['float64', 'float32'];
const MAX_THREADS = 64;
/** Below this many multiply-adds a product runs on one thread: waking a worker costs more. */
const THREAD_MIN_WORK = 1 << 18;
/** core's gemmJs takes its simple loops at or below this work, or with fewer than 4 rows or columns. */
const JS_SMALL = 8 * 8 * 8;
/** WebAssembly pages are 64 KiB; a 32-bit memory has at most 65536 of them. */
const PAGE = 65536;
const MAX_PAGES = 65536;

/** A range of linear memory handed out by allocate(). */
interface Range {
  at: number;
  bytes: number;
}
/** allocate() makes smaller arrays ordinary ones: products that small run on the TypeScript kernels anyway. */
const MIN_ALLOCATE_BYTES = 4096;

/**
 * Compiles the kernels and returns a Backend to pass to core's `setBackend`.
 * Throws when the runtime has no WebAssembly SIMD (Node 20 and current browsers have it).
 * @example
 * import { setBackend } from '@smolml/core';
 * import { createWasmBackend } from '@smolml/wasm';
 * setBackend(await createWasmBackend()); // matmuls now run on WASM SIMD
 * // const backend = await createWasmBackend({ threads: 2 }); ... backend.dispose();
 */
export async function createWasmBackend(options?: WasmBackendOptions | null): Promise<WasmBackend> {
  return createWasmBackendWith(options, {});
}

/** createWasmBackend with internal limits (tests lower them to reach the fallbacks cheaply). */
export async function createWasmBackendWith(options: WasmBackendOptions | null | undefined, limits: InternalLimits): Promise<WasmBackend> {
  const op = 'createWasmBackend';
  const o = checkOptions(op, options, ['minWork', 'threads', 'precision', 'fma']);
  const minWork = o.minWork === undefined ? 16 * 16 * 16 : checkNumber(op, 'minWork', o.minWork, nonNegative);
  const requested = o.threads === undefined ? 1 : checkInteger(op, 'threads', o.threads, 1);
  if (requested > MAX_THREADS) throw new ValueError(`${op}: threads must be at most ${MAX_THREADS}, got ${requested}`);
  const precision = o.precision ?? 'float64';
  if (!PRECISIONS.includes(precision)) {
    throw new ValueError(`${op}: precision must be 'float64' or 'float32', got ${describeValue(precision)}${didYouMean(String(precision), PRECISIONS)}`);
  }
  if (o.fma !== undefined && typeof o.fma !== 'boolean') throw new ValueError(`${op}: fma must be true or false, got ${describeValue(o.fma)}`);
  await plainModule(); // throws a clear error without WebAssembly SIMD
  const { fma, fmaNote } = o.fma === true ? await fmaSupport() : { fma: false, fmaNote: undefined };
  const maxBytes = Math.min(MAX_PAGES * PAGE - PAGE, limits.maxMemoryBytes ?? Infinity);

  let note: string | undefined;
  let pool: Pool | undefined;
  let kernels: Kernels | undefined;
  if (requested > 1) {
    const threaded = await startThreads(requested, maxBytes, fma);
    if (typeof threaded === 'string') note = threaded;
    else ({ pool, kernels, note } = threaded);
  }
  kernels ??= await oneThread(fma, maxBytes);
  const teamDepth = limits.teamDepth ?? TEAM_DEPTH;
  const kc = kernels.exports.blockDepth();
  if (teamDepth < kc || teamDepth % kc !== 0) {
    // a stage must end where a block of k ends, or the block sums (and the bits) would change
    pool?.dispose();
    throw new ValueError(`${op}: teamDepth must be a positive multiple of ${kc}, got ${teamDepth}`);
  }
  return backendFrom(kernels, pool, { minWork, precision, maxBytes, note, fma, fmaNote, teamDepth, perThread: limits.piecesPerThread, loopMin: limits.loopMinNumbers ?? LOOP_MIN_NUMBERS });
}

/**
 * Whether the fused kernels run here and really fuse: relaxed SIMD may compile relaxed_madd to a
 * multiply and an add (a CPU without FMA), which would only be the ordinary kernels, slower. The
 * probe sums 1 * -1 + (1 + 2^-30)(1 - 2^-30): exactly -2^-60 when fused, 0 when the product is
 * rounded to 1 first.
 */
async function fmaSupport(): Promise<{ fma: boolean; fmaNote: string | undefined }> {
  const unsupported = relaxedSimdSupport();
  if (unsupported) return { fma: false, fmaNote: `fma: ${unsupported}; using separate multiplies and adds` };
  const probe = await memoryFor(await plainModule(true), 1, undefined);
  const [m, n, k] = [4, 4, 2];
  const at = probe.operands;
  probe.memory.grow(1); // room for the operands (memoryFor reserves only the scratch)
  const heap = new Float64Array(probe.memory.buffer);
  const a = heap.subarray(at / 8, at / 8 + m * k); // row-major m x k
  const b = heap.subarray(at / 8 + m * k, at / 8 + m * k + k * n); // row-major k x n
  a.fill(1);
  b.fill(-1, 0, n);
  a.fill(1 + 2 ** -30, 1, 2);
  b.fill(1 - 2 ** -30, n, 2 * n);
  probe.exports.gemmF64(0, 0, m, n, k, at, k, at + m * k * 8, n, at + (m * k + k * n) * 8, n, probe.scratch(0), 0);
  const fused = heap[at / 8 + m * k + k * n] === -(2 ** -60);
  return fused ? { fma: true, fmaNote: undefined } : { fma: false, fmaNote: 'fma: this CPU does not fuse multiply-adds in WebAssembly; using separate multiplies and adds' };
}

/**
 * The kernels for one thread: on a shared memory where the runtime has one (Node, cross-origin
 * isolated pages), so that allocate() and stepKernels work there too (products then read a
 * compiled step's buffers in place, and its element-wise loops run in WebAssembly); else on an
 * ordinary memory, where arrays are copied in and out of each product.
 */
async function oneThread(fma: boolean, maxBytes: number): Promise<Kernels> {
  if (typeof SharedArrayBuffer === 'function') {
    try {
      return await memoryFor(await sharedModule(fma), 1, Math.floor(maxBytes / PAGE));
    } catch {
      // no WebAssembly threads in this engine: an ordinary memory does everything but allocate()
    }
  }
  return memoryFor(await plainModule(fma), 1, undefined);
}

/** Shared memory and workers, or the reason they cannot be used here. */
async function startThreads(requested: number, maxBytes: number, fma: boolean): Promise<{ pool: Pool; kernels: Kernels; note: string | undefined } | string> {
  const unsupported = platform.threadSupport();
  if (unsupported) return `using 1 thread: ${unsupported}`;
  const cores = platform.cores();
  const threads = Math.min(requested, cores);
  if (threads < 2) return `using 1 thread: only ${cores} core is available`;
  let shared: WebAssembly.Module;
  let kernels: Kernels;
  try {
    shared = await sharedModule(fma);
    kernels = await memoryFor(shared, threads, Math.floor(maxBytes / PAGE));
  } catch (error) {
    return `using 1 thread: WebAssembly threads (shared memory) are not available here (${String(error)})`;
  }
  try {
    const pool = await startPool(shared, kernels.memory, threads - 1, LOOPS);
    return { pool, kernels, note: threads < requested ? `using ${threads} threads: only ${cores} cores are available` : undefined };
  } catch (error) {
    return `using 1 thread: worker threads could not start (${String(error)})`;
  }
}

interface Settings {
  minWork: number;
  precision: Precision;
  maxBytes: number;
  note: string | undefined;
  fma: boolean;
  fmaNote: string | undefined;
  teamDepth: number;
  /** pieces per thread of every team product (a test's override), or undefined: piecesPerThread() of each product's work */
  perThread: number | undefined;
  /** least numbers of a loop cut across the threads */
  loopMin: number;
}

/** float64 numbers in a 4 KiB page, the smallest page of the systems we run on */
const PAGE_NUMBERS = 512;

/**
 * Writes a zero into every page of the first `length` numbers of `c`, an ordinary array the
 * product is copied into at the end, which overwrites the zeros (C's old numbers, when they are
 * accumulated, and operands that share its memory were copied in before). A new array's pages
 * are mapped at their first write, a fault per page that some hosts make slow (2 MiB: 1-5 ms
 * measured on a virtual machine, where the product itself takes 6.5 ms on two threads). Called
 * on the calling thread while the workers compute, so that those faults overlap the product
 * instead of following it.
 */
function touchPages(c: Float64Array, length: number): void {
  for (let i = 0; i < length; i += PAGE_NUMBERS) c[i] = 0;
  if (length > 0) c[length - 1] = 0;
}

function backendFrom(wasm: Kernels, pool: Pool | undefined, { minWork, precision, maxBytes, note, fma, fmaNote, teamDepth, perThread, loopMin }: Settings): WasmBackend {
  const kind = precision === 'float32' ? KIND.f32 : KIND.f64;
  const gemmKernel = precision === 'float32' ? wasm.exports.gemmF32 : wasm.exports.gemmF64;
  const teamKernel = precision === 'float32' ? wasm.exports.gemmTeamF32 : wasm.exports.gemmTeamF64;
  /** Pieces handed to threads are whole register tiles (4 x 4 in float64, 4 x 8 in float32) within the kernels' blocks. */
  const shapes = { rows: wasm.exports.tileRows(), cols: precision === 'float32' ? 8 : 4, blockRows: wasm.exports.blockRows(), blockCols: wasm.exports.blockCols() };

  const run = (p: GemmJob) =>
    gemmKernel(p.transA ? 1 : 0, p.transB ? 1 : 0, p.m, p.n, p.k, p.a, p.lda, p.b, p.ldb, p.c, p.ldc, p.scratch, p.accumulate ? 1 : 0);
  const runTeam = (p: GemmJob, t: TeamArgs) =>
    teamKernel(p.transA ? 1 : 0, p.transB ? 1 : 0, p.m, p.n, p.k, p.a, p.lda, p.b, p.ldb, p.c, p.ldc, p.scratch, p.accumulate ? 1 : 0, t.packed, t.depth, t.chunkRows, t.colGroups, t.ctl);

  /** Grows linear memory to at least `bytes`; false when the memory cannot hold them. */
  function reserve(bytes: number): boolean {
    if (bytes > maxBytes) return false;
    const have = wasm.memory.buffer.byteLength;
    if (bytes <= have) return true;
    try {
      wasm.memory.grow(Math.ceil((bytes - have) / PAGE));
      return true;
    } catch {
      return false; // the engine refused (no address space, or the memory's maximum)
    }
  }

  // Linear memory above the scratch: the staging area for operands that live in JavaScript
  // arrays, and the arrays allocate() hands out, which products read and write in place.
  const arena = new Arena(wasm.operands, reserve);
  let stage = { at: -1, bytes: 0 };
  /** The start of a staging area of at least `bytes` bytes, or -1 when memory cannot hold it. */
  function staging(bytes: number): number {
    if (bytes <= stage.bytes) return stage.at;
    if (stage.at >= 0) arena.release(stage.at, stage.bytes);
    const range = arena.allocate(bytes);
    stage = range === null ? { at: -1, bytes: 0 } : { at: range.at, bytes };
    return stage.at;
  }
  const controlBytes = wasm.exports.teamControlBytes();
  const abortIndex = wasm.exports.teamAbortOffset() / 4;
  let region = { at: -1, bytes: 0 };
  /**
   * The counters and packed panels of a team product of m x n x k, cut by pieces(), or null when
   * memory cannot hold them. The region is kept for the next product (one product runs at a time).
   */
  function teamFor(m: number, n: number, k: number, threads: number): TeamArgs | null {
    const depth = Math.min(k, teamDepth);
    const bytes = align64(controlBytes) + align64(wasm.exports.teamPackedBytes(depth, kind === KIND.f32 ? 1 : 0));
    if (bytes > region.bytes) {
      if (region.at >= 0) arena.release(region.at, region.bytes);
      const range = arena.allocate(bytes);
      region = range === null ? { at: -1, bytes: 0 } : { at: range.at, bytes };
      if (range === null) return null;
    }
    return { ctl: region.at, packed: region.at + align64(controlBytes), depth, ...pieces(m, n, threads, shapes, perThread ?? piecesPerThread(m * n * k, threads)) };
  }
  // Only shared memory keeps its arrays when it grows (an ordinary one detaches them).
  const shared = typeof SharedArrayBuffer !== 'undefined' && wasm.memory.buffer instanceof SharedArrayBuffer;
  /** The buffers of this memory (a new one after each growth) that allocate() made arrays on. */
  const ours = new WeakSet<ArrayBufferLike>();
  const registry = new FinalizationRegistry<Range>(({ at, bytes }) => arena.release(at, bytes));
  /** The range of each array allocate() made and nobody released yet (also its registry token). */
  const ranges = new WeakMap<Float64Array, Range>();
  /** Where `x` starts in linear memory when it is one of allocate()'s arrays, else -1. */
  const placed = (x: Float64Array): number => (ours.has(x.buffer) ? x.byteOffset : -1);
  /** Copies the first `length` numbers of `x` into the staging area; its byte offset, or -1 when memory cannot hold them. */
  function copyIn(x: Float64Array, length: number): number {
    const at = staging(align64(length * 8));
    if (at >= 0) new Float64Array(wasm.memory.buffer, at, length).set(x.subarray(0, length));
    return at;
  }

  const loops = loopRunner(wasm.exports, () => pool, loopMin);

  const backend: WasmBackend = {
    name: 'wasm-simd',
    precision,
    get threads() {
      return pool ? pool.size + 1 : 1;
    },
    threadsNote: note,
    fma,
    fmaNote,
    // only arrays of allocate() are taken (as outputs, for updateKernels), and there are none unless the memory is shared
    ...(shared ? { stepKernels: stepKernels(wasm.exports, placed, copyIn, loops), updateKernels: updateKernels(loops, placed, staging, () => wasm.memory.buffer) } : {}),
    dispose() {
      pool?.dispose();
      pool = undefined;
    },
    allocate(length) {
      checkInteger('allocate', 'length', length, 0);
      // Ordinary arrays come from core's allocate: more than 2^31 - 1 numbers, or more than the
      // engine can give, is a ValueError naming the length, as for any array of core's.
      if (!shared || length * 8 < MIN_ALLOCATE_BYTES || length > MAX_ELEMENTS) return ordinaryArray('allocate', [length]);
      const bytes = length * 8;
      const range = arena.allocate(bytes);
      if (range === null) return ordinaryArray('allocate', [length]); // memory is full: an ordinary array, copied as before
      const heap = wasm.memory.buffer;
      ours.add(heap);
      const array = new Float64Array(heap, range.at, length);
      // A range used before holds old numbers. Zeroed in WebAssembly: a JavaScript fill() of a
      // shared array ran 4-8x slower than of an ordinary one here (12 MB: 1.3-2.2 ms against 0.3).
      if (!range.fresh) wasm.exports.zeroBytes(range.at, bytes);
      const held: Range = { at: range.at, bytes };
      registry.register(array, held, held);
      ranges.set(array, held);
      return array;
    },
    release(array) {
      const held = ranges.get(array);
      if (held === undefined) return; // not ours, or released already
      ranges.delete(array);
      registry.unregister(held);
      arena.release(held.at, held.bytes);
    },
    gemm(transA, transB, m, n, k, a, b, c, accumulate) {
      checkGemm('gemm', m, n, k, a, b, c); // a short operand would otherwise read stale memory
      const work = m * n * k;
      // Everything core's gemmJs runs with its simple loops stays there, so float64 results
      // are the same bits whichever backend runs a product (without fma: with it, small
      // products keep the TypeScript kernels' separate multiplies and adds).
      if (work < minWork || work <= JS_SMALL || m < 4 || n < 4) {
        jsBackend.gemm(transA, transB, m, n, k, a, b, c, accumulate);
        return;
      }
      // Operands made by allocate() are read (and C written) where they are; the others are
      // copied into the staging area: [A][B][C], each only when it is not in memory already.
      const aLen = m * k;
      const bLen = k * n;
      const cLen = m * n;
      const aAt = placed(a);
      const bAt = placed(b);
      const cPlaced = placed(c);
      // C is written while A and B are read: a C overlapping either is computed apart, and copied
      // out only once every thread is done reading them.
      const cOverlaps = cPlaced >= 0 && (overlaps(cPlaced, cLen, aAt, aLen) || overlaps(cPlaced, cLen, bAt, bLen));
      const cAt = cOverlaps ? -1 : cPlaced;
      const aBytes = aAt < 0 ? align64(aLen * 8) : 0;
      const bBytes = bAt < 0 ? align64(bLen * 8) : 0;
      const cBytes = cAt < 0 ? align64(cLen * 8) : 0;
      const base = aBytes + bBytes + cBytes > 0 ? staging(aBytes + bBytes + cBytes) : 0;
      if (base < 0) {
        // Too large for WebAssembly memory: the TypeScript kernels handle any size.
        jsBackend.gemm(transA, transB, m, n, k, a, b, c, accumulate);
        return;
      }
      const aPtr = aAt >= 0 ? aAt : base;
      const bPtr = bAt >= 0 ? bAt : base + aBytes;
      const cPtr = cAt >= 0 ? cAt : base + aBytes + bBytes;
      const job: GemmJob = {
        kind, transA, transB, m, n, k, a: aPtr, lda: transA ? m : k, b: bPtr, ldb: transB ? k : n, c: cPtr, ldc: n, scratch: wasm.scratch(0), accumulate,
      };
      const team = pool && work >= THREAD_MIN_WORK ? teamFor(m, n, k, pool.size + 1) : null;
      const heap = wasm.memory.buffer; // after every allocation above: an ordinary memory detaches its arrays when it grows
      if (aAt < 0) new Float64Array(heap, aPtr, aLen).set(a.subarray(0, aLen));
      if (bAt < 0) new Float64Array(heap, bPtr, bLen).set(b.subarray(0, bLen));
      const cView = cAt < 0 ? new Float64Array(heap, cPtr, cLen) : null;
      if (cView !== null && accumulate) cView.set(c.subarray(0, cLen)); // otherwise the kernel overwrites C
      if (team === null) run(job);
      else {
        // The calling thread and every worker that takes the job compute it together; a worker
        // that has not started by the time the calling thread is done finds nothing left to do.
        const counters = new Int32Array(heap, team.ctl, controlBytes / 4);
        counters.fill(0);
        pool!.team(
          (t) => ({ ...job, scratch: wasm.scratch(t + 1), team }),
          () => {
            // only an ordinary C: one in WebAssembly memory is mapped already, and may be A or B itself
            if (cPlaced < 0) touchPages(c, cLen);
            runTeam(job, team);
          },
          () => Atomics.store(counters, abortIndex, 1), // a bug, never valid input: the workers must not wait for this thread's pieces
        );
      }
      if (cView !== null) c.set(cView);
    },
  };
  return backend;
}
