#!/usr/bin/env node
// `pnpm pack:local [folder]`: until the first release is on the npm registry, this is how to use
// smolml in another project. Builds nothing itself (run after `pnpm build`; the root script
// does both), packs every published @smolml/* package as `pnpm publish` would into `folder`
// (default ./tarballs), and prints the `npm install` line that installs them by path.
/* global process, console */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { packAll } from './pack-packages.mjs';

const dest = resolve(process.env.INIT_CWD ?? process.cwd(), process.argv[2] ?? 'tarballs');
const work = mkdtempSync(join(tmpdir(), 'smolml-pack-'));
try {
  mkdirSync(dest, { recursive: true });
  const lines = [];
  for (const [name, tarball] of packAll(work)) {
    const target = join(dest, basename(tarball));
    copyFileSync(tarball, target);
    lines.push({ name, target });
  }
  console.log(`packed ${lines.length} packages into ${dest}:`);
  for (const { name, target } of lines) console.log(`  ${name.padEnd(16)} ${basename(target)}`);
  console.log('\nIn your project, install the ones you need by path, for example everything:');
  console.log(`  npm install ${lines.map(({ target }) => target).join(' ')}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
