// What users get from the registry: every published @smolml/* package is packed (as
// `pnpm publish` packs it), installed with plain npm into a fresh project outside the
// repository together with only the packages it depends on (npm runs --offline, so anything
// undeclared fails; registry dependencies such as protobufjs are packed from the copies pnpm
// installed, the versions the lockfile pins), and then
//   1. its smoke script (fixtures/<name>.mjs) runs in plain Node ESM, and
//   2. the same script is bundled by esbuild for the browser (platform "browser": a Node
//      built-in import fails the build; only @smolml code and the registry packages it
//      declares may be bundled) and run in a fresh V8 context that has only browser-like
//      globals (no process, require, Buffer).
// Needs `pnpm build` first. Run with `pnpm test:pack` from the repository root.
/* global URL, process, setTimeout, clearTimeout, queueMicrotask, performance, TextEncoder, TextDecoder, atob, btoa, structuredClone */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import vm from 'node:vm';
import { build } from 'esbuild';
import { packAll, publishedPackages } from '../../../scripts/pack-packages.mjs';
import { nodeOnlyTargets } from '../../../scripts/node-only.mjs';

const fixtures = new URL('../fixtures/', import.meta.url).pathname;
// SMOLML_PACK_ONLY=@smolml/core,@smolml/losses narrows a local run (their dependencies are packed too).
const only = process.env.SMOLML_PACK_ONLY?.split(',').filter(Boolean) ?? [];
const packages = publishedPackages();
const tested = only.length === 0 ? packages : packages.filter((p) => only.includes(p.name));
const work = mkdtempSync(join(tmpdir(), 'smolml-pack-tests-'));
/** @type {Map<string, string>} */
let tarballs = new Map();

before(() => {
  // the tested packages and every workspace package they depend on, transitively
  const needed = new Set();
  const want = (name) => {
    const p = packages.find((q) => q.name === name);
    if (p === undefined || needed.has(name)) return;
    needed.add(name);
    for (const d of Object.keys(p.pkg.dependencies ?? {})) want(d);
  };
  for (const p of tested) want(p.name);
  tarballs = packAll(join(work, 'tarballs'), packages.filter((p) => needed.has(p.name)));
});

after(() => {
  rmSync(work, { recursive: true, force: true });
});

/** Where Node would find `dep` from `fromDir` (pnpm links each package's dependencies next to it). */
function locate(dep, fromDir) {
  for (let d = fromDir; ; d = dirname(d)) {
    const candidate = join(d, 'node_modules', dep);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(d) === d) return undefined;
  }
}

/**
 * A registry dependency (e.g. @smolml/onnx's protobufjs) packed from the copy pnpm installed in
 * the workspace, the exact version the lockfile pins: npm installs offline, downloading nothing.
 */
function packInstalled(name, dir) {
  const out = join(work, 'tarballs', 'registry', name.replace('/', '+'));
  // npm pack refuses some folders inside pnpm's node_modules/.pnpm tree: pack a plain copy
  const copy = join(out, 'src');
  cpSync(dir, copy, { recursive: true, dereference: true });
  execFileSync('npm', ['pack', copy, '--pack-destination', out, '--ignore-scripts', '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const files = readdirSync(out).filter((f) => f.endsWith('.tgz'));
  assert.equal(files.length, 1, `npm pack ${name}: expected one tarball`);
  return join(out, files[0]);
}

/** The package and everything it depends on (transitively), read from the packed package.json files. */
function closure(name) {
  const seen = new Set();
  const visit = (n, fromDir) => {
    if (seen.has(n)) return;
    seen.add(n);
    let dir = packages.find((p) => p.name === n)?.dir;
    if (!tarballs.has(n)) {
      assert.ok(!n.startsWith('@smolml/'), `${name} depends on ${n}, which is not a package of this repository`);
      dir = locate(n, fromDir);
      assert.ok(dir, `${name} depends on ${n}, which is not installed in the workspace (run pnpm install)`);
      tarballs.set(n, packInstalled(n, dir));
    }
    const pkg = JSON.parse(execFileSync('tar', ['-xzOf', tarballs.get(n), 'package/package.json'], { encoding: 'utf8' }));
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, dir);
  };
  visit(name, packages.find((p) => p.name === name).dir);
  return [...seen].sort();
}

function freshProject(name, deps) {
  const dir = join(work, name.replace(/^@/, '').replace('/', '-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'smolml-consumer', private: true, type: 'module' }));
  execFileSync(
    'npm',
    ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', '--cache', join(work, 'npm-cache'), ...deps.map((d) => tarballs.get(d))],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return dir;
}

/** Runs a script bundled for the browser in a new V8 context with browser globals only. */
async function runInBrowserLikeContext(code) {
  const logs = [];
  const context = vm.createContext({
    console: { log: (...a) => logs.push(a.join(' ')), warn: () => {}, error: (...a) => logs.push(a.join(' ')) },
    setTimeout,
    clearTimeout,
    queueMicrotask,
    performance,
    TextEncoder,
    TextDecoder,
    atob,
    btoa,
    structuredClone,
  });
  context.globalThis = context;
  context.window = context;
  context.self = context;
  // The ESM bundle has no imports or exports left; an async wrapper allows top-level await.
  await vm.runInContext(`(async () => {\n${code}\n})()`, context, { filename: 'bundle.js' });
  return logs;
}

describe('published packages install and run from their tarballs', () => {
  it('every published package has a smoke script', () => {
    for (const { name } of tested) {
      const short = name.split('/')[1];
      assert.ok(existsSync(join(fixtures, `${short}.mjs`)), `tests/pack/fixtures/${short}.mjs is missing for ${name}`);
    }
  });

  for (const { name } of tested) {
    const short = name.split('/')[1];
    if (!existsSync(join(fixtures, `${short}.mjs`))) continue;

    it(`${name}: installs with only its dependencies, runs in Node ESM and in a browser bundle`, async () => {
      const deps = closure(name);
      const dir = freshProject(name, deps);
      copyFileSync(join(fixtures, `${short}.mjs`), join(dir, 'smoke.mjs'));

      // Plain Node ESM, from the installed tarballs only.
      const out = execFileSync(process.execPath, ['smoke.mjs'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      assert.match(out, new RegExp(`${name} ok`), `node smoke.mjs printed: ${out}`);

      // Browser bundle: resolution with the "browser" condition, Node built-ins fail the build.
      const result = await build({
        absWorkingDir: dir,
        entryPoints: ['smoke.mjs'],
        bundle: true,
        platform: 'browser',
        format: 'esm',
        target: 'es2022',
        write: false,
        metafile: true,
        logLevel: 'silent',
        // The sandbox below runs the bundle as a script, where `import.meta` does not exist; in a
        // browser the bundle is a module whose import.meta.url is its address (Graphviz's
        // Emscripten loader reads it, then uses the WebAssembly embedded in the file).
        define: { 'import.meta.url': JSON.stringify('http://localhost/bundle.js') },
      });
      const inputs = Object.keys(result.metafile.inputs);
      // besides @smolml's own code, only the registry packages they declare (and theirs)
      const registry = deps.filter((d) => !d.startsWith('@smolml/'));
      for (const input of inputs) {
        const ok = input === 'smoke.mjs' || input.startsWith('node_modules/@smolml/') || registry.some((p) => input.startsWith(`node_modules/${p}/`));
        assert.ok(ok, `unexpected module in the browser bundle: ${input}`);
      }
      for (const dep of deps.filter((d) => d.startsWith('@smolml/'))) {
        assert.ok(inputs.some((i) => i.startsWith(`node_modules/${dep}/dist/`)), `the bundle does not use ${dep}'s dist/`);
        // files selected by a `node` import condition (e.g. worker_threads) never reach a browser bundle
        const { imports } = JSON.parse(readFileSync(join(dir, 'node_modules', dep, 'package.json'), 'utf8'));
        for (const target of nodeOnlyTargets(imports).targets) {
          const file = `node_modules/${dep}/${target.replace(/^\.\//, '')}`;
          assert.ok(!inputs.includes(file), `the browser bundle contains the node-only ${file}`);
        }
      }
      const code = result.outputFiles[0].text;
      const logs = await runInBrowserLikeContext(code);
      assert.deepEqual(logs, [`${name} ok`]);
    });
  }
});
