// Writes the graph drawings of docs/ (see graphs.mjs). Needs built packages: run it through
// `pnpm docs:graphs` from the repository root, which builds @smolml/viz and its dependencies first.
/* global console */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './extract.mjs';
import { docsGraphs } from './graphs.mjs';

for (const { file, svg } of await docsGraphs()) {
  writeFileSync(join(repoRoot, file), svg);
  console.log(`wrote ${file} (${svg.length} bytes)`);
}
