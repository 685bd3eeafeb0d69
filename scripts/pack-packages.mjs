// Packs the published @smolml/* packages exactly as `pnpm publish` would (workspace:^ ranges
// replaced by real versions, only `files` included) into one folder. Shared by
// scripts/check-packages.mjs (publint + attw) and tests/pack (install and run the tarballs).
/* global URL */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;

/** Every non-private package under packages/, sorted by name: { name, dir, pkg }. */
export function publishedPackages() {
  const dir = join(root, 'packages');
  return readdirSync(dir)
    .filter((d) => existsSync(join(dir, d, 'package.json')))
    .map((d) => ({ dir: join(dir, d), pkg: JSON.parse(readFileSync(join(dir, d, 'package.json'), 'utf8')) }))
    .filter(({ pkg }) => !pkg.private)
    .map(({ dir, pkg }) => ({ name: pkg.name, dir, pkg }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Runs `pnpm pack` for each package into `dest` and returns a Map name -> tarball path.
 * Throws when a package has not been built (its package.json entry points must exist).
 */
export function packAll(dest, packages = publishedPackages()) {
  mkdirSync(dest, { recursive: true });
  const tarballs = new Map();
  for (const { name, dir, pkg } of packages) {
    const entry = pkg.exports?.['.']?.import ?? pkg.main;
    if (entry && !existsSync(join(dir, entry))) {
      throw new Error(`${name}: ${entry} is missing; run \`pnpm build\` before packing`);
    }
    const out = join(dest, name.replace(/^@/, '').replace('/', '-'));
    mkdirSync(out, { recursive: true });
    execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    const files = readdirSync(out).filter((f) => f.endsWith('.tgz'));
    if (files.length !== 1) throw new Error(`${name}: expected one tarball in ${out}, found ${files.length}`);
    tarballs.set(name, join(out, files[0]));
  }
  return tarballs;
}
