/** Floors against PyTorch are judged only when PyTorch runs on an optimized BLAS (report.ts, onReferenceBlas). */
import { describe, expect, it } from 'vitest';
import { renderReadmeSpeed } from '../src/readme.js';
import { onReferenceBlas, summarize } from '../src/report.js';
import type { CaseResult } from '../src/workloads.js';

const GFLOP = (2 * 512 ** 3 * 5) / 1e9; // W4: 5 products of 512 x 512 per repetition

/** W4 results: smolml wasm at `own` GFLOP/s and PyTorch at `torch` GFLOP/s on the given BLAS. */
function w4(own: number, torch: number, blas: string): CaseResult[] {
  const reps = (gflops: number) => [{ seconds: GFLOP / gflops }, { seconds: GFLOP / gflops }];
  return [
    { workload: 'w4-gemm', impl: 'smolml-wasm', info: { backend: 'wasm-simd' }, reps: reps(own) },
    { workload: 'w4-gemm', impl: 'pytorch', info: { backend: 'torch', blas }, reps: reps(torch) },
  ];
}

const meta = { date: '2026-12-02T10:00:00.000Z', machine: { cores: 2, runs: 1 }, seconds: 1, skipped: [] };
const ratioRow = '§4 W4 smolml wasm float64 / PyTorch float64, 1 thread';

describe('ratios to PyTorch and its BLAS', () => {
  it('tells the reference BLAS from OpenBLAS by what anchors.py reports', () => {
    expect(onReferenceBlas({ info: { blas: 'reference BLAS (/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0)' } })).toBe(true);
    expect(onReferenceBlas({ info: { blas: 'OpenBLAS (/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3)' } })).toBe(false);
    expect(onReferenceBlas({ info: {} })).toBe(false);
    expect(onReferenceBlas(undefined)).toBe(false);
  });

  it('judges the §4 ratio against PyTorch on OpenBLAS', () => {
    const { targets } = summarize(w4(23, 50, 'OpenBLAS (/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3)'));
    const row = targets.find((t) => t.name === ratioRow);
    expect(row?.value).toBeCloseTo(0.46, 12);
    expect(row?.met).toBe(true);
  });

  it('leaves it unjudged against PyTorch on the reference BLAS, which any kernel beats', () => {
    const s = summarize(w4(23, 6.4, 'reference BLAS (/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0)'));
    expect(s.targets.some((t) => t.name.includes('/ PyTorch'))).toBe(false);
    expect(s.targets.find((t) => t.name === '§4 W4 smolml wasm float64 GFLOP/s, 1 thread')?.value).toBeCloseTo(23, 12);
    // the interleaved pair against PyTorch is left unjudged too
    const pair: CaseResult = { workload: 'pairs', impl: 'smolml-wasm', info: {}, pairs: [{ id: 'w4-pytorch', ratios: [3.5, 3.6, 3.4], warmupRounds: 1 }] };
    const withPair = summarize([...w4(23, 6.4, 'reference BLAS (/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0)'), pair]);
    expect(withPair.targets.some((t) => t.name.includes('/ PyTorch'))).toBe(false);
    const onOpenBlas = summarize([...w4(23, 50, 'OpenBLAS (/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3)'), pair]);
    expect(onOpenBlas.targets.find((t) => t.name.startsWith(`${ratioRow} (interleaved`))?.value).toBe(3.5);
    const readme = renderReadmeSpeed(s, meta);
    expect(readme).toContain('PyTorch GEMM (on the reference BLAS) 6.40 GFLOP/s');
  });
});
