/** The workloads, their fixed hyper-parameters and how many times each is repeated. */

/** 'pytorch' is the optional W5 anchor (src/pytorch.ts), run by main.ts, not by case.ts. */
export type Impl = 'smolml-js' | 'smolml-wasm' | 'tfjs-cpu' | 'tfjs-wasm' | 'pytorch';
export type WorkloadId = 'w1-xor' | 'w2-mnist-mlp' | 'w3-wide-mlp' | 'w4-gemm' | 'w5-cnn' | 'memory';

export interface Workload {
  id: WorkloadId;
  title: string;
  /** The headline metric (higher is better). */
  metric: string;
  impls: Impl[];
  /** timed repetitions after one warm-up */
  reps: number;
}

export const XOR_EPOCHS = 1000;
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
/** Heap is sampled after `early` and `late` W1 steps, and again after `plateau` to show it stays put. */
export const MEMORY_STEPS = { early: 100, late: 10_000, plateau: 20_000 } as const;

/** Weights of an MLP with these layer sizes (biases excluded, as in 6 x weights x samples). */
export function weightCount(sizes: readonly number[]): number {
  let w = 0;
  for (let i = 1; i < sizes.length; i++) w += sizes[i - 1]! * sizes[i]!;
  return w;
}

export const WORKLOADS: Workload[] = [
  { id: 'w1-xor', title: 'W1 xor 2-16-1, AdaGrad, full batch, 1000 epochs', metric: 'epochs/s', impls: ['smolml-js', 'tfjs-cpu', 'tfjs-wasm'], reps: 7 },
  { id: 'w2-mnist-mlp', title: 'W2 mnist-mlp 784-128-10, Adam, batch 64, 1 epoch of 8,000', metric: 'samples/s', impls: ['smolml-js', 'smolml-wasm', 'tfjs-cpu', 'tfjs-wasm'], reps: 7 },
  { id: 'w3-wide-mlp', title: 'W3 wide-mlp 784-512-512-10, SGD, batch 256, 20 steps', metric: 'samples/s', impls: ['smolml-js', 'smolml-wasm', 'tfjs-cpu', 'tfjs-wasm'], reps: 5 },
  { id: 'w4-gemm', title: 'W4 gemm 512 x 512 @ 512 x 512', metric: 'GFLOP/s', impls: ['smolml-js', 'smolml-wasm', 'tfjs-cpu', 'tfjs-wasm'], reps: 10 },
  { id: 'w5-cnn', title: 'W5 cnn conv8-pool-conv16-pool-dense10, Adam, batch 64, 1 epoch of 4,096', metric: 'samples/s', impls: ['smolml-js', 'smolml-wasm', 'tfjs-cpu', 'tfjs-wasm'], reps: 3 },
  { id: 'memory', title: `Memory: heap after ${MEMORY_STEPS.late} vs ${MEMORY_STEPS.early} W1 steps`, metric: 'MB growth', impls: ['smolml-js', 'tfjs-cpu'], reps: 1 },
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
}

/** One timed repetition: seconds of the timed part, plus extra numbers (accuracy, ...). */
export interface Rep {
  seconds: number;
  extra?: Record<string, number>;
}

/** A prepared workload on one implementation: each call of rep() does its untimed setup, then times its work. */
export interface Bench {
  rep(): Promise<Rep>;
  /** Facts worth printing (dtype, SIMD, which API was used). */
  info: Record<string, string | number | boolean>;
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
