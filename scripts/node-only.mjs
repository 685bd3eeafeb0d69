// The one exception to "library code imports no Node built-ins": a file that a package's
// package.json `imports` map selects only under the `node` condition, beside a `default`
// (browser) twin, e.g. @smolml/wasm's
//   "#platform": { "node": "./dist/platform-node.js", "default": "./dist/platform-browser.js" }
// Bundlers for the browser resolve `default` and never see the Node file. Used by
// scripts/check-deps.mjs, eslint.config.js and tests/pack.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The targets selected by a `node` condition in an `imports` map (paths as written, e.g.
 * './src/platform-node.ts'), and problems: a `node` entry without a `default` beside it.
 */
export function nodeOnlyTargets(imports) {
  const targets = [];
  const problems = [];
  const visit = (entry, where) => {
    if (entry === null || typeof entry !== 'object') return;
    for (const [key, value] of Object.entries(entry)) {
      if (key === 'node') {
        if (!('default' in entry)) problems.push(`${where}: a "node" condition needs a "default" (browser) target beside it`);
        const collect = (v) => (typeof v === 'string' ? targets.push(v) : v && typeof v === 'object' && Object.values(v).forEach(collect));
        collect(value);
      } else visit(value, `${where}.${key}`);
    }
  };
  for (const [name, entry] of Object.entries(imports ?? {})) visit(entry, `imports["${name}"]`);
  return { targets, problems };
}

/** Node-only source files of every workspace package, relative to the repository root. */
export function nodeOnlySources(root) {
  const dir = join(root, 'packages');
  return readdirSync(dir).flatMap((name) => {
    const file = join(dir, name, 'package.json');
    if (!existsSync(file)) return [];
    const { targets } = nodeOnlyTargets(JSON.parse(readFileSync(file, 'utf8')).imports);
    return targets.filter((t) => t.startsWith('./src/')).map((t) => `packages/${name}/${t.slice(2)}`);
  });
}
