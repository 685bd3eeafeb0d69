/** The thread pairs' machine probe: how its per-round numbers are summarized and shown. */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../src/markdown.js';
import { renderReadmeSpeed } from '../src/readme.js';
import { TWO_CORES, hostSummary, pooledPair, summarize } from '../src/report.js';
import type { CaseResult } from '../src/workloads.js';

const meta = { date: '2026-12-01T10:00:00.000Z', machine: { cores: 2, runs: 1 }, seconds: 1, skipped: [] };

describe('hostSummary', () => {
  it('takes the median of the machine, and of the ratios over the rounds with two cores', () => {
    const ratios = [1.9, 1.0, 1.85, 1.1, 1.7];
    const machine = [1.95, 1.05, 1.9, 1.2, TWO_CORES];
    expect(hostSummary(ratios, machine)).toEqual({ median: 1.8, twoCoreRounds: 3, twoCoreMedian: 1.85 });
  });

  it('has no two-core median when the machine never gave two cores', () => {
    expect(hostSummary([1.0, 1.1], [1.1, 1.3])).toEqual({ median: 1.2000000000000002, twoCoreRounds: 0, twoCoreMedian: undefined });
  });

  it('refuses rounds that do not line up', () => {
    expect(() => hostSummary([1, 2, 3], [2, 2])).toThrow(/3 ratios but 2 machine scalings/);
  });
});

describe('pooledPair (pnpm bench --runs=2)', () => {
  it('keeps each round of both runs, ratios and machine scalings in the same order', () => {
    const first = { id: 'w3-threads' as const, ratios: [1.5, 1.6], machine: [1.9, 1.95], identical: true, warmupRounds: 1 };
    const second = { id: 'w3-threads' as const, ratios: [1.2], machine: [1.1], identical: false, warmupRounds: 2 };
    const pooled = pooledPair(first, second);
    expect(pooled).toEqual({ id: 'w3-threads', ratios: [1.5, 1.6, 1.2], machine: [1.9, 1.95, 1.1], identical: false, warmupRounds: 3 });
    expect(hostSummary(pooled.ratios, pooled.machine!)).toEqual({ median: 1.9, twoCoreRounds: 2, twoCoreMedian: 1.55 });
  });

  it('pairs without a machine probe or a loss check stay without them', () => {
    expect(pooledPair({ id: 'w1-brainjs', ratios: [0.8], warmupRounds: 1 }, { id: 'w1-brainjs', ratios: [0.9], warmupRounds: 1 }))
      .toEqual({ id: 'w1-brainjs', ratios: [0.8, 0.9], warmupRounds: 2 });
  });
});

describe('the pair table and the README', () => {
  const results: CaseResult[] = [{
    workload: 'pairs', impl: 'smolml-js', reps: [], info: {},
    pairs: [
      { id: 'w3-threads', ratios: [1.5, 1.9, 1.0], machine: [1.6, 1.97, 1.02], identical: true, warmupRounds: 1 },
      { id: 'w1-brainjs', ratios: [0.8, 0.9, 0.85], warmupRounds: 1 },
    ],
  }];
  const summary = summarize(results);

  it('summarizes the probed pair only', () => {
    expect(summary.pairs.find((p) => p.id === 'w3-threads')!.host).toEqual({ median: 1.6, twoCoreRounds: 1, twoCoreMedian: 1.9 });
    expect(summary.pairs.find((p) => p.id === 'w1-brainjs')!.host).toBeUndefined();
  });

  it('shows the machine columns in latest.md', () => {
    const md = renderMarkdown(summary, meta);
    expect(md).toContain('| 3 | 1.50x | 1.00x | 1.90x | yes | 1.60x | 1.90x (1) |');
    expect(md).toContain('| 3 | 0.850x | 0.800x | 0.900x |  |  |  |');
  });

  it('says in the README what the machine gave', () => {
    expect(renderReadmeSpeed(summary, meta)).toContain('2 threads / 1 thread 1.50x on W3 (the machine itself 1.60x; 1.90x in the 1 round it gave two cores)');
  });
});
