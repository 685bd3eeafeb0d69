#!/usr/bin/env node
// Checks the package graph: every package's `dependencies` list exactly the @smolml/* and
// third-party packages its src/ imports, nothing imports Node built-ins (except the files a
// package's `imports` map selects under the `node` condition, see scripts/node-only.mjs), every
// `#name` import is declared in that map, and the graph is acyclic (dependencies point one
// way: core <- init, losses, optim <- nn).
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { nodeOnlyTargets } from './node-only.mjs';

const root = new URL('..', import.meta.url).pathname;
const pkgsDir = join(root, 'packages');
const errors = [];
const graph = new Map();

function walk(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

for (const name of readdirSync(pkgsDir)) {
  const dir = join(pkgsDir, name);
  if (!existsSync(join(dir, 'package.json'))) continue;
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const declared = new Set(Object.keys(pkg.dependencies ?? {}));
  const imported = new Set();
  const nodeOnly = nodeOnlyTargets(pkg.imports);
  for (const p of nodeOnly.problems) errors.push(`${pkg.name}: package.json ${p}`);
  const nodeFiles = new Set(nodeOnly.targets.filter((t) => t.startsWith('./src/')).map((t) => join(dir, t)));
  for (const file of walk(join(dir, 'src'))) {
    const src = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    for (const m of src.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const spec = m[1] ?? m[2];
      if (spec.startsWith('.')) {
        const target = join(dirname(file), spec).replace(/\.js$/, '.ts');
        if (nodeFiles.has(target)) errors.push(`${pkg.name}: ${file.slice(root.length)} imports the node-only ${spec} directly; import it through its '#' name so browsers get the default twin`);
        continue;
      }
      if (spec.startsWith('#')) {
        if (!Object.hasOwn(pkg.imports ?? {}, spec)) errors.push(`${pkg.name}: ${file.slice(root.length)} imports '${spec}', which package.json "imports" does not define`);
        continue;
      }
      if (spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0])) {
        if (nodeFiles.has(file)) continue; // selected only under the `node` condition

        errors.push(`${pkg.name}: ${file.slice(root.length)} imports Node built-in '${spec}' (library code must run in browsers)`);
        continue;
      }
      const pkgName = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      imported.add(pkgName);
    }
  }
  for (const d of imported) if (!declared.has(d)) errors.push(`${pkg.name}: src imports '${d}' but package.json does not list it in dependencies`);
  for (const d of declared) if (!imported.has(d)) errors.push(`${pkg.name}: package.json lists '${d}' in dependencies but src never imports it`);
  for (const [d, v] of Object.entries(pkg.dependencies ?? {})) {
    if (d.startsWith('@smolml/') && v !== 'workspace:^') errors.push(`${pkg.name}: dependency ${d} must be 'workspace:^', got '${v}'`);
  }
  graph.set(pkg.name, [...declared].filter((d) => d.startsWith('@smolml/')));
}

// `pnpm install` must not end with an "Ignored build scripts" box: every dependency with a
// build script is allowed (onlyBuiltDependencies) or ignored on purpose (ignoredBuiltDependencies)
// in pnpm-workspace.yaml. pnpm records the undecided ones in node_modules/.modules.yaml.
const modulesYaml = join(root, 'node_modules', '.modules.yaml');
if (existsSync(modulesYaml)) {
  // pnpm 10 writes this YAML file in its JSON subset.
  const undecided = JSON.parse(readFileSync(modulesYaml, 'utf8')).ignoredBuilds ?? [];
  for (const dep of undecided) {
    errors.push(`pnpm install ignores the build script of ${dep} without being told to: list it under onlyBuiltDependencies or ignoredBuiltDependencies in pnpm-workspace.yaml`);
  }
}

// cycle check (DFS with colours)
const colour = new Map();
function visit(n, path) {
  if (colour.get(n) === 'done') return;
  if (colour.get(n) === 'active') return errors.push(`dependency cycle: ${[...path, n].join(' -> ')}`);
  colour.set(n, 'active');
  for (const d of graph.get(n) ?? []) visit(d, [...path, n]);
  colour.set(n, 'done');
}
for (const n of graph.keys()) visit(n, []);

if (errors.length) {
  console.error(errors.map((e) => `check-deps: ${e}`).join('\n'));
  process.exit(1);
}
console.log(`check-deps: ${graph.size} packages, imports match dependencies, no Node built-ins outside node-only files, no cycles`);
