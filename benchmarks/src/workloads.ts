/** The workloads, their fixed hyper-parameters and how many times each is repeated. */

/** One implementation under test; see IMPLS for what each runs. */
export type Impl =
  | 'smolml-js' | 'smolml-wasm' | 'smolml-wasm-t2' | 'smolml-wasm-f32' | 'smolml-wasm-f32-t2' | 'smolml-wasm-fma'
  | 'tfjs-cpu' | 'tfjs-wasm' | 'tfjs-cpu-loop' | 'tfjs-wasm-loop'
  | 'brainjs' | 'pytorch' | 'pytorch-f32' | 'numpy';
export type WorkloadId = 'w1-xor' | 'w2-mnist-mlp' | 'w3-wide-mlp' | 'w4-gemm' | 'w5-cnn' | 'cnn-epoch' | 'memory' | 'pairs';

export interface ImplSpec {
  label: string;
  family: 'smolml' | 'tfjs' | 'brainjs' | 'python';
  precision: 'float64' | 'float32';
  threads: number;
  /** smolml: the backend; TF.js: its backend; others: unused */
  backend?: 'js' | 'wasm' | 'cpu';
  /** TF.js: hand-written loop (optimizer.minimize on tf ops) instead of model.fit */
  loop?: boolean;
  /** smolml wasm: `fma: true` (fused multiply-adds; the case process gets relaxed SIMD, see nodeArgs) */
  fma?: boolean;
  /** python: the module the interpreter must have (see python/anchors.py) */
  module?: 'torch' | 'numpy';
}

export const IMPLS: Record<Impl, ImplSpec> = {
  'smolml-js': { label: 'smolml js', family: 'smolml', precision: 'float64', threads: 1, backend: 'js' },
  'smolml-wasm': { label: 'smolml wasm', family: 'smolml', precision: 'float64', threads: 1, backend: 'wasm' },
  'smolml-wasm-t2': { label: 'smolml wasm, 2 threads', family: 'smolml', precision: 'float64', threads: 2, backend: 'wasm' },
  'smolml-wasm-f32': { label: 'smolml wasm float32', family: 'smolml', precision: 'float32', threads: 1, backend: 'wasm' },
  'smolml-wasm-f32-t2': { label: 'smolml wasm float32, 2 threads', family: 'smolml', precision: 'float32', threads: 2, backend: 'wasm' },
  'smolml-wasm-fma': { label: 'smolml wasm fma', family: 'smolml', precision: 'float64', threads: 1, backend: 'wasm', fma: true },
  'tfjs-cpu': { label: 'TF.js cpu', family: 'tfjs', precision: 'float32', threads: 1, backend: 'cpu' },
  'tfjs-wasm': { label: 'TF.js wasm', family: 'tfjs', precision: 'float32', threads: 1, backend: 'wasm' },
  'tfjs-cpu-loop': { label: 'TF.js cpu, loop', family: 'tfjs', precision: 'float32', threads: 1, backend: 'cpu', loop: true },
  'tfjs-wasm-loop': { label: 'TF.js wasm, loop', family: 'tfjs', precision: 'float32', threads: 1, backend: 'wasm', loop: true },
  brainjs: { label: 'brain.js', family: 'brainjs', precision: 'float32', threads: 1 },
  pytorch: { label: 'PyTorch, 1 thread', family: 'python', precision: 'float64', threads: 1, module: 'torch' },
  'pytorch-f32': { label: 'PyTorch float32, 1 thread', family: 'python', precision: 'float32', threads: 1, module: 'torch' },
  numpy: { label: 'OpenBLAS (numpy), 1 thread', family: 'python', precision: 'float64', threads: 1, module: 'numpy' },
};

/**
 * Node's arguments for a case process of `impl`: relaxed SIMD for the fma cases. Node 20 (V8
 * 11.3) keeps it behind a flag; V8 11.4 shipped it, so later Node versions need none.
 */
export function nodeArgs(impl: Impl): string[] {
  const v8 = process.versions.v8.split('.').map(Number);
  const flagged = v8[0]! < 11 || (v8[0] === 11 && v8[1]! < 4);
  return ['--expose-gc', ...(IMPLS[impl].fma && flagged ? ['--experimental-wasm-relaxed-simd'] : [])];
}

export interface Workload {
  id: WorkloadId;
  title: string;
  /** The headline metric (higher is better). */
  metric: string;
  impls: Impl[];
  /** timed repetitions after the warm-up */
  reps: number;
  /**
   * Warm-up, the same rule for every implementation of the workload: untimed repetitions until
   * both `seconds` have passed and `reps` have run, but no longer than `maxSeconds` (at least one
   * repetition). Absent: one warm-up repetition.
   */
  warmup?: Warmup;
}

export const XOR_EPOCHS = 1000;
/** See Workload.warmup. */
export interface Warmup {
  seconds: number;
  reps: number;
  maxSeconds: number;
}

/**
 * W1's warm-up, for every implementation alike. A 1000-epoch repetition of the fast ones
 * (smolml, brain.js) lasts 5-30 ms, and each needs 10-20 repetitions before JIT tier-up
 * settles (at different points), so after a single warm-up repetition the timed ones measured
 * tier-up, not training. Tier-up follows calls rather than time, hence a count as well as a
 * time; the cap keeps the slow cases (TF.js, 0.3-2 s a repetition) to a few repetitions.
 */
export const XOR_WARMUP: Warmup = { seconds: 1, reps: 20, maxSeconds: 3 };
/**
 * W4's warm-up, for every implementation alike: a repetition (5 products) takes 0.05-0.5 s, and
 * in earlier runs the wasm cases kept speeding up over the first second (tier-up of the kernel
 * in every thread, cache and page state), so one warm-up repetition was not enough.
 */
export const GEMM_WARMUP: Warmup = { seconds: 1, reps: 3, maxSeconds: 4 };
export const MNIST_BATCH = 64;
export const WIDE = { sizes: [784, 512, 512, 10], batch: 256, steps: 20, lr: 0.01 } as const;
export const GEMM_N = 512;
/** Products per W4 repetition: one 512 product takes only milliseconds, so a repetition (and the warm-up) runs several. */
export const GEMM_PER_REP = 5;
/**
 * W5: the first `train` training digits, one epoch in batches of `batch`, Adam(lr), test
 * accuracy on the 2,000 test digits. TF.js cpu's convolution gradients run at a few MFLOP/s,
 * so that case is timed on its first `tfjsCpuSamples` digits only (no accuracy).
 */
export const CNN = { train: 4096, batch: 64, lr: 1e-3, tfjsCpuSamples: 192 } as const;
/**
 * The examples/mnist-cnn epoch (issue 11: at most 60 s with @smolml/wasm): one epoch of the
 * example's network and settings on the 8,000 training digits, after `warmUpBatches` untimed
 * batches (a full warm-up epoch would double the case's time), timed once.
 */
export const CNN_EPOCH = { train: 8000, batch: 64, lr: 2e-3, warmUpBatches: 4, maxSeconds: 60 } as const;
/** Heap is sampled after `early` and `late` W1 steps, and again after `plateau` to show it stays put. */
export const MEMORY_STEPS = { early: 100, late: 10_000, plateau: 20_000 } as const;

/** Weights of an MLP with these layer sizes (biases excluded, as in 6 x weights x samples). */
export function weightCount(sizes: readonly number[]): number {
  let w = 0;
  for (let i = 1; i < sizes.length; i++) w += sizes[i - 1]! * sizes[i]!;
  return w;
}

const TF: Impl[] = ['tfjs-cpu', 'tfjs-wasm'];
const TF_LOOP: Impl[] = ['tfjs-cpu-loop', 'tfjs-wasm-loop'];
const WASM_VARIANTS: Impl[] = ['smolml-wasm', 'smolml-wasm-t2', 'smolml-wasm-f32'];

export const WORKLOADS: Workload[] = [
  { id: 'w1-xor', title: 'W1 xor 2-16-1, AdaGrad, full batch, 1000 epochs', metric: 'epochs/s', impls: ['smolml-js', ...TF, ...TF_LOOP, 'brainjs'], reps: 15, warmup: XOR_WARMUP },
  { id: 'w2-mnist-mlp', title: 'W2 mnist-mlp 784-128-10, Adam, batch 64, 1 epoch of 8,000', metric: 'samples/s', impls: ['smolml-js', ...WASM_VARIANTS, ...TF, ...TF_LOOP], reps: 7 },
  { id: 'w3-wide-mlp', title: 'W3 wide-mlp 784-512-512-10, SGD, batch 256, 20 steps', metric: 'samples/s', impls: ['smolml-js', ...WASM_VARIANTS, 'smolml-wasm-fma', ...TF], reps: 5 },
  { id: 'w4-gemm', title: 'W4 gemm 512 x 512 @ 512 x 512', metric: 'GFLOP/s', impls: ['smolml-js', ...WASM_VARIANTS, 'smolml-wasm-f32-t2', 'smolml-wasm-fma', ...TF, 'pytorch', 'pytorch-f32', 'numpy'], reps: 10, warmup: GEMM_WARMUP },
  { id: 'w5-cnn', title: 'W5 cnn conv8-pool-conv16-pool-dense10, Adam, batch 64, 1 epoch of 4,096', metric: 'samples/s', impls: ['smolml-js', 'smolml-wasm', ...TF, 'pytorch', 'pytorch-f32'], reps: 3 },
  { id: 'cnn-epoch', title: 'examples/mnist-cnn: one epoch of 8,000 digits on @smolml/wasm', metric: 's/epoch', impls: ['smolml-wasm', 'smolml-wasm-t2'], reps: 1 },
  { id: 'memory', title: `Memory: heap after ${MEMORY_STEPS.late} vs ${MEMORY_STEPS.early} W1 steps`, metric: 'MB growth', impls: ['smolml-js', 'tfjs-cpu'], reps: 1 },
  { id: 'pairs', title: 'Ratios from interleaved repetitions (the floors of issue 14)', metric: 'x', impls: ['smolml-wasm'], reps: 1 },
];

/** The line prefix under which a case process prints its JSON result. */
export const RESULT_MARK = '@@result ';

/** What one case process reports. */
export interface CaseResult {
  workload: WorkloadId;
  impl: Impl;
  info: Record<string, string | number | boolean>;
  /** timed repetitions (the warm-up excluded) */
  reps?: Rep[];
  memory?: MemoryResult;
  /** the `pairs` case: one entry per pair of PAIRS */
  pairs?: PairResult[];
}

/**
 * A ratio measured by interleaving: the speed of `a` over the speed of `b` on the same work,
 * one repetition (or block) of each per round (a, b in even rounds, b, a in odd ones), each side
 * prepared once in its own serving process (paired.ts). On this noisy 2-core machine the speed
 * drifts by up to 1.5x within minutes; repetitions of `a` and `b` taken seconds apart see the
 * same machine, so the ratio of each round is much steadier than a ratio of medians taken
 * minutes apart.
 */
export interface PairSpec {
  id: 'w1-brainjs' | 'w2-threads' | 'w3-threads' | 'w4-threads' | 'w4-pytorch' | 'w4-pytorch-fma' | 'w4-tfjs-f32';
  workload: 'w1-xor' | 'w2-mnist-mlp' | 'w3-wide-mlp' | 'w4-gemm';
  /** numerator and denominator (their labels in IMPLS) */
  a: Impl;
  b: Impl;
  /** timed rounds */
  rounds: number;
  /**
   * Repetitions of each side per round (default 1). W1's repetitions last milliseconds, and the
   * first one after the other process ran starts with cold caches, so a W1 round runs a block.
   */
  repsPerRound?: number;
  /** both sides train the same seeded model on smolml, so their final losses must be the same bits */
  sameLoss?: boolean;
  /**
   * Thread pairs: each round also measures what two cores give this machine right then (see
   * PairResult.machine), so a low ratio can be told apart from a machine that had one core's worth.
   */
  probe?: boolean;
}

export const PAIRS: PairSpec[] = [
  { id: 'w1-brainjs', workload: 'w1-xor', a: 'smolml-js', b: 'brainjs', rounds: 41, repsPerRound: 10 },
  { id: 'w2-threads', workload: 'w2-mnist-mlp', a: 'smolml-wasm-t2', b: 'smolml-wasm', rounds: 25, sameLoss: true, probe: true },
  { id: 'w3-threads', workload: 'w3-wide-mlp', a: 'smolml-wasm-t2', b: 'smolml-wasm', rounds: 25, sameLoss: true, probe: true },
  { id: 'w4-threads', workload: 'w4-gemm', a: 'smolml-wasm-t2', b: 'smolml-wasm', rounds: 41, probe: true },
  { id: 'w4-tfjs-f32', workload: 'w4-gemm', a: 'smolml-wasm-f32', b: 'tfjs-wasm', rounds: 41 },
  { id: 'w4-pytorch', workload: 'w4-gemm', a: 'smolml-wasm', b: 'pytorch', rounds: 41 },
  { id: 'w4-pytorch-fma', workload: 'w4-gemm', a: 'smolml-wasm-fma', b: 'pytorch', rounds: 41 },
];

export interface PairResult {
  id: PairSpec['id'];
  /** speed of a / speed of b, one number per timed round */
  ratios: number[];
  /** pairs with `sameLoss`: both sides' final losses were the same bits in every round */
  identical?: boolean;
  /**
   * Pairs with `probe`, one number per timed round: how many cores' worth of work this machine
   * gave two processes at once, right after that round's ratio. Two one-thread W4 processes run a
   * repetition together, and each runs one alone (one before, one after): the sum of their speeds
   * at once over the mean speed alone: about 2 when each process has a core of its own, about 1
   * when both share one (this VM's two virtual CPUs sometimes behave as one physical core's two
   * hyperthreads). One round's number is a gauge: it exceeds 2 when the machine's speed changed
   * between the repetitions.
   */
  machine?: number[];
  /** warm-up rounds run before the timed ones */
  warmupRounds: number;
}

/** One timed repetition: seconds of the timed part, plus extra numbers (accuracy, ...). */
export interface Rep {
  seconds: number;
  extra?: Record<string, number>;
}

/** A prepared workload on one implementation: each call of rep() does its untimed setup, then times its work. */
export interface Bench {
  rep(): Promise<Rep>;
  /** A shorter warm-up than one whole rep() (the default), for cases whose rep is long. */
  warmUp?(): Promise<Rep>;
  /** Facts worth printing (dtype, SIMD, which API was used). */
  info: Record<string, string | number | boolean>;
  /** Releases what the case holds (e.g. worker threads) after the last repetition. */
  dispose?(): void | Promise<void>;
}

export interface MemoryResult {
  early: { heapUsedMB: number; arrayBuffersMB: number; tensors?: number };
  late: { heapUsedMB: number; arrayBuffersMB: number; tensors?: number };
  plateau: { heapUsedMB: number; arrayBuffersMB: number; tensors?: number };
  seconds: number;
  info: Record<string, string | number | boolean>;
}

/** Wall-clock seconds of `fn` (awaited). */
export async function timed(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

/** Full garbage collection when node runs with --expose-gc (the case runner passes it). */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

export function heapSnapshot(): { heapUsedMB: number; arrayBuffersMB: number } {
  collectGarbage();
  const m = process.memoryUsage();
  return { heapUsedMB: m.heapUsed / 2 ** 20, arrayBuffersMB: m.arrayBuffers / 2 ** 20 };
}
