/**
 * The optional PyTorch anchor of W5: the same network, data and order on PyTorch with one
 * thread (torch/w5.py), run by /usr/bin/python3 (or $SMOLML_BENCH_PYTHON) when it has torch.
 * Nothing else needs Python: without it the anchor is skipped with a note.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { head, loadMnist } from './data.js';
import { CNN, type CaseResult, WORKLOADS } from './workloads.js';

const script = fileURLToPath(new URL('../torch/w5.py', import.meta.url));

/** W5 on PyTorch as a case result, or the reason it could not run. */
export async function pytorchAnchor(): Promise<CaseResult | string> {
  const python = process.env.SMOLML_BENCH_PYTHON ?? '/usr/bin/python3';
  try {
    execFileSync(python, ['-c', 'import torch, numpy'], { stdio: 'ignore' });
  } catch {
    return `${python} with torch and numpy not found (set SMOLML_BENCH_PYTHON to another interpreter)`;
  }
  const { train, test } = await loadMnist();
  const d = head(train, CNN.train);
  const labels = new Uint8Array(d.rows + test.rows);
  labels.set(d.labels);
  labels.set(test.labels, d.rows);
  const dir = mkdtempSync(join(tmpdir(), 'smolml-bench-'));
  try {
    const file = join(dir, 'w5.bin');
    writeFileSync(file, Buffer.concat([Buffer.from(Float32Array.from(d.x).buffer), Buffer.from(Float32Array.from(test.x).buffer), Buffer.from(labels.buffer)]));
    const reps = WORKLOADS.find((w) => w.id === 'w5-cnn')!.reps;
    const out = execFileSync(python, [script, file, String(d.rows), String(test.rows), String(reps)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as { version: string; reps: { seconds: number; accuracy: number; loss: number }[] };
    return {
      workload: 'w5-cnn',
      impl: 'pytorch',
      info: { dtype: 'float32', threads: 1, version: r.version, api: 'nn.Sequential + torch.optim.Adam' },
      reps: r.reps.map((p) => ({ seconds: p.seconds, extra: { accuracy: p.accuracy, loss: p.loss, samples: CNN.train } })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
