/**
 * Rebuilds results/history.jsonl's entries for the full runs committed before the bench kept a
 * history: one entry per run (commit that changed results/latest.json with floor checks; a later
 * commit that only edited the same run's file replaces it), oldest first, with the library-code
 * hash computed from that commit's tree, the same way the bench computes it from the working tree
 * (src/history.ts). Its `commit` is the commit that recorded the results (the bench itself
 * records the commit checked out when the run started).
 *
 *   pnpm --filter @smolml/benchmarks build && node benchmarks/scripts/history-from-git.mjs > benchmarks/results/history.jsonl
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { hashOfSources, historyEntry, isLibrarySource } from '../dist/history.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });

const entries = new Map(); // by the run's date: one entry per run
for (const commit of git('log', '--reverse', '--format=%H', '--', 'benchmarks/results/latest.json').split('\n').filter(Boolean)) {
  let run;
  try {
    run = JSON.parse(git('show', `${commit}:benchmarks/results/latest.json`));
  } catch {
    continue; // deleted or not JSON at that commit
  }
  const targets = run?.summary?.targets;
  if (!Array.isArray(targets) || targets.length === 0) continue;
  const files = git('ls-tree', '-r', '--name-only', commit, '--', 'packages')
    .split('\n')
    .filter((path) => path !== '' && isLibrarySource(path))
    .map((path) => [path, git('show', `${commit}:${path}`)]);
  entries.set(run.date, historyEntry(targets, { date: run.date, commit, code: hashOfSources(files), runs: run.machine?.runs ?? 1 }));
}
for (const entry of entries.values()) process.stdout.write(`${JSON.stringify(entry)}\n`);
