/** Turns raw case results into medians, target and floor checks (markdown.ts renders them). */
import { CNN, CNN_EPOCH, type CaseResult, GEMM_N, GEMM_PER_REP, type Impl, PAIRS, type PairResult, WIDE, type WorkloadId, XOR_EPOCHS, weightCount } from './workloads.js';

export interface Row {
  workload: WorkloadId;
  impl: Impl;
  unit: string;
  median: number;
  min: number;
  max: number;
  reps: number;
  /** medians of secondary numbers: accuracy, GFLOP/s, ... */
  extra: Record<string, number>;
  info: CaseResult['info'];
}

export interface MemoryRow {
  impl: Impl;
  earlyMB: number;
  lateMB: number;
  plateauMB: number;
  /** late - early */
  growthMB: number;
  /** plateau - late */
  plateauGrowthMB: number;
  tensorsEarly?: number;
  tensorsLate?: number;
  info: CaseResult['info'];
}

/** Whether `value cmp goal` holds. */
export function meets(value: number, cmp: Target['cmp'], goal: number): boolean {
  return cmp === '>=' ? value >= goal : cmp === '<=' ? value <= goal : value < goal;
}

/** A goal checked on this run: met when `value cmp goal`. */
export interface Target {
  /** which issue set it: 6 (first round), 11 (the W5 CNN) or 14 (this round's floors) */
  issue: 6 | 11 | 14;
  name: string;
  value: number;
  goal: number;
  unit: string;
  cmp: '>=' | '<=' | '<';
  met: boolean;
}

/** An interleaved pair (PairSpec) with the median, min and max of its rounds' ratios. */
export interface PairRow extends PairResult {
  median: number;
  min: number;
  max: number;
  /** pairs with `probe`: the machine's two-process scaling over the same rounds (see hostSummary) */
  host?: HostSummary;
}

/** One pair measured in two runs of the bench, as one: the rounds of both (ratios and machine scalings in the same order). */
export function pooledPair(first: PairResult, second: PairResult): PairResult {
  const machine = first.machine && second.machine ? { machine: [...first.machine, ...second.machine] } : {};
  const identical = first.identical === undefined ? {} : { identical: first.identical && second.identical !== false };
  return { id: first.id, ratios: [...first.ratios, ...second.ratios], warmupRounds: first.warmupRounds + second.warmupRounds, ...identical, ...machine };
}

/** Rounds whose machine scaling (PairResult.machine) was at least this count as "two cores". */
export const TWO_CORES = 1.8;

export interface HostSummary {
  /** median of the machine's two-process scaling over the pair's rounds */
  median: number;
  /** how many rounds had the machine scaling at least TWO_CORES */
  twoCoreRounds: number;
  /** the median of the pair's ratio over those rounds (undefined when there were none) */
  twoCoreMedian: number | undefined;
}

/**
 * What the machine gave during a pair's rounds: the median of its scaling, and the pair's median
 * over the rounds in which it had two cores' worth (ratios[i] and machine[i] are one round).
 */
export function hostSummary(ratios: readonly number[], machine: readonly number[]): HostSummary {
  if (machine.length !== ratios.length) throw new Error(`hostSummary: ${ratios.length} ratios but ${machine.length} machine scalings`);
  const two = ratios.filter((_, i) => machine[i]! >= TWO_CORES);
  return { median: median([...machine]), twoCoreRounds: two.length, twoCoreMedian: two.length > 0 ? median(two) : undefined };
}

export interface Summary {
  rows: Row[];
  memory: MemoryRow[];
  pairs: PairRow[];
  targets: Target[];
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
};

/** The headline metric of one repetition that took `seconds` (W1: epochs actually run, when reported). */
function metricOf(workload: WorkloadId, seconds: number, extra: Record<string, number> | undefined): { unit: string; value: number; extra: Record<string, number> } {
  switch (workload) {
    case 'w1-xor': return { unit: 'epochs/s', value: (extra?.epochs ?? XOR_EPOCHS) / seconds, extra: {} };
    case 'w2-mnist-mlp': return { unit: 'samples/s', value: 8000 / seconds, extra: {} };
    case 'w3-wide-mlp': {
      const samples = WIDE.batch * WIDE.steps;
      return { unit: 'samples/s', value: samples / seconds, extra: { 'GFLOP/s': (6 * weightCount(WIDE.sizes) * samples) / seconds / 1e9 } };
    }
    case 'w4-gemm': return { unit: 'GFLOP/s', value: (GEMM_PER_REP * 2 * GEMM_N ** 3) / seconds / 1e9, extra: {} };
    case 'w5-cnn': return { unit: 'samples/s', value: (extra?.samples ?? CNN.train) / seconds, extra: {} };
    // the one metric where lower is better: the issue states it as seconds per epoch
    case 'cnn-epoch': return { unit: 's/epoch', value: seconds, extra: { 'samples/s': (extra?.samples ?? CNN_EPOCH.train) / seconds } };
    case 'memory': return { unit: 'MB', value: 0, extra: {} };
    case 'pairs': return { unit: 'x', value: 0, extra: {} };
  }
}

export function summarize(results: CaseResult[]): Summary {
  const rows: Row[] = [];
  const memory: MemoryRow[] = [];
  const pairs: PairRow[] = [];
  for (const r of results) {
    if (r.pairs) {
      for (const p of r.pairs) {
        const host = p.machine ? { host: hostSummary(p.ratios, p.machine) } : {};
        pairs.push({ ...p, median: median(p.ratios), min: Math.min(...p.ratios), max: Math.max(...p.ratios), ...host });
      }
      continue;
    }
    if (r.memory) {
      const m = r.memory;
      const early = m.early.heapUsedMB + m.early.arrayBuffersMB;
      const late = m.late.heapUsedMB + m.late.arrayBuffersMB;
      const plateau = m.plateau.heapUsedMB + m.plateau.arrayBuffersMB;
      memory.push({
        impl: r.impl, earlyMB: early, lateMB: late, plateauMB: plateau, growthMB: late - early, plateauGrowthMB: plateau - late, info: r.info,
        ...(m.early.tensors !== undefined ? { tensorsEarly: m.early.tensors } : {}),
        ...(m.plateau.tensors !== undefined ? { tensorsLate: m.plateau.tensors } : {}),
      });
      continue;
    }
    const per = (r.reps ?? []).map((rep) => {
      const m = metricOf(r.workload, rep.seconds, rep.extra);
      return { value: m.value, unit: m.unit, extra: { ...m.extra, ...rep.extra } };
    });
    const keys = new Set(per.flatMap((p) => Object.keys(p.extra)));
    const extra: Record<string, number> = {};
    for (const k of keys) extra[k] = median(per.map((p) => p.extra[k]!).filter((v) => v !== undefined));
    const values = per.map((p) => p.value);
    rows.push({
      workload: r.workload, impl: r.impl, unit: per[0]?.unit ?? '', median: median(values),
      min: Math.min(...values), max: Math.max(...values), reps: values.length, extra, info: r.info,
    });
  }
  return { rows, memory, pairs, targets: targets(rows, memory, pairs) };
}

/**
 * Whether an anchor ran on the reference BLAS (Debian's libblas.so.3 when OpenBLAS is not
 * installed): 5 to 8 times slower than OpenBLAS, so a ratio to it would pass any floor.
 * Such ratios are left unjudged (main.ts says why in the report's notes).
 */
export function onReferenceBlas(row: Pick<Row, 'info'> | undefined): boolean {
  return String(row?.info.blas ?? '').startsWith('reference BLAS');
}

function targets(rows: Row[], memory: MemoryRow[], pairs: PairRow[]): Target[] {
  const get = (w: WorkloadId, impl: Impl) => rows.find((r) => r.workload === w && r.impl === impl);
  const out: Target[] = [];
  const check = (issue: 6 | 11 | 14, name: string, value: number | undefined, cmp: Target['cmp'], goal: number, unit: string) => {
    if (value === undefined || !Number.isFinite(value)) return;
    out.push({ issue, name, value, goal, unit, cmp, met: meets(value, cmp, goal) });
  };
  const ratio = (w: WorkloadId, a: Impl, b: Impl) => {
    const x = get(w, a);
    const y = get(w, b);
    return x && y && !onReferenceBlas(y) ? x.median / y.median : undefined;
  };
  // issue 6: the first round of targets (against TF.js's model.fit)
  check(6, 'W1 smolml (js) / TF.js cpu (model.fit)', ratio('w1-xor', 'smolml-js', 'tfjs-cpu'), '>=', 10, 'x');
  check(6, 'W2 smolml (js) / TF.js cpu (model.fit)', ratio('w2-mnist-mlp', 'smolml-js', 'tfjs-cpu'), '>=', 3, 'x');
  check(6, 'W2 smolml (wasm) / TF.js wasm (model.fit)', ratio('w2-mnist-mlp', 'smolml-wasm', 'tfjs-wasm'), '>=', 1.5, 'x');
  check(6, 'W2 smolml (js) test accuracy', get('w2-mnist-mlp', 'smolml-js')?.extra.accuracy, '>=', 0.88, '');
  check(6, 'W2 smolml (wasm) test accuracy', get('w2-mnist-mlp', 'smolml-wasm')?.extra.accuracy, '>=', 0.88, '');
  check(6, 'W3 smolml (wasm) / TF.js wasm (model.fit)', ratio('w3-wide-mlp', 'smolml-wasm', 'tfjs-wasm'), '>=', 2, 'x');
  check(6, 'W4 smolml (js) float64 GFLOP/s', get('w4-gemm', 'smolml-js')?.median, '>=', 3, 'GFLOP/s');
  check(6, 'W4 smolml wasm / smolml js (float64)', ratio('w4-gemm', 'smolml-wasm', 'smolml-js'), '>=', 2, 'x');
  const mem = memory.find((m) => m.impl === 'smolml-js');
  check(6, 'Memory: smolml growth 100 -> 10,000 steps', mem?.growthMB, '<', 1, 'MB');
  // issue 11: the W5 CNN (TF.js cpu timed on its first CNN.tfjsCpuSamples digits)
  check(11, 'W5 smolml (js) / TF.js cpu (model.fit)', ratio('w5-cnn', 'smolml-js', 'tfjs-cpu'), '>=', 3, 'x');
  check(11, 'W5 smolml (wasm) / TF.js wasm (model.fit)', ratio('w5-cnn', 'smolml-wasm', 'tfjs-wasm'), '>=', 1.5, 'x');
  const tfAcc = get('w5-cnn', 'tfjs-wasm')?.extra.accuracy;
  for (const impl of ['smolml-js', 'smolml-wasm'] as const) {
    const acc = get('w5-cnn', impl)?.extra.accuracy;
    check(11, `W5 ${impl} test accuracy - TF.js wasm's (points)`, acc !== undefined && tfAcc !== undefined ? 100 * (acc - tfAcc) : undefined, '>=', -1, 'points');
  }
  // an aim, not a floor: PyTorch on one thread within 3x (float32 is PyTorch's default)
  check(11, 'W5 smolml (wasm) / PyTorch float32, 1 thread (aim: within 3x)', ratio('w5-cnn', 'smolml-wasm', 'pytorch-f32'), '>=', 1 / 3, 'x');
  check(11, 'W5 smolml (wasm) / PyTorch float64, 1 thread (aim: within 3x)', ratio('w5-cnn', 'smolml-wasm', 'pytorch'), '>=', 1 / 3, 'x');
  check(11, 'examples/mnist-cnn epoch, @smolml/wasm 1 thread (its default)', get('cnn-epoch', 'smolml-wasm')?.median, '<=', CNN_EPOCH.maxSeconds, 's');
  check(11, 'examples/mnist-cnn epoch, @smolml/wasm 2 threads', get('cnn-epoch', 'smolml-wasm-t2')?.median, '<=', CNN_EPOCH.maxSeconds, 's');
  // issue 14: performance, round two (floors judged on medians, ratios within this run)
  check(14, '§1 W1 smolml (js) epochs/s, NeuralNetwork.train', get('w1-xor', 'smolml-js')?.median, '>=', 50_000, 'epochs/s');
  // the ratio a / b of a pair of PAIRS: its interleaved measurement when it ran, else the ratio of
  // medians; neither is judged against a reference-BLAS anchor (as in ratio())
  const pairRatio = (id: PairRow['id'], name: string): [string, number | undefined] => {
    const spec = PAIRS.find((x) => x.id === id);
    if (!spec) throw new Error(`report: no pair ${id} in PAIRS`);
    if (onReferenceBlas(get(spec.workload, spec.b))) return [name, undefined];
    const p = pairs.find((x) => x.id === id);
    return p ? [`${name} (interleaved, median of ${p.ratios.length} rounds)`, p.median] : [name, ratio(spec.workload, spec.a, spec.b)];
  };
  check(14, ...pairRatio('w1-brainjs', '§1 W1 smolml (js) / brain.js'), '>=', 0.5, 'x');
  check(14, ...pairRatio('w1-brainjs', '§1 goal: W1 smolml (js) / brain.js'), '>=', 1, 'x');
  check(14, ...pairRatio('w3-threads', '§2 W3 smolml wasm, 2 threads / 1 thread'), '>=', 1.6, 'x');
  check(14, ...pairRatio('w4-threads', '§2 W4 smolml wasm, 2 threads / 1 thread'), '>=', 1.7, 'x');
  check(14, ...pairRatio('w2-threads', '§2 W2 smolml wasm, 2 threads / 1 thread (not slower)'), '>=', 1, 'x');
  check(14, ...pairRatio('w4-tfjs-f32', '§3 W4 smolml wasm float32 / TF.js wasm (float32 GEMM)'), '>=', 1, 'x');
  const acc32 = get('w2-mnist-mlp', 'smolml-wasm-f32')?.extra.accuracy;
  const acc64 = get('w2-mnist-mlp', 'smolml-wasm')?.extra.accuracy;
  check(14, '§3 W2 test accuracy, float32 vs float64 (absolute difference, points)', acc32 !== undefined && acc64 !== undefined ? Math.abs(acc32 - acc64) * 100 : undefined, '<=', 0.5, 'points');
  check(14, '§4 W4 smolml wasm float64 GFLOP/s, 1 thread', get('w4-gemm', 'smolml-wasm')?.median, '>=', 20, 'GFLOP/s');
  check(14, ...pairRatio('w4-pytorch', '§4 W4 smolml wasm float64 / PyTorch float64, 1 thread'), '>=', 0.45, 'x');
  // the same two floors with the opt-in fused multiply-adds (float64, not the TypeScript kernels' bits)
  check(14, '§4 W4 smolml wasm float64 with fma: true, GFLOP/s, 1 thread', get('w4-gemm', 'smolml-wasm-fma')?.median, '>=', 20, 'GFLOP/s');
  check(14, ...pairRatio('w4-pytorch-fma', '§4 W4 smolml wasm float64 with fma: true / PyTorch float64, 1 thread'), '>=', 0.45, 'x');
  for (const p of pairs) {
    if (p.identical !== undefined) check(14, `§2 ${p.id}: 2 threads computed the same loss as 1 thread, bit for bit, in every round (1 = yes)`, p.identical ? 1 : 0, '>=', 1, '');
  }
  return out;
}
