import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../src/extract.mjs';
import { docsGraphs } from '../src/graphs.mjs';

describe('graph drawings in docs/images', () => {
  it('are current: regenerating them gives the committed files byte for byte (else run `pnpm docs:graphs`)', async () => {
    const graphs = await docsGraphs();
    expect(graphs.length).toBeGreaterThan(0);
    for (const { file, svg } of graphs) {
      let committed = '';
      try {
        committed = readFileSync(join(repoRoot, file), 'utf8');
      } catch {
        expect.fail(`${file} is missing: run \`pnpm docs:graphs\` from the repository root and commit it`);
      }
      expect(committed === svg, `${file} is out of date: run \`pnpm docs:graphs\` from the repository root and commit it`).toBe(true);
    }
  });

  it('are referenced from the docs', () => {
    const page = readFileSync(join(repoRoot, 'docs/backpropagation.md'), 'utf8');
    expect(page).toContain('](images/backprop-forward.svg)');
    expect(page).toContain('](images/backprop-backward.svg)');
  });

  it('show the values the page computes: d = -2, a.grad = 1, b.grad = 2', async () => {
    const after = (await docsGraphs()).find((g) => g.file.endsWith('backprop-backward.svg'))!.svg;
    const texts = [...after.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.replace(/&#45;/g, '-'));
    // each node is drawn as name = op, data, grad, in that order
    const node = (head: string): string[] => texts.slice(texts.indexOf(head), texts.indexOf(head) + 3);
    expect(node('a')).toEqual(['a', 'data 2', 'grad 1']);
    expect(node('b')).toEqual(['b', 'data -3', 'grad 2']);
    expect(node('d = +')).toEqual(['d = +', 'data -2', 'grad 1']);
    expect(node('e = **2')).toEqual(['e = **2', 'data 4', 'grad 1']);
  });
});
