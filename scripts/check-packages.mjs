#!/usr/bin/env node
// Checks what we would publish: packs every @smolml/* package (as `pnpm publish` does), then
// on each tarball runs publint (strict: warnings fail) and @arethetypeswrong/cli (ESM-only
// profile: types must resolve for `node16` ESM and bundlers), and checks the package.json
// fields and README that users see on the registry. Needs `pnpm build` first.
// Usage: node scripts/check-packages.mjs [@smolml/name ...]
/* global process, console */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { packAll, publishedPackages, root } from './pack-packages.mjs';

const only = process.argv.slice(2);
const packages = publishedPackages().filter((p) => only.length === 0 || only.includes(p.name));
if (packages.length === 0) {
  console.error(`check-packages: no package matches ${only.join(' ')}`);
  process.exit(1);
}

/** The Node versions smolml supports (README: "Node 20.19+"); every published package declares the same. */
const rootEngines = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node;

/** Metadata every published package needs, read from the packed package.json and README. */
function metadataProblems(pkg, readme) {
  const problems = [];
  const short = pkg.name.split('/')[1];
  if (pkg.license !== 'MIT') problems.push(`license must be "MIT", got ${JSON.stringify(pkg.license)}`);
  if (!Array.isArray(pkg.files) || pkg.files.length === 0) problems.push('"files" must list what is published');
  if (!pkg.repository?.url || pkg.repository?.directory !== `packages/${short}`) {
    problems.push(`"repository" needs a url and directory "packages/${short}"`);
  }
  if (!Array.isArray(pkg.keywords) || pkg.keywords.length === 0) problems.push('"keywords" must not be empty');
  if (!pkg.description) problems.push('"description" is empty');
  if (pkg.type !== 'module') problems.push('"type" must be "module" (ESM only)');
  if (pkg.sideEffects !== false) problems.push('"sideEffects" must be false');
  if (pkg.engines?.node !== rootEngines) {
    problems.push(`"engines.node" must be ${JSON.stringify(rootEngines)} as in the root package.json (the Node the docs promise), got ${JSON.stringify(pkg.engines?.node)}`);
  }
  for (const [dep, range] of Object.entries(pkg.dependencies ?? {})) {
    if (String(range).startsWith('workspace:')) problems.push(`dependency ${dep} still has the range ${range} after packing`);
  }
  if (readme === null) problems.push('README.md is not in the tarball');
  else {
    if (!new RegExp(`(npm install|npm i|pnpm add|yarn add) [^\\n]*${pkg.name.replace('/', '\\/')}`).test(readme)) {
      problems.push(`README.md has no install line (e.g. \`npm install ${pkg.name}\`)`);
    }
    if (!/^```(ts|typescript|js|javascript)\b/m.test(readme)) problems.push('README.md has no ```ts example');
  }
  return problems;
}

function readFromTarball(tarball, file) {
  try {
    return execFileSync('tar', ['-xzOf', tarball, `package/${file}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

const dest = mkdtempSync(join(tmpdir(), 'smolml-check-packages-'));
let failed = 0;
try {
  const tarballs = packAll(dest, packages);
  const attw = join(root, 'node_modules', '.bin', 'attw');
  for (const { name } of packages) {
    const tarball = tarballs.get(name);
    const problems = [];

    const data = readFileSync(tarball);
    const { messages, pkg } = await publint({
      pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) },
      level: 'suggestion',
      strict: true,
    });
    for (const m of messages) problems.push(`publint ${m.type}: ${formatMessage(m, pkg, { color: false }) ?? m.code}`);

    const r = spawnSync(attw, [tarball, '--profile', 'esm-only', '--format', 'ascii', '--no-color', '--no-emoji'], { encoding: 'utf8' });
    if (r.status !== 0) problems.push(`attw (esm-only) failed:\n${r.stdout}${r.stderr}`);

    problems.push(...metadataProblems(pkg, readFromTarball(tarball, 'README.md')));

    if (problems.length === 0) {
      console.log(`check-packages: ${name}@${pkg.version} ok (publint strict, attw esm-only, metadata, README)`);
    } else {
      failed++;
      console.error(`check-packages: ${name}@${pkg.version}: ${problems.length} problem(s)`);
      for (const p of problems) console.error(`  - ${p}`);
    }
  }
} finally {
  rmSync(dest, { recursive: true, force: true });
}

if (failed > 0) {
  console.error(`check-packages: ${failed} of ${packages.length} packages have problems`);
  process.exit(1);
}
console.log(`check-packages: all ${packages.length} packages pass`);
