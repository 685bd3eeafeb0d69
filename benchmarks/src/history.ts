/**
 * The floors of every full `pnpm bench` run, kept in benchmarks/results/history.jsonl (one JSON
 * object per line, oldest first), so a floor can be judged on the median of repeated runs, as
 * issue 14 asks, and not on whichever run happens to be the latest.
 *
 * Each entry names the library code it measured by a hash of the library's sources (`codeHash`),
 * taken without their comments and layout: runs with the same hash measured the same code,
 * whatever else (comments, the bench, the docs) changed.
 * scripts/history-from-git.mjs rebuilt the entries of the runs committed before this file existed
 * from the git history of latest.json, with the same hash computed from git's trees.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { type Target, median, meets } from './report.js';

/** One target of one run, under a name that does not change from run to run (see `targetKey`). */
export interface HistoryTarget {
  issue: number;
  key: string;
  value: number;
  goal: number;
  cmp: Target['cmp'];
  unit: string;
}

export interface HistoryEntry {
  /** when the run ended (ISO) */
  date: string;
  /** the commit checked out when the run started (null when git was not available) */
  commit: string | null;
  /** `codeHash` of the library sources the run measured */
  code: string;
  /** rounds of the run (`--runs`) */
  runs: number;
  targets: HistoryTarget[];
}

/** A target's name without the parts that change from run to run: "(interleaved, median of 82 rounds)" and the like. */
export function targetKey(name: string): string {
  return name.replace(/ \(interleaved, median of \d+ rounds\)/, '');
}

/** The targets of a run as a history entry. */
export function historyEntry(targets: readonly Target[], meta: { date: string; commit: string | null; code: string; runs: number }): HistoryEntry {
  return {
    ...meta,
    targets: targets.map((t) => ({ issue: t.issue, key: targetKey(t.name), value: t.value, goal: t.goal, cmp: t.cmp, unit: t.unit })),
  };
}

/**
 * Whether `path` (relative to the repository root, with `/`) is library source: what a user
 * installs and runs. Tests, benchmarks, examples and docs are not.
 */
export function isLibrarySource(path: string): boolean {
  return (/^packages\/[^/]+\/src\//.test(path) || path.startsWith('packages/wasm/assembly/')) && /\.(ts|mts|js|mjs)$/.test(path);
}

/** Tokens after which a `/` divides; after any other it starts a regular expression. */
const ENDS_EXPRESSION = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.Identifier, ts.SyntaxKind.NumericLiteral, ts.SyntaxKind.BigIntLiteral, ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.RegularExpressionLiteral, ts.SyntaxKind.NoSubstitutionTemplateLiteral, ts.SyntaxKind.TemplateTail,
  ts.SyntaxKind.CloseParenToken, ts.SyntaxKind.CloseBracketToken, ts.SyntaxKind.PlusPlusToken, ts.SyntaxKind.MinusMinusToken,
  ts.SyntaxKind.ThisKeyword, ts.SyntaxKind.SuperKeyword, ts.SyntaxKind.NullKeyword, ts.SyntaxKind.TrueKeyword, ts.SyntaxKind.FalseKeyword,
]);

/**
 * A source file's tokens without its comments and layout (TypeScript's scanner; AssemblyScript
 * is TypeScript syntax), so changing a comment or a line break does not change the code's hash
 * and changing any token does. Template literals and regular expressions are scanned as the
 * parser does (a `//` inside them is not a comment).
 */
export function withoutComments(text: string): string {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  const out: string[] = [];
  const templates: number[] = []; // the brace depth at which each open template's `${` was scanned
  let depth = 0;
  let prev: ts.SyntaxKind | undefined;
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if ((kind === ts.SyntaxKind.SlashToken || kind === ts.SyntaxKind.SlashEqualsToken) && (prev === undefined || !ENDS_EXPRESSION.has(prev))) {
      kind = scanner.reScanSlashToken();
    } else if (kind === ts.SyntaxKind.OpenBraceToken) {
      depth++;
    } else if (kind === ts.SyntaxKind.CloseBraceToken) {
      if (templates.at(-1) === depth) {
        kind = scanner.reScanTemplateToken(false);
        if (kind === ts.SyntaxKind.TemplateTail) templates.pop();
      } else depth--;
    }
    if (kind === ts.SyntaxKind.TemplateHead) templates.push(depth);
    out.push(scanner.getTokenText());
    prev = kind;
  }
  return out.join(' ');
}

/** The hash of a set of source files given as [path, text]: 12 hex digits, independent of their order and of their comments. */
export function hashOfSources(files: readonly (readonly [string, string])[]): string {
  const lines = [...files]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, text]) => `${path} ${createHash('sha256').update(withoutComments(text)).digest('hex')}\n`);
  return createHash('sha256').update(lines.join('')).digest('hex').slice(0, 12);
}

/** `hashOfSources` of the library sources in the working tree at `root`. */
export function codeHash(root: string): string {
  const files: [string, string][] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel))) {
      const path = `${rel}/${name}`;
      if (name === 'node_modules' || name === 'dist') continue;
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (isLibrarySource(path)) files.push([path, readFileSync(join(root, path), 'utf8')]);
    }
  };
  walk('packages');
  if (files.length === 0) throw new Error(`codeHash: no library sources under ${join(root, 'packages')}`);
  return hashOfSources(files);
}

export function readHistory(path: string): HistoryEntry[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      let entry: unknown;
      try {
        entry = JSON.parse(line);
      } catch (error) {
        throw new Error(`${path}: line ${i + 1} is not JSON (${String(error)})`);
      }
      if (!isHistoryEntry(entry)) {
        throw new Error(`${path}: line ${i + 1} is not a run's entry (it needs a date, a code, and targets each with a key and a number)`);
      }
      return entry;
    });
}

function isHistoryEntry(x: unknown): x is HistoryEntry {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Partial<HistoryEntry>;
  return typeof e.date === 'string' && typeof e.code === 'string' && Array.isArray(e.targets) &&
    e.targets.every((t: unknown) => typeof t === 'object' && t !== null && typeof (t as HistoryTarget).key === 'string' && typeof (t as HistoryTarget).value === 'number');
}

export function appendHistory(path: string, entry: HistoryEntry): void {
  appendFileSync(path, `${JSON.stringify(entry)}\n`);
}

/** One target of the current run over the runs of the history. */
export interface AcrossRuns {
  issue: number;
  key: string;
  goal: number;
  cmp: Target['cmp'];
  unit: string;
  /** this run's value */
  value: number;
  /** the values of the runs on the same code, oldest first (this run last) */
  sameCode: number[];
  /** the values of every run that has this target, oldest first */
  all: number[];
  /** whether the median of `sameCode` meets the goal */
  met: boolean;
}

/**
 * Each target of `current` (the last entry of `history` when it is there) over the runs of
 * `history`: the values on the same code, their median and whether it meets the goal.
 */
export function acrossRuns(history: readonly HistoryEntry[], current: HistoryEntry, issue?: number): AcrossRuns[] {
  const runs = history.includes(current) ? history : [...history, current];
  return current.targets
    .filter((t) => issue === undefined || t.issue === issue)
    .map((t) => {
      const valuesOf = (entries: readonly HistoryEntry[]) =>
        entries.flatMap((e) => e.targets.filter((x) => x.key === t.key && Number.isFinite(x.value)).map((x) => x.value));
      const sameCode = valuesOf(runs.filter((e) => e.code === current.code));
      return { issue: t.issue, key: t.key, goal: t.goal, cmp: t.cmp, unit: t.unit, value: t.value, sameCode, all: valuesOf(runs), met: meets(median(sameCode), t.cmp, t.goal) };
    });
}

/** A target table over the runs of the history, and what it was taken over (latest.md's "across full runs" section). */
export interface AcrossSummary {
  rows: AcrossRuns[];
  /** the library code of this run */
  code: string;
  /** runs on that code, this one included */
  runsOnCode: number;
  /** every run, this one included */
  runs: number;
  /** the date of the oldest run */
  since: string;
}

/** `acrossRuns` of `current` (a run not yet in `history`), with the counts the section states. */
export function acrossSummary(history: readonly HistoryEntry[], current: HistoryEntry, issue: number): AcrossSummary {
  return {
    rows: acrossRuns(history, current, issue),
    code: current.code,
    runsOnCode: history.filter((e) => e.code === current.code).length + 1,
    runs: history.length + 1,
    since: history[0]?.date ?? current.date,
  };
}
