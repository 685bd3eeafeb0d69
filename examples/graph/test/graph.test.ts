import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toDot } from '@smolml/core';
import { afterAll, describe, expect, it } from 'vitest';
import { microgradExpression, run } from '../src/graph.js';

const outDir = mkdtempSync(join(tmpdir(), 'smolml-example-graph-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** The text Graphviz drew, entities decoded. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.replace(/&#45;/g, '-').replace(/&amp;/g, '&'));
}

describe('graph example', () => {
  it("computes micrograd's numbers: g = 24.7041, dg/da = 138.8338, dg/db = 645.5773", async () => {
    const r = await run({ outDir, quiet: true });
    expect(r.g).toBeCloseTo(24.7041, 4);
    expect(r.gradA).toBeCloseTo(138.8338, 4);
    expect(r.gradB).toBeCloseTo(645.5773, 4);
  });

  it('writes both drawings: all grads 0 before backward(), the gradients after', async () => {
    const r = await run({ outDir, quiet: true });
    const before = readFileSync(r.before, 'utf8');
    const after = readFileSync(r.after, 'utf8');
    const nodes = toDot(microgradExpression().g).match(/\[label=/g)!.length;
    for (const svg of [before, after]) {
      expect(svg).toMatch(/<svg[\s\S]*<\/svg>\s*$/);
      expect(svg.match(/class="node"/g)).toHaveLength(nodes);
    }
    const grads = (svg: string): string[] => texts(svg).filter((t) => t.startsWith('grad '));
    expect(grads(before)).toHaveLength(nodes);
    expect(new Set(grads(before))).toEqual(new Set(['grad 0']));
    // each node reads name = op | data | grad
    const node = (svg: string, head: string): string[] => {
      const t = texts(svg);
      return t.slice(t.indexOf(head), t.indexOf(head) + 3);
    };
    expect(node(after, 'a')).toEqual(['a', 'data -4', 'grad 138.8']);
    expect(node(after, 'b')).toEqual(['b', 'data 2', 'grad 645.6']);
    expect(node(after, 'g = +')).toEqual(['g = +', 'data 24.7', 'grad 1']);
  });
});
