/** Renders a Summary as benchmarks/results/latest.md: headline tables, ratios, targets, every case. */
import { type Row, type Summary, type Target, TWO_CORES, median } from './report.js';
import { BRAIN_VERSION } from './brainjs.js';
import type { AcrossSummary } from './history.js';
import { CNN_EPOCH, GEMM_PER_REP, IMPLS, type Impl, MNIST_BATCH, PAIRS, WORKLOADS, type WorkloadId, type Warmup, XOR_WARMUP } from './workloads.js';

export interface Meta {
  date: string;
  machine: Record<string, string | number>;
  seconds: number;
  /** anchors left out, and why */
  skipped: string[];
  /** issue 14's floors over the full runs recorded in results/history.jsonl, this one included (full runs only) */
  across?: AcrossSummary | undefined;
}

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a < 5e-4) return '0.000';
  return a >= 1000 ? Math.round(x).toLocaleString('en-US') : a >= 10 ? x.toFixed(1) : a >= 1 ? x.toFixed(2) : x.toFixed(3);
}

/** What follows a target's number: `x` for a ratio, ` GFLOP/s` and the like, or nothing. */
function unitSuffix(unit: string): string {
  return unit === 'x' ? 'x' : unit ? ` ${unit}` : '';
}

/** `untimed repetitions for at least 1 s and 20 repetitions, at most 3 s` */
function warmupText(w: Warmup): string {
  return `untimed repetitions for at least ${w.seconds} s and ${w.reps} repetitions, at most ${w.maxSeconds} s`;
}

/** smolml's own 1-thread float64 paths: what is compared with the peers (all 1 thread). */
const SMOLML_1T: Impl[] = ['smolml-js', 'smolml-wasm'];
const TF_ALL: Impl[] = ['tfjs-cpu', 'tfjs-cpu-loop', 'tfjs-wasm', 'tfjs-wasm-loop'];

/** One workload's rows of a Summary, by implementation. */
export function rowsOf(s: Summary, w: WorkloadId): Map<Impl, Row> {
  return new Map(s.rows.filter((r) => r.workload === w).map((r) => [r.impl, r]));
}

export function renderMarkdown(s: Summary, meta: Meta): string {
  const byWorkload = (w: WorkloadId) => rowsOf(s, w);
  const cell = (m: Map<Impl, Row>, i: Impl) => (m.get(i) ? fmt(m.get(i)!.median) : '—');
  const ratio = (a: Row | undefined, b: Row | undefined) => (a && b ? `${fmt(a.median / b.median)}x` : '—');
  const best = (m: Map<Impl, Row>, impls: Impl[]) =>
    impls.map((i) => m.get(i)).filter((r): r is Row => r !== undefined).sort((a, b) => b.median - a.median)[0];
  const mc = meta.machine;
  const lines: string[] = [];
  lines.push(`# smolml benchmarks vs TF.js 4.22, brain.js ${BRAIN_VERSION} and PyTorch`, '');
  lines.push(`${meta.date} — ${mc.cpu}, ${mc.cores} cores, Node ${mc.node} — load average (1, 5, 15 min) ${mc.loadBefore} before, ` +
    `${mc.loadAfter} after — ${mc.runs} run${mc.runs === 1 ? '' : 's'} — total ${fmt(meta.seconds)} s`, '');
  const warmed = WORKLOADS.filter((w) => w.warmup !== undefined).map((w) => `${w.id.split('-')[0]!.toUpperCase()}: ${warmupText(w.warmup!)}, the same for every implementation`);
  lines.push(`Medians of the timed repetitions (1 warm-up repetition per process${warmed.length > 0 ? `; ${warmed.join('; ')}` : ''}` +
    `${mc.runs !== 1 ? `; every case ran in ${mc.runs} rounds, round-robin, and its repetitions are pooled` : ''}), every case in its own process; higher is better. ` +
    'smolml computes in float64 unless marked float32; TF.js and brain.js compute in float32. ' +
    'Ratios are taken within this run. TF.js runs two ways: `model.fit` (fit) and its fastest path, a hand-written loop of ' +
    'tf ops with `optimizer.minimize` (loop); the ratios use the faster of the two.', '');

  lines.push('| workload | metric | smolml js | smolml wasm | TF.js cpu fit | TF.js cpu loop | TF.js wasm fit | TF.js wasm loop | js / fastest TF cpu | wasm / fastest TF wasm |');
  lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const w of WORKLOADS) {
    if (w.id === 'memory' || w.id === 'cnn-epoch') continue; // memory and seconds per epoch have their own sections
    const m = byWorkload(w.id);
    if (m.size === 0) continue;
    const cols: Impl[] = ['smolml-js', 'smolml-wasm', ...TF_ALL];
    lines.push(`| ${w.title} | ${m.values().next().value!.unit} | ${cols.map((i) => cell(m, i)).join(' | ')} | ` +
      `${ratio(m.get('smolml-js'), best(m, ['tfjs-cpu', 'tfjs-cpu-loop']))} | ${ratio(m.get('smolml-wasm'), best(m, ['tfjs-wasm', 'tfjs-wasm-loop']))} |`);
    for (const k of ['accuracy', 'GFLOP/s']) {
      if (![...m.values()].some((r) => r.extra[k] !== undefined)) continue;
      const c = (i: Impl) => (m.get(i)?.extra[k] !== undefined ? fmt(m.get(i)!.extra[k]!) : '—');
      lines.push(`| ↳ | ${k === 'accuracy' ? 'test accuracy' : k} | ${cols.map(c).join(' | ')} | | |`);
    }
  }
  lines.push('');

  lines.push('## smolml wasm: threads, float32 and fma (same run)', '');
  lines.push('| workload | metric | 1 thread | 2 threads | 2 threads / 1 | float32 | float32 / float64 | float32, 2 threads | fma | fma / float64 | W2 test accuracy float64 / float32 |');
  lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const w of WORKLOADS) {
    const m = byWorkload(w.id);
    if (!m.get('smolml-wasm') || w.id === 'cnn-epoch') continue;
    const acc = (i: Impl) => (m.get(i)?.extra.accuracy !== undefined ? fmt(m.get(i)!.extra.accuracy!) : '—');
    lines.push(`| ${w.title} | ${m.get('smolml-wasm')!.unit} | ${cell(m, 'smolml-wasm')} | ${cell(m, 'smolml-wasm-t2')} | ` +
      `${ratio(m.get('smolml-wasm-t2'), m.get('smolml-wasm'))} | ${cell(m, 'smolml-wasm-f32')} | ${ratio(m.get('smolml-wasm-f32'), m.get('smolml-wasm'))} | ` +
      `${cell(m, 'smolml-wasm-f32-t2')} | ${cell(m, 'smolml-wasm-fma')} | ${ratio(m.get('smolml-wasm-fma'), m.get('smolml-wasm'))} | ${w.id === 'w2-mnist-mlp' ? `${acc('smolml-wasm')} / ${acc('smolml-wasm-f32')}` : ''} |`);
  }
  lines.push('');

  if (s.pairs.length > 0) {
    lines.push('## Ratios from interleaved repetitions', '');
    lines.push('The speed of this machine drifts by up to 1.5x within minutes, so a ratio of two medians measured minutes apart, ' +
      'in separate processes, moves with it. Here each side is prepared once in its own serving process, and each round asks both for a repetition ' +
      '(W1: a block of 10), in alternating order; each round gives one ratio, and the floors of issue 14 use the median of these. ' +
      'The W2 and W3 thread pairs train the same seeded model on both sides, so their losses must match bit for bit.', '');
    if (s.pairs.some((p) => p.host)) {
      lines.push('Two threads can only be as fast as the machine lets two processes be. After each round of a thread pair, two ' +
        'one-thread W4 processes run a repetition at once, and each runs one alone (one before, one after): "machine" is the sum of ' +
        'their speeds at once over the mean speed alone, about 2 when each process has a core, about 1 when the two virtual CPUs share one physical core ' +
        '(one round\'s number is a gauge: it exceeds 2 when the machine\'s speed changed between the repetitions). ' +
        `The last column is the pair's median over the rounds in which the machine gave at least ${fmt(TWO_CORES)}x.`, '');
    }
    lines.push('| workload | a / b | rounds | median | min | max | same loss, bit for bit | machine (median) | median where machine ≥ ' +
      `${fmt(TWO_CORES)}x (rounds) |`, '| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |');
    for (const p of s.pairs) {
      const spec = PAIRS.find((x) => x.id === p.id)!;
      const title = WORKLOADS.find((w) => w.id === spec.workload)!.title;
      const same = p.identical === undefined ? '' : p.identical ? 'yes' : '**no**';
      const h = p.host;
      const host = !h ? ' | ' : `${fmt(h.median)}x | ${h.twoCoreMedian === undefined ? '—' : `${fmt(h.twoCoreMedian)}x`} (${h.twoCoreRounds})`;
      lines.push(`| ${title} | ${IMPLS[spec.a].label} / ${IMPLS[spec.b].label} | ${p.ratios.length} | ${fmt(p.median)}x | ${fmt(p.min)}x | ${fmt(p.max)}x | ${same} | ${host} |`);
    }
    lines.push('');
  }

  lines.push('## Against each peer, one thread each', '');
  lines.push('smolml\'s faster one-thread float64 path (js or wasm) against each peer\'s fastest path in this run.', '');
  lines.push('| workload | peer | peer | smolml (1 thread, float64) | smolml / peer |');
  lines.push('| --- | --- | ---: | ---: | ---: |');
  const peers: [WorkloadId, Impl[]][] = [
    ['w1-xor', TF_ALL], ['w1-xor', ['brainjs']], ['w2-mnist-mlp', TF_ALL], ['w3-wide-mlp', TF_ALL],
    ['w4-gemm', TF_ALL], ['w4-gemm', ['pytorch']], ['w4-gemm', ['numpy']], ['w5-cnn', TF_ALL], ['w5-cnn', ['pytorch']],
  ];
  for (const [id, impls] of peers) {
    const m = byWorkload(id);
    const peer = best(m, impls);
    const own = best(m, SMOLML_1T);
    if (!peer || !own) continue;
    const blas = peer.info.blas !== undefined ? `, BLAS: ${String(peer.info.blas)}` : '';
    lines.push(`| ${id} | ${IMPLS[peer.impl].label}${blas} | ${fmt(peer.median)} ${peer.unit} | ${fmt(own.median)} (${IMPLS[own.impl].label}) | ${ratio(own, peer)} |`);
  }
  const f32 = byWorkload('w4-gemm');
  if (f32.get('smolml-wasm-f32')) {
    for (const peer of ['tfjs-wasm', 'pytorch-f32'] as Impl[]) {
      if (f32.get(peer)) lines.push(`| w4-gemm float32 | ${IMPLS[peer].label} | ${cell(f32, peer)} GFLOP/s | ${cell(f32, 'smolml-wasm-f32')} (smolml wasm float32) | ${ratio(f32.get('smolml-wasm-f32'), f32.get(peer))} |`);
    }
  }
  const w5 = byWorkload('w5-cnn');
  const w5Torch = w5.get('pytorch-f32');
  const w5Own = best(w5, SMOLML_1T);
  if (w5Torch && w5Own) {
    lines.push(`| w5-cnn (PyTorch in its default float32) | ${IMPLS['pytorch-f32'].label} | ${fmt(w5Torch.median)} samples/s | ${fmt(w5Own.median)} (${IMPLS[w5Own.impl].label}, float64) | ${ratio(w5Own, w5Torch)} |`);
  }
  lines.push('');
  if (w5.get('pytorch') || w5Torch) {
    lines.push('W5 PyTorch rows: `torch.nn` layers with PyTorch\'s default initialisation, `CrossEntropyLoss` on logits, ' +
      '`torch.optim.Adam`, one thread, trained on the same digits as the JS cases (written to a temporary file for Python); ' +
      `test accuracy ${(['pytorch', 'pytorch-f32'] as Impl[]).filter((i) => w5.get(i)?.extra.accuracy !== undefined)
        .map((i) => `${fmt(w5.get(i)!.extra.accuracy!)} (${IMPLS[i].precision})`).join(', ')}.`, '');
  }
  for (const note of meta.skipped) lines.push(`- Not run: ${note}.`);
  if (meta.skipped.length > 0) lines.push('');

  if (s.memory.length > 0) {
    lines.push('## Memory (W1 training steps; heapUsed + arrayBuffers after a full GC)', '');
    lines.push('| impl | after 100 steps (MB) | after 10,000 (MB) | growth (MB) | after 20,000 (MB) | growth 10,000 → 20,000 (MB) | live tensors (TF.js) | how |');
    lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const m of s.memory) {
      const t = m.tensorsEarly !== undefined ? `${m.tensorsEarly} → ${m.tensorsLate}` : '—';
      lines.push(`| ${IMPLS[m.impl].label} | ${fmt(m.earlyMB)} | ${fmt(m.lateMB)} | ${fmt(m.growthMB)} | ${fmt(m.plateauMB)} | ${fmt(m.plateauGrowthMB)} | ${t} | ${String(m.info.api ?? '')} |`);
    }
    lines.push('', 'A small rise from 100 to 10,000 steps can be warm-up (JIT code, inline caches); a leak would keep growing from 10,000 to 20,000.', '');
  }

  const targetTable = (title: string, rows: Target[]) => {
    if (rows.length === 0) return;
    lines.push(title, '', '| target | measured | goal | met |', '| --- | ---: | ---: | :---: |');
    for (const t of rows) {
      const unit = unitSuffix(t.unit);
      lines.push(`| ${t.name} | ${fmt(t.value)}${unit} | ${t.cmp} ${fmt(t.goal)}${unit} | ${t.met ? 'yes' : '**no**'} |`);
    }
    lines.push('');
  };
  const epochs = byWorkload('cnn-epoch');
  if (epochs.size > 0) {
    lines.push('## examples/mnist-cnn: seconds per training epoch on @smolml/wasm', '');
    lines.push(`The example's network and settings (\`buildExampleCnn\` in src/smolml-cnn.ts, a copy of examples/mnist-cnn/src/cnn.ts), ` +
      `one shuffled epoch of all ${CNN_EPOCH.train.toLocaleString('en-US')} training digits (the example trains on 7,200 and validates on 800), ` +
      `float64; ${CNN_EPOCH.warmUpBatches} untimed warm-up batches, then one timed epoch (a single repetition: lower is better).`, '');
    lines.push('| threads | s/epoch | samples/s |', '| ---: | ---: | ---: |');
    for (const r of epochs.values()) lines.push(`| ${IMPLS[r.impl].threads} | ${fmt(r.median)} | ${fmt(r.extra['samples/s'] ?? Number.NaN)} |`);
    lines.push('');
  }
  targetTable('## Floors of issue 11 (W5 CNN, examples/mnist-cnn epoch)', s.targets.filter((t) => t.issue === 11));
  targetTable('## Floors of issue 14 (performance, round two)', s.targets.filter((t) => t.issue === 14));
  if (meta.across) lines.push(...acrossTable(meta.across));
  targetTable('## Targets of issue 6', s.targets.filter((t) => t.issue === 6));

  lines.push('## Cases', '', '| workload | impl | reps | median | min | max | details |', '| --- | --- | ---: | ---: | ---: | ---: | --- |');
  for (const r of s.rows) {
    const details = Object.entries(r.info).map(([k, v]) => `${k}: ${String(v)}`).join(', ');
    lines.push(`| ${r.workload} | ${IMPLS[r.impl].label} | ${r.reps} | ${fmt(r.median)} | ${fmt(r.min)} | ${fmt(r.max)} | ${details} |`);
  }
  lines.push('', `W1: brain.js trains its own 2-16-1 sigmoid network with per-sample SGD (its defaults) for the same 1000 epochs of the 4 samples. ` +
    `A 1000-epoch repetition of the fast implementations lasts only milliseconds, and each takes 10-20 of them to reach its steady speed (JIT tier-up), ` +
    `so every W1 case first runs ${warmupText(XOR_WARMUP)} (how many: warmupReps in the details), and the medians measure steady-state training. ` +
    `W2: ${MNIST_BATCH}-sample batches, each repetition a fresh model; accuracy on the 2,000 held-out digits. ` +
    `W3: GFLOP/s = 6 x weights x samples / time. W4: GFLOP/s = 2 n^3 / time, ${GEMM_PER_REP} products per repetition (smolml wasm: operands from the backend's allocate(), in its WebAssembly memory as TF.js's tensors are in its heap; each result a new array); ` +
    'PyTorch and numpy are optional anchors (Python, one thread), left out where not installed.', '');
  return lines.join('\n');
}

/** The section of issue 14's floors over repeated full runs (results/history.jsonl). */
export function acrossTable(a: AcrossSummary): string[] {
  const lines = [
    '## Floors of issue 14 across full runs',
    '',
    `Issue 14 asks for each floor to be judged on the median of repeated runs. \`results/history.jsonl\` keeps the floors of every full run ` +
      `(${a.runs} since ${a.since.slice(0, 10)}, this one included); ${a.runsOnCode} of them measured this library code ` +
      `(\`${a.code}\`, a hash of \`packages/*/src\` and \`packages/wasm/assembly\`), oldest first in the table. ` +
      'The verdict is on their median; the last column is every run, whatever code it measured.',
    '',
    '| floor | goal | runs on this code | median | met | all runs: median (runs) |',
    '| --- | ---: | --- | ---: | :---: | ---: |',
  ];
  for (const r of a.rows) {
    const unit = unitSuffix(r.unit);
    lines.push(`| ${r.key} | ${r.cmp} ${fmt(r.goal)}${unit} | ${r.sameCode.map(fmt).join(', ')} | ${fmt(median(r.sameCode))}${unit} | ` +
      `${r.met ? 'yes' : '**no**'} | ${fmt(median(r.all))}${unit} (${r.all.length}) |`);
  }
  lines.push('');
  return lines;
}
