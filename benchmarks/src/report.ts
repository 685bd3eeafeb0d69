/** Turns raw case results into medians, ratios against TF.js, target checks and markdown. */
import { CNN, type CaseResult, GEMM_N, GEMM_PER_REP, type Impl, MNIST_BATCH, WIDE, WORKLOADS, type WorkloadId, XOR_EPOCHS, weightCount } from './workloads.js';

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

export interface Target {
  name: string;
  value: number;
  goal: number;
  unit: string;
  met: boolean;
}

export interface Summary {
  rows: Row[];
  memory: MemoryRow[];
  targets: Target[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
};

/** The headline metric of one repetition that took `seconds`. */
function metricOf(workload: WorkloadId, seconds: number, extra: Record<string, number> = {}): { unit: string; value: number; extra: Record<string, number> } {
  switch (workload) {
    case 'w1-xor': return { unit: 'epochs/s', value: XOR_EPOCHS / seconds, extra: {} };
    case 'w2-mnist-mlp': return { unit: 'samples/s', value: 8000 / seconds, extra: {} };
    case 'w3-wide-mlp': {
      const samples = WIDE.batch * WIDE.steps;
      return { unit: 'samples/s', value: samples / seconds, extra: { 'GFLOP/s': (6 * weightCount(WIDE.sizes) * samples) / seconds / 1e9 } };
    }
    case 'w4-gemm': return { unit: 'GFLOP/s', value: (GEMM_PER_REP * 2 * GEMM_N ** 3) / seconds / 1e9, extra: {} };
    case 'w5-cnn': return { unit: 'samples/s', value: (extra.samples ?? CNN.train) / seconds, extra: {} };
    case 'memory': return { unit: 'MB', value: 0, extra: {} };
  }
}

export function summarize(results: CaseResult[]): Summary {
  const rows: Row[] = [];
  const memory: MemoryRow[] = [];
  for (const r of results) {
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
  return { rows, memory, targets: targets(rows, memory) };
}

function targets(rows: Row[], memory: MemoryRow[]): Target[] {
  const get = (w: WorkloadId, impl: Impl) => rows.find((r) => r.workload === w && r.impl === impl);
  const out: Target[] = [];
  const ratio = (name: string, w: WorkloadId, a: Impl, b: Impl, goal: number) => {
    const x = get(w, a);
    const y = get(w, b);
    if (x && y) out.push({ name, value: x.median / y.median, goal, unit: 'x', met: x.median / y.median >= goal });
  };
  const atLeast = (name: string, value: number | undefined, goal: number, unit: string) => {
    if (value !== undefined && Number.isFinite(value)) out.push({ name, value, goal, unit, met: value >= goal });
  };
  ratio('W1 smolml (js) / TF.js cpu', 'w1-xor', 'smolml-js', 'tfjs-cpu', 10);
  ratio('W2 smolml (js) / TF.js cpu', 'w2-mnist-mlp', 'smolml-js', 'tfjs-cpu', 3);
  ratio('W2 smolml (wasm) / TF.js wasm', 'w2-mnist-mlp', 'smolml-wasm', 'tfjs-wasm', 1.5);
  atLeast('W2 smolml (js) test accuracy', get('w2-mnist-mlp', 'smolml-js')?.extra.accuracy, 0.88, '');
  atLeast('W2 smolml (wasm) test accuracy', get('w2-mnist-mlp', 'smolml-wasm')?.extra.accuracy, 0.88, '');
  ratio('W3 smolml (wasm) / TF.js wasm', 'w3-wide-mlp', 'smolml-wasm', 'tfjs-wasm', 2);
  atLeast('W4 smolml (js) float64 GFLOP/s', get('w4-gemm', 'smolml-js')?.median, 3, 'GFLOP/s');
  const js = get('w4-gemm', 'smolml-js');
  const wasm = get('w4-gemm', 'smolml-wasm');
  if (js && wasm) atLeast('W4 smolml wasm / smolml js (float64)', wasm.median / js.median, 2, 'x');
  ratio('W5 smolml (js) / TF.js cpu', 'w5-cnn', 'smolml-js', 'tfjs-cpu', 3);
  ratio('W5 smolml (wasm) / TF.js wasm', 'w5-cnn', 'smolml-wasm', 'tfjs-wasm', 1.5);
  const tfAcc = get('w5-cnn', 'tfjs-wasm')?.extra.accuracy;
  for (const impl of ['smolml-js', 'smolml-wasm'] as const) {
    const acc = get('w5-cnn', impl)?.extra.accuracy;
    if (acc !== undefined && tfAcc !== undefined) atLeast(`W5 ${LABEL[impl]} test accuracy - TF.js wasm's (points)`, 100 * (acc - tfAcc), -1, 'points');
  }
  const mem = memory.find((m) => m.impl === 'smolml-js');
  if (mem) out.push({ name: 'Memory: smolml growth 100 -> 10,000 steps (< 1 MB)', value: mem.growthMB, goal: 1, unit: 'MB', met: mem.growthMB < 1 });
  return out;
}

const IMPLS: Impl[] = ['smolml-js', 'smolml-wasm', 'tfjs-cpu', 'tfjs-wasm'];
const LABEL: Record<Impl, string> = { 'smolml-js': 'smolml js', 'smolml-wasm': 'smolml wasm', 'tfjs-cpu': 'TF.js cpu', 'tfjs-wasm': 'TF.js wasm', pytorch: 'PyTorch (1 thread)' };

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a < 5e-4) return '0.000';
  return a >= 1000 ? Math.round(x).toLocaleString('en-US') : a >= 10 ? x.toFixed(1) : a >= 1 ? x.toFixed(2) : x.toFixed(3);
}

export function renderMarkdown(s: Summary, meta: { date: string; machine: Record<string, string | number>; seconds: number }): string {
  const lines: string[] = [];
  lines.push('# smolml benchmarks vs TF.js 4.22', '');
  lines.push(`${meta.date} — ${meta.machine.cpu}, ${meta.machine.cores} cores, Node ${meta.machine.node} — total ${fmt(meta.seconds)} s`, '');
  lines.push('Medians of the timed repetitions (1 warm-up each), every case in its own process; higher is better. ' +
    'smolml computes in float64, TF.js in float32. Ratios are smolml / TF.js on the same run.', '');
  lines.push('| workload | metric | smolml js | smolml wasm | TF.js cpu | TF.js wasm | js / TF cpu | wasm / TF wasm |');
  lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const w of WORKLOADS) {
    if (w.id === 'memory') continue;
    const byImpl = new Map(s.rows.filter((r) => r.workload === w.id).map((r) => [r.impl, r]));
    if (byImpl.size === 0) continue;
    const cell = (i: Impl) => (byImpl.get(i) ? fmt(byImpl.get(i)!.median) : '—');
    const ratio = (a: Impl, b: Impl) => (byImpl.get(a) && byImpl.get(b) ? `${fmt(byImpl.get(a)!.median / byImpl.get(b)!.median)}x` : '—');
    lines.push(`| ${w.title} | ${byImpl.values().next().value!.unit} | ${IMPLS.map(cell).join(' | ')} | ${ratio('smolml-js', 'tfjs-cpu')} | ${ratio('smolml-wasm', 'tfjs-wasm')} |`);
    const extras = new Set([...byImpl.values()].flatMap((r) => Object.keys(r.extra)).filter((k) => k === 'accuracy' || k === 'GFLOP/s'));
    for (const k of extras) {
      const c = (i: Impl) => (byImpl.get(i)?.extra[k] !== undefined ? fmt(byImpl.get(i)!.extra[k]!) : '—');
      lines.push(`| ↳ | ${k === 'accuracy' ? 'test accuracy' : k} | ${IMPLS.map(c).join(' | ')} | | |`);
    }
  }
  lines.push('');
  const torch = s.rows.find((r) => r.workload === 'w5-cnn' && r.impl === 'pytorch');
  if (torch) {
    const vs = (i: Impl) => {
      const r = s.rows.find((x) => x.workload === 'w5-cnn' && x.impl === i);
      return r ? `${LABEL[i]} ${fmt(r.median / torch.median)}x` : '';
    };
    lines.push(`W5 anchor: PyTorch ${String(torch.info.version)} on 1 thread (float32) trains ${fmt(torch.median)} samples/s, test accuracy ${fmt(torch.extra.accuracy ?? NaN)}; ` +
      `relative to it: ${[vs('smolml-js'), vs('smolml-wasm'), vs('tfjs-wasm')].filter(Boolean).join(', ')}.`, '');
  }
  if (s.memory.length > 0) {
    lines.push('## Memory (W1 training steps; heapUsed + arrayBuffers after a full GC)', '');
    lines.push('| impl | after 100 steps (MB) | after 10,000 (MB) | growth (MB) | after 20,000 (MB) | growth 10,000 → 20,000 (MB) | live tensors (TF.js) | how |');
    lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const m of s.memory) {
      const t = m.tensorsEarly !== undefined ? `${m.tensorsEarly} → ${m.tensorsLate}` : '—';
      lines.push(
        `| ${LABEL[m.impl]} | ${fmt(m.earlyMB)} | ${fmt(m.lateMB)} | ${fmt(m.growthMB)} | ${fmt(m.plateauMB)} | ${fmt(m.plateauGrowthMB)} | ${t} | ${String(m.info.api ?? '')} |`,
      );
    }
    lines.push('', 'A small rise from 100 to 10,000 steps can be warm-up (JIT code, inline caches); a leak would keep growing from 10,000 to 20,000.', '');
  }
  lines.push('## Targets', '', '| target | measured | goal | met |', '| --- | ---: | ---: | :---: |');
  for (const t of s.targets) {
    const unit = t.unit === 'x' ? 'x' : t.unit ? ` ${t.unit}` : '';
    const goal = t.name.startsWith('Memory') ? `< ${t.goal}${unit}` : `>= ${t.goal}${unit}`;
    lines.push(`| ${t.name} | ${fmt(t.value)}${unit} | ${goal} | ${t.met ? 'yes' : '**no**'} |`);
  }
  lines.push('', '## Cases', '', '| workload | impl | reps | min | max | details |', '| --- | --- | ---: | ---: | ---: | --- |');
  for (const r of s.rows) {
    const details = Object.entries(r.info).map(([k, v]) => `${k}: ${String(v)}`).join(', ');
    lines.push(`| ${r.workload} | ${LABEL[r.impl]} | ${r.reps} | ${fmt(r.min)} | ${fmt(r.max)} | ${details} |`);
  }
  lines.push('', `W2: ${MNIST_BATCH}-sample batches, each repetition a fresh model; accuracy on the 2,000 held-out digits. ` +
    `W3: GFLOP/s = 6 x weights x samples / time. W4: GFLOP/s = 2 n^3 / time, ${GEMM_PER_REP} products per repetition. ` +
    `W5: each repetition a fresh model, no shuffling; TF.js cpu's convolution gradients run at a few MFLOP/s, so that case is timed on its first ${CNN.tfjsCpuSamples} digits ` +
    `(no accuracy); tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel, so the benchmark registers one built from that backend's own Conv2D and Transpose kernels ` +
    '(src/tfjs-cnn.ts, checked against a direct loop before timing).', '');
  return lines.join('\n');
}
