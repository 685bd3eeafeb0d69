#!/usr/bin/env node
// `pnpm release` without publishing: checks the pending changesets (`changeset status`: the
// files parse and every changed package has one), then runs what `changeset publish` runs for
// each package, `pnpm publish` (workspace ranges replaced, `files` packed), with --dry-run.
// Run per package (not `pnpm -r publish`, which skips versions already on the registry), so it
// keeps working after a release. One summary line per package; full output only on failure.
/* global process, console */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishedPackages, root } from './pack-packages.mjs';

function run(cmd, args, cwd = root, allowed = /^$/) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  // eslint-disable-next-line no-control-regex
  const output = `${r.stdout}${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
  if (r.status !== 0 && !allowed.test(output)) {
    console.error(output);
    console.error(`release-dry-run: \`${cmd} ${args.join(' ')}\` exited with ${r.status}`);
    process.exit(1);
  }
  return output;
}

// `changeset status` compares with the base branch; a checkout without it (detached CI clone)
// still gets the changeset files parsed, against HEAD.
const base = JSON.parse(readFileSync(join(root, '.changeset', 'config.json'), 'utf8')).baseBranch ?? 'main';
const hasBase = spawnSync('git', ['rev-parse', '--verify', '--quiet', base], { cwd: root }).status === 0;
if (!hasBase) console.log(`release-dry-run: no local branch ${base}; changeset status runs --since HEAD`);
const status = run('pnpm', ['exec', 'changeset', 'status', ...(hasBase ? [] : ['--since', 'HEAD'])]);
console.log(status.split('\n').filter((l) => /- @smolml\/|bumped at/.test(l)).map((l) => `changeset status: ${l.replace(/^\S*\s+(info\s+)?/, '')}`).join('\n'));

for (const { name, dir, pkg } of publishedPackages()) {
  const published = /cannot publish over the previously published version/;
  const out = run('pnpm', ['publish', '--dry-run', '--no-git-checks', '--access', 'public'], dir, published);
  if (published.test(out)) {
    // what `changeset publish` does too: a version already on the registry is skipped
    console.log(`release-dry-run: ${name}@${pkg.version} is already on the registry; bump it with a changeset to release`);
    continue;
  }
  const files = /total files:\s*(\d+)/.exec(out)?.[1];
  if (!out.includes(`+ ${name}@${pkg.version}`) || !files) {
    console.error(out);
    console.error(`release-dry-run: \`pnpm publish --dry-run\` did not pack ${name}@${pkg.version}`);
    process.exit(1);
  }
  console.log(`release-dry-run: would publish ${name}@${pkg.version} (${files} files)`);
}
