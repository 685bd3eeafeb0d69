/**
 * `pnpm bench`: every workload on smolml and TF.js, each case in its own child process,
 * then a markdown table and JSON in benchmarks/results/ (latest.md, latest.json).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { pytorchAnchor } from './pytorch.js';
import { renderMarkdown, summarize } from './report.js';
import { type CaseResult, RESULT_MARK, WORKLOADS } from './workloads.js';

const caseScript = fileURLToPath(new URL('./case.js', import.meta.url));
const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));

/** Optional filter: `pnpm bench w2` runs only the workloads whose id contains "w2". */
const only = process.argv.slice(2);

function runCase(workload: string, impl: string): CaseResult {
  const out = execFileSync(process.execPath, ['--expose-gc', caseScript, workload, impl], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 2 ** 20,
  });
  const line = out.split('\n').find((l) => l.startsWith(RESULT_MARK));
  if (!line) throw new Error(`${workload} ${impl}: no result in output:\n${out}`);
  return JSON.parse(line.slice(RESULT_MARK.length)) as CaseResult;
}

const started = performance.now();
const results: CaseResult[] = [];
for (const w of WORKLOADS) {
  if (only.length > 0 && !only.some((o) => w.id.includes(o))) continue;
  for (const impl of w.impls) {
    const t0 = performance.now();
    process.stderr.write(`bench: ${w.id} on ${impl} ... `);
    results.push(runCase(w.id, impl));
    process.stderr.write(`${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
}
if (only.length === 0 || only.some((o) => 'w5-cnn'.includes(o))) {
  process.stderr.write('bench: w5-cnn on PyTorch (optional anchor) ... ');
  const anchor = await pytorchAnchor();
  if (typeof anchor === 'string') process.stderr.write(`skipped: ${anchor}\n`);
  else {
    results.push(anchor);
    process.stderr.write('done\n');
  }
}
const seconds = (performance.now() - started) / 1000;
const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, platform: `${process.platform}-${process.arch}` };
const summary = summarize(results);
const date = new Date().toISOString();
const md = renderMarkdown(summary, { date, machine, seconds });
if (only.length === 0) {
  // a filtered run only prints: latest.* always describe a full run
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(`${resultsDir}latest.json`, `${JSON.stringify({ date, machine, seconds, summary, results }, null, 2)}\n`);
  writeFileSync(`${resultsDir}latest.md`, md);
}
process.stdout.write(md);
