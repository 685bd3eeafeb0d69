/**
 * The numbers of the root README's "Speed" section, rendered from the same Summary as latest.md:
 * `pnpm bench` rewrites the lines between the markers after a full run, and test/readme.test.ts
 * checks that they are what results/latest.json gives, so the README never shows an older run
 * than the results it links to.
 */
import { type Meta, fmt, rowsOf } from './markdown.js';
import { type PairRow, type Row, type Summary, onReferenceBlas } from './report.js';
import { CNN_EPOCH, type Impl, WORKLOADS, type WorkloadId } from './workloads.js';

export const README_BEGIN = '<!-- bench:begin (written by `pnpm bench` from benchmarks/results/latest.json; edit benchmarks/src/readme.ts) -->';
export const README_END = '<!-- bench:end -->';

const x = (v: number | undefined) => (v === undefined ? '—' : `${fmt(v)}x`);

/** The generated lines of the README's Speed section (without the markers). */
export function renderReadmeSpeed(s: Summary, meta: Meta): string {
  const rows = (w: WorkloadId) => rowsOf(s, w);
  const ratio = (a: Row | undefined, b: Row | undefined) => (a && b ? a.median / b.median : undefined);
  const value = (r: Row | undefined) => (r ? fmt(r.median) : '—');
  const pair = (id: string): PairRow | undefined => s.pairs.find((p) => p.id === id);
  /** The faster of a TF.js backend's two paths, marked `(fit)` or `(loop)` when both ran. */
  const fastest = (m: Map<Impl, Row>, fit: Impl, loop: Impl): { row: Row | undefined; text: string } => {
    const [a, b] = [m.get(fit), m.get(loop)];
    const row = a && b ? (b.median > a.median ? b : a) : (a ?? b);
    return { row, text: row ? `${fmt(row.median)}${a && b ? (row === b ? ' (loop)' : ' (fit)') : ''}` : '—' };
  };
  /** "1.59x on W3", and what the machine gave in those rounds when the pair measured it */
  const threads = (w: string, p: PairRow) => {
    const h = p.host;
    const host = !h ? '' : ` (the machine itself ${x(h.median)}${h.twoCoreMedian === undefined ? '' : `; ${x(h.twoCoreMedian)} in the ${h.twoCoreRounds} round${h.twoCoreRounds === 1 ? '' : 's'} it gave two cores`})`;
    return `${x(p.median)} on ${w.toUpperCase()}${host}`;
  };
  const runs = Number(meta.machine.runs ?? 1);
  const out: string[] = [];
  out.push(`Latest run (${meta.date.slice(0, 10)}, ${meta.machine.cores} cores, ${runs === 1 ? 'one round' : `${runs} rounds pooled`}; medians; higher is better;`,
    "ratios against each peer's fastest path in the same run):", '');

  out.push('| workload | metric | smolml js | smolml wasm | TF.js cpu (fastest) | TF.js wasm (fastest) | js / TF cpu | wasm / TF wasm |');
  out.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const w of WORKLOADS) {
    if (w.id === 'memory' || w.id === 'cnn-epoch' || w.id === 'pairs') continue;
    const m = rows(w.id);
    const own = [m.get('smolml-js'), m.get('smolml-wasm')];
    if (!own[0] && !own[1]) continue;
    const cpu = fastest(m, 'tfjs-cpu', 'tfjs-cpu-loop');
    const wasm = fastest(m, 'tfjs-wasm', 'tfjs-wasm-loop');
    const title = w.id === 'w5-cnn' ? `${w.title} ¹` : w.title;
    out.push(`| ${title} | ${(own[0] ?? own[1])!.unit} | ${value(own[0])} | ${value(own[1])} | ${cpu.text} | ${wasm.text} | ` +
      `${x(ratio(own[0], cpu.row))} | ${x(ratio(own[1], wasm.row))} |`);
    const brain = m.get('brainjs');
    if (brain) out.push(`| ↳ brain.js, its own 2-16-1 sigmoid net | ${brain.unit} | | | | | ${fmt(brain.median)} (brain.js) | smolml js ${x(ratio(own[0], brain))} |`);
    const acc = (r: Row | undefined) => (r?.extra.accuracy !== undefined ? fmt(r.extra.accuracy) : '—');
    if (own.some((r) => r?.extra.accuracy !== undefined)) out.push(`| ↳ | test accuracy | ${acc(own[0])} | ${acc(own[1])} | ${acc(cpu.row)} | ${acc(wasm.row)} | | |`);
  }
  const warmed = WORKLOADS.filter((w) => w.warmup !== undefined);
  out.push('', `${warmed.map((w) => w.id.split('-')[0]!.toUpperCase()).join(' and ')} warm up for at least ${Math.min(...warmed.map((w) => w.warmup!.seconds))} s in every ` +
    'implementation before they are timed.', '`@smolml/wasm` options, same run:', '');

  out.push('| workload | 1 thread | 2 threads | float32 | float32, 2 threads | fma: true |', '| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const id of ['w2-mnist-mlp', 'w3-wide-mlp', 'w4-gemm'] as const) {
    const m = rows(id);
    const one = m.get('smolml-wasm');
    if (!one) continue;
    const accOf = (r: Row | undefined) => (r?.extra.accuracy !== undefined ? ` (${fmt(r.extra.accuracy)})` : '');
    const with2 = (r: Row | undefined) => (r ? `${fmt(r.median)} (${x(ratio(r, one))})` : '—');
    const f32 = m.get('smolml-wasm-f32');
    const tf = m.get('tfjs-wasm');
    const f32Text = !f32 ? '—' : id === 'w2-mnist-mlp' ? `${fmt(f32.median)}${accOf(f32)}` : id === 'w4-gemm' && tf ? `${fmt(f32.median)} (TF.js wasm float32: ${fmt(tf.median)})` : with2(f32);
    const label = `${id.split('-')[0]!.toUpperCase()} ${one.unit}${id === 'w2-mnist-mlp' ? ' (test accuracy)' : ''}`;
    out.push(`| ${label} | ${fmt(one.median)}${accOf(one)} | ${with2(m.get('smolml-wasm-t2'))} | ${f32Text} | ${value(m.get('smolml-wasm-f32-t2'))} | ${with2(m.get('smolml-wasm-fma'))} |`);
  }
  const epoch = rows('cnn-epoch');
  if (epoch.size > 0) out.push(`| examples/mnist-cnn, seconds per epoch of ${CNN_EPOCH.train.toLocaleString('en-US')} digits | ${value(epoch.get('smolml-wasm'))} | ${value(epoch.get('smolml-wasm-t2'))} | — | — | — |`);
  out.push('');

  // a ratio to PyTorch on the reference BLAS says nothing (report.ts, onReferenceBlas)
  const torchOnReference = onReferenceBlas(rows('w4-gemm').get('pytorch'));
  const phrases = [
    pair('w1-brainjs') && `smolml js / brain.js on W1 ${x(pair('w1-brainjs')!.median)}`,
    ['w2', 'w3', 'w4'].some((w) => pair(`${w}-threads`)) &&
      `2 threads / 1 thread ${['w2', 'w3', 'w4'].filter((w) => pair(`${w}-threads`)).map((w) => threads(w, pair(`${w}-threads`)!)).join(', ')}`,
    pair('w4-tfjs-f32') && `wasm float32 / TF.js wasm float32 on W4 ${x(pair('w4-tfjs-f32')!.median)}`,
    !torchOnReference && pair('w4-pytorch') && `wasm float64 / PyTorch float64 on W4 ${x(pair('w4-pytorch')!.median)}`,
    !torchOnReference && pair('w4-pytorch-fma') && `wasm float64 with fma / PyTorch float64 on W4 ${x(pair('w4-pytorch-fma')!.median)}`,
  ].filter((p): p is string => typeof p === 'string');
  if (phrases.length > 0) out.push(`Interleaved ratios (median of the rounds), same run: ${phrases.join('; ')}.`, '');

  const w4 = rows('w4-gemm');
  const w5 = rows('w5-cnn');
  const [torch, torch32, numpy] = [w4.get('pytorch'), w4.get('pytorch-f32'), w4.get('numpy')];
  if (torch || numpy) {
    const gemm = [torch && `PyTorch GEMM${torchOnReference ? ' (on the reference BLAS)' : ''} ${fmt(torch.median)} GFLOP/s in float64${torch32 ? ` and ${fmt(torch32.median)} in float32` : ''}`, numpy && `numpy/OpenBLAS ${fmt(numpy.median)} in float64`];
    const [t5, t5f] = [w5.get('pytorch'), w5.get('pytorch-f32')];
    const own5 = w5.get('smolml-wasm');
    const cnn = own5 && t5 && t5f ? ` On W5, PyTorch trains ${fmt(t5.median)} samples/s in float64 and ${fmt(t5f.median)} in float32: smolml wasm is ${x(ratio(own5, t5))} and ${x(ratio(own5, t5f))} of those.` : '';
    out.push(`One-thread anchors in that run: ${gemm.filter(Boolean).join(', ')}.${cnn}`, '');
  }

  const mem = s.memory.find((r) => r.impl === 'smolml-js');
  if (mem) {
    const signed = (v: number) => `${v >= 0 ? '+' : ''}${fmt(v)}`;
    out.push(`Memory stays flat without any \`dispose()\`: ${signed(mem.growthMB)} MB from 100 to 10,000 training steps, then ` +
      `${signed(mem.plateauGrowthMB)} MB up to 20,000 (the graph of each step is released by \`backward()\`).`);
  }
  return out.join('\n');
}

/** `readme` with the lines between the markers replaced by `block`; throws when the markers are missing. */
export function withSpeedSection(readme: string, block: string): string {
  const begin = readme.indexOf(README_BEGIN);
  const end = readme.indexOf(README_END);
  if (begin < 0 || end < begin) throw new Error(`README.md: the markers ${README_BEGIN} and ${README_END} are missing or out of order`);
  return `${readme.slice(0, begin + README_BEGIN.length)}\n${block}\n${readme.slice(end)}`;
}
