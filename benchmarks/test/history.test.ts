/** results/history.jsonl: the floors of every full run, and issue 14's floors judged over the runs on the same code. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type HistoryEntry, acrossRuns, acrossSummary, appendHistory, codeHash, hashOfSources, historyEntry, isLibrarySource, readHistory, targetKey } from '../src/history.js';
import { acrossTable, renderMarkdown } from '../src/markdown.js';
import { summarize } from '../src/report.js';
import type { Target } from '../src/report.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'smolml-history-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const W3 = '§2 W3 smolml wasm, 2 threads / 1 thread';
const target = (name: string, value: number, goal = 1.6): Target => ({ issue: 14, name, value, goal, unit: 'x', cmp: '>=', met: value >= goal });
const entry = (code: string, w3: number, date = '2026-12-01T00:00:00.000Z'): HistoryEntry =>
  historyEntry([target(`${W3} (interleaved, median of 50 rounds)`, w3)], { date, commit: null, code, runs: 2 });

describe('targetKey', () => {
  it('drops the round count, which changes from run to run, and keeps the rest of the name', () => {
    expect(targetKey(`${W3} (interleaved, median of 82 rounds)`)).toBe(W3);
    expect(targetKey('§2 W2 smolml wasm, 2 threads / 1 thread (not slower) (interleaved, median of 50 rounds)')).toBe('§2 W2 smolml wasm, 2 threads / 1 thread (not slower)');
    expect(targetKey('§4 W4 smolml wasm float64 GFLOP/s, 1 thread')).toBe('§4 W4 smolml wasm float64 GFLOP/s, 1 thread');
  });
});

describe('the library-code hash', () => {
  const a = 'export function f(x: number): number {\n  return x + 1; // one more\n}\n';
  it('ignores comments and layout, but not code, nor which file holds it', () => {
    const base = hashOfSources([['packages/core/src/a.ts', a]]);
    expect(base).toMatch(/^[0-9a-f]{12}$/);
    expect(hashOfSources([['packages/core/src/a.ts', `/** f */\n${a.replace('// one more', '/* the next */')}`]])).toBe(base);
    expect(hashOfSources([['packages/core/src/a.ts', a.replace('\n  return', ' return')]])).toBe(base);
    expect(hashOfSources([['packages/core/src/a.ts', a.replace('x + 1', 'x + 2')]])).not.toBe(base);
    expect(hashOfSources([['packages/core/src/b.ts', a]])).not.toBe(base);
  });

  it('does not depend on the order of the files, and parses AssemblyScript decorators', () => {
    const as = '// @ts-ignore: decorator\n@inline\nexport function g(x: f64): f64 {\n  return x * 2;\n}\n';
    const files: [string, string][] = [['packages/core/src/a.ts', a], ['packages/wasm/assembly/g.ts', as]];
    expect(hashOfSources(files)).toBe(hashOfSources([...files].reverse()));
    expect(hashOfSources([files[0]!, ['packages/wasm/assembly/g.ts', as.replace('@inline\n', '')]])).not.toBe(hashOfSources(files));
  });

  it('reads strings, templates and regular expressions as code, not as comments', () => {
    const src = 'const u = `at ${host}/x // y`;\nconst r = /a\\/\\//g;\nconst d = n / 2 / 3;\n';
    const h = (text: string) => hashOfSources([['packages/core/src/a.ts', text]]);
    expect(h(src.replace('// y', '// z'))).not.toBe(h(src));
    expect(h(src.replace('/g;', '/i;'))).not.toBe(h(src));
    expect(h(src.replace('/ 3', '/ 4'))).not.toBe(h(src));
    expect(h(`${src}// a comment\n/* another */\n`)).toBe(h(src));
  });

  it('counts library sources only', () => {
    expect(isLibrarySource('packages/core/src/mlarray.ts')).toBe(true);
    expect(isLibrarySource('packages/wasm/src/kernels.generated.ts')).toBe(true);
    expect(isLibrarySource('packages/wasm/assembly/gemm.ts')).toBe(true);
    expect(isLibrarySource('packages/core/test/mlarray.test.ts')).toBe(false);
    expect(isLibrarySource('packages/core/README.md')).toBe(false);
    expect(isLibrarySource('packages/core/src/README.md')).toBe(false);
    expect(isLibrarySource('benchmarks/src/main.ts')).toBe(false);
  });

  it('hashes a working tree: its library sources, not its tests, builds or dependencies', () => {
    const root = tempDir();
    const write = (path: string, text: string) => {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    write('packages/core/src/a.ts', a);
    const base = codeHash(root);
    expect(base).toBe(hashOfSources([['packages/core/src/a.ts', a]]));
    write('packages/core/test/a.test.ts', 'it("x", () => {});\n');
    write('packages/core/dist/a.js', 'export {};\n');
    write('packages/core/node_modules/x/src/y.ts', 'export {};\n');
    expect(codeHash(root)).toBe(base);
    write('packages/core/src/b.ts', 'export const b = 1;\n');
    expect(codeHash(root)).not.toBe(base);
  });

  it('refuses a tree without library sources (a wrong root)', () => {
    const root = tempDir();
    mkdirSync(join(root, 'packages'));
    expect(() => codeHash(root)).toThrow(/no library sources/);
  });
});

describe('history.jsonl', () => {
  it('appends one line per run and reads them back, oldest first', () => {
    const path = join(tempDir(), 'history.jsonl');
    expect(readHistory(path)).toEqual([]);
    appendHistory(path, entry('aaa', 1.5));
    appendHistory(path, entry('bbb', 1.7));
    expect(readHistory(path).map((e) => [e.code, e.targets[0]!.value, e.targets[0]!.key])).toEqual([['aaa', 1.5, W3], ['bbb', 1.7, W3]]);
  });

  it('names the line it cannot read', () => {
    const path = join(tempDir(), 'history.jsonl');
    writeFileSync(path, `${JSON.stringify(entry('aaa', 1.5))}\n{oops\n`);
    expect(() => readHistory(path)).toThrow(/line 2 is not JSON/);
  });

  it('names a line that is JSON but not a run', () => {
    const path = join(tempDir(), 'history.jsonl');
    for (const bad of ['{}', '[]', 'null', '{"date":"d","code":"c","targets":[{"key":"k"}]}']) {
      writeFileSync(path, `${JSON.stringify(entry('aaa', 1.5))}\n${bad}\n`);
      expect(() => readHistory(path)).toThrow(/line 2 is not a run's entry/);
    }
  });
});

describe('acrossRuns', () => {
  const history = [entry('old', 1.9), entry('new', 1.5), entry('new', 1.7), entry('old', 1.0)];

  it('judges a floor on the median of the runs on the same code, this one included', () => {
    const [row] = acrossRuns(history, entry('new', 1.65), 14);
    expect(row).toMatchObject({ key: W3, value: 1.65, sameCode: [1.5, 1.7, 1.65], all: [1.9, 1.5, 1.7, 1.0, 1.65], met: true });
    expect(acrossRuns(history, entry('new', 1.1), 14)[0]).toMatchObject({ sameCode: [1.5, 1.7, 1.1], met: false });
  });

  it('has only this run on new code, and leaves out other issues when asked', () => {
    expect(acrossRuns(history, entry('fresh', 1.62), 14)[0]).toMatchObject({ sameCode: [1.62], met: true });
    expect(acrossRuns(history, entry('new', 1.62), 11)).toEqual([]);
  });

  it('does not count this run twice when the history already holds it', () => {
    const current = entry('new', 1.8);
    expect(acrossRuns([...history, current], current, 14)[0]!.sameCode).toEqual([1.5, 1.7, 1.8]);
  });
});

describe('the across-runs section of latest.md', () => {
  const meta = { date: '2026-12-01T10:00:00.000Z', machine: { cores: 2, runs: 2 }, seconds: 1, skipped: [] };
  const across = acrossSummary(
    [entry('d00d', 1.2, '2026-11-30T14:17:00.000Z'), entry('c0ffee', 1.5), entry('d00d', 1.3), entry('c0ffee', 1.7)],
    entry('c0ffee', 1.55),
    14,
  );

  it('counts the runs on this code and in all, this one included, from the oldest date', () => {
    expect(across).toMatchObject({ code: 'c0ffee', runsOnCode: 3, runs: 5, since: '2026-11-30T14:17:00.000Z' });
  });

  it('lists the runs on this code, their median and the verdict', () => {
    const text = acrossTable(across).join('\n');
    expect(text).toContain('## Floors of issue 14 across full runs');
    expect(text).toContain('(5 since 2026-11-30, this one included); 3 of them measured this library code (`c0ffee`');
    expect(text).toContain(`| ${W3} | >= 1.60x | 1.50, 1.70, 1.55 | 1.55x | **no** | 1.50x (5) |`);
  });

  it('is part of latest.md after a full run only', () => {
    const s = summarize([]);
    expect(renderMarkdown(s, { ...meta, across })).toContain('## Floors of issue 14 across full runs');
    expect(renderMarkdown(s, meta)).not.toContain('across full runs');
  });
});
