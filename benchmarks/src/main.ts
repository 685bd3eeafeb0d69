/**
 * `pnpm bench`: every workload on smolml, TF.js, brain.js (W1) and, when a Python with the
 * library is found, PyTorch and numpy/OpenBLAS (W4 and W5 anchors), each case in its own child
 * process, then a markdown table and JSON in benchmarks/results/ (latest.md, latest.json) and the
 * numbers of the root README's Speed section.
 */
import { type ExecFileSyncOptionsWithStringEncoding, execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, endianness, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { head, loadMnist } from './data.js';
import { type AcrossSummary, type HistoryEntry, acrossSummary, appendHistory, codeHash, historyEntry, readHistory } from './history.js';
import { renderMarkdown } from './markdown.js';
import { renderReadmeSpeed, withSpeedSection } from './readme.js';
import { onReferenceBlas, pooledPair, summarize } from './report.js';
import { CNN, type CaseResult, GEMM_N, GEMM_PER_REP, IMPLS, type Impl, RESULT_MARK, WORKLOADS, type Workload, nodeArgs } from './workloads.js';

const caseScript = fileURLToPath(new URL('./case.js', import.meta.url));
const anchorScript = fileURLToPath(new URL('../python/anchors.py', import.meta.url));
const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
const readmePath = fileURLToPath(new URL('../../README.md', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const historyPath = `${resultsDir}history.jsonl`;

/**
 * `pnpm bench w2` runs only the workloads whose id contains "w2" (and writes nothing);
 * `pnpm bench --runs=3` runs every case 3 times, round-robin (all cases once, then again), so
 * a change in the machine's load hits every case alike; medians are taken over all repetitions.
 */
const args = process.argv.slice(2);
const runsArg = args.find((a) => a.startsWith('--runs='));
const runs = runsArg ? Number(runsArg.slice('--runs='.length)) : 1;
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${runsArg}`);
const only = args.filter((a) => !a.startsWith('--'));

/** Interpreters for the optional Python anchors (CI has neither; their rows are then left out). */
const PYTHON = {
  torch: process.env.SMOLML_BENCH_TORCH_PYTHON ?? '/usr/bin/python3',
  numpy: process.env.SMOLML_BENCH_NUMPY_PYTHON ?? 'python3',
} as const;
const pythonHas = new Map<string, boolean>();
function hasModule(module: 'torch' | 'numpy'): boolean {
  if (!pythonHas.has(module)) pythonHas.set(module, spawnSync(PYTHON[module], ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0);
  return pythonHas.get(module)!;
}

function parse(out: string, what: string): CaseResult {
  const line = out.split('\n').find((l) => l.startsWith(RESULT_MARK));
  if (!line) throw new Error(`${what}: no result in output:\n${out}`);
  return JSON.parse(line.slice(RESULT_MARK.length)) as CaseResult;
}

/**
 * The W5 digits for the Python anchor, the JS cases' own (data.ts's split): the first CNN.train
 * training digits and the test digits, float64 little-endian (pixels, labels, pixels, labels),
 * in a temporary file removed when the bench ends.
 */
let digitsFile: { path: string; train: number; test: number } | undefined;
async function w5Digits(): Promise<{ path: string; train: number; test: number }> {
  if (digitsFile) return digitsFile;
  if (endianness() !== 'LE') throw new Error('bench: the W5 digits file for Python is written little-endian; this machine is big-endian');
  const { train, test } = await loadMnist();
  const t = head(train, CNN.train);
  const parts = [t.x, Float64Array.from(t.labels), test.x, Float64Array.from(test.labels)];
  const all = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const dir = mkdtempSync(join(tmpdir(), 'smolml-bench-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  digitsFile = { path: join(dir, 'w5-digits.f64'), train: t.rows, test: test.rows };
  writeFileSync(digitsFile.path, new Uint8Array(all.buffer));
  return digitsFile;
}

async function runCase(w: Workload, impl: Impl): Promise<CaseResult> {
  const spec = IMPLS[impl];
  const options: ExecFileSyncOptionsWithStringEncoding = { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 2 ** 20 };
  if (spec.family === 'python') {
    const digits = w.id === 'w5-cnn' ? await w5Digits() : undefined;
    const args = digits
      ? [anchorScript, w.id, impl, digits.path, String(digits.train), String(digits.test), String(CNN.batch), String(CNN.lr), String(w.reps)]
      : [anchorScript, w.id, impl, String(GEMM_N), String(GEMM_PER_REP), String(w.reps)];
    // the workload's warm-up rule applies to the Python anchors too (anchors.py reads it from the environment)
    const env = w.warmup ? { ...process.env, SMOLML_BENCH_WARMUP: `${w.warmup.seconds},${w.warmup.reps},${w.warmup.maxSeconds}` } : process.env;
    return parse(execFileSync(PYTHON[spec.module!], args, { ...options, env }), `${w.id} ${impl}`);
  }
  const env = w.id === 'pairs' ? { ...process.env, SMOLML_BENCH_PAIR_TORCH: hasModule('torch') ? PYTHON.torch : '' } : process.env;
  return parse(execFileSync(process.execPath, [...nodeArgs(impl), caseScript, w.id, impl], { ...options, env }), `${w.id} ${impl}`);
}

/** The commit checked out (null without git). */
function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}
/** What a full run measured, taken before it starts (an edit during the run does not change it); filtered runs keep no history. */
const provenance = only.length === 0 ? { commit: gitCommit(), code: codeHash(repoRoot) } : undefined;

const started = performance.now();
const loadBefore = loadavg();
const results: CaseResult[] = [];
const skipped: string[] = [];
for (let round = 1; round <= runs; round++) {
  for (const w of WORKLOADS) {
    if (only.length > 0 && !only.some((o) => w.id.includes(o))) continue;
    if (w.id === 'memory' && round > 1) continue; // a growth measurement, not a speed: once is enough
    for (const impl of w.impls) {
      const { family, module, label } = IMPLS[impl];
      if (family === 'python' && !hasModule(module!)) {
        if (round === 1) skipped.push(`${label}: no \`${module}\` in ${PYTHON[module!]}`);
        continue;
      }
      const t0 = performance.now();
      process.stderr.write(`bench${runs > 1 ? ` (run ${round}/${runs})` : ''}: ${w.id} on ${impl} ... `);
      const r = await runCase(w, impl);
      const same = results.find((x) => x.workload === r.workload && x.impl === r.impl);
      if (same?.pairs && r.pairs) {
        // pooled like repetitions: each pair's rounds from every run
        for (const p of r.pairs) {
          const q = same.pairs.findIndex((x) => x.id === p.id);
          if (q < 0) same.pairs.push(p);
          else same.pairs[q] = pooledPair(same.pairs[q]!, p);
        }
      } else if (same) same.reps = [...(same.reps ?? []), ...(r.reps ?? [])];
      else results.push(r);
      process.stderr.write(`${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    }
  }
}
const seconds = (performance.now() - started) / 1000;
const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, platform: `${process.platform}-${process.arch}`,
  loadBefore: load(loadBefore), loadAfter: load(loadavg()), runs,
};
const summary = summarize(results);
for (const row of summary.rows) {
  if (onReferenceBlas(row)) {
    skipped.push(`floors and aims against ${IMPLS[row.impl].label} on ${row.workload}: it ran on the reference BLAS (${String(row.info.blas)}), 5-8x slower than OpenBLAS, so they are not judged; install Debian's libopenblas0-pthread`);
  }
}
const date = new Date().toISOString();
// full runs only: this run's floors next to those of the runs before it (results/history.jsonl)
let entry: HistoryEntry | undefined;
let across: AcrossSummary | undefined;
if (provenance) {
  entry = historyEntry(summary.targets, { date, ...provenance, runs });
  across = acrossSummary(readHistory(historyPath), entry, 14);
}
const md = renderMarkdown(summary, { date, machine, seconds, skipped, across });
if (only.length === 0) {
  // a filtered run only prints: latest.* always describe a full run
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(`${resultsDir}latest.json`, `${JSON.stringify({ date, machine, seconds, skipped, summary, results }, null, 2)}\n`);
  writeFileSync(`${resultsDir}latest.md`, md);
  if (entry) appendHistory(historyPath, entry);
  // the README's Speed section shows this run too (test/readme.test.ts checks they agree)
  writeFileSync(readmePath, withSpeedSection(readFileSync(readmePath, 'utf8'), renderReadmeSpeed(summary, { date, machine, seconds, skipped })));
}
process.stdout.write(md);
