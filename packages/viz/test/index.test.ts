import { MLArray, Value, ValueError, toDot } from '@smolml/core';
import { describe, expect, it } from 'vitest';
import { renderSvg } from '../src/index.js';

/** Graphviz writes one `<g id="nodeK" class="node">` per node and one `class="edge"` group per edge. */
function count(svg: string, cls: 'node' | 'edge'): number {
  return svg.match(new RegExp(`<g id="\\w+" class="${cls}">`, 'g'))?.length ?? 0;
}

/** The text drawn in the SVG (entities decoded). */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1]!.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#45;/g, '-').replace(/&amp;/g, '&'),
  );
}

describe('renderSvg', () => {
  it("lays out micrograd's expression: every node and edge of toDot, with data and grad", async () => {
    const a = new Value(-4);
    const b = new Value(2);
    const d = a.mul(b).add(b.pow(3));
    d.backward(); // dd/da = b = 2, dd/db = a + 3 b^2 = 8
    const dot = toDot(d, { names: { a, b, d } });
    const svg = await renderSvg(d, { names: { a, b, d } });
    expect(svg).toMatch(/^<\?xml[\s\S]*<svg [\s\S]*<\/svg>\s*$/);
    expect(count(svg, 'node')).toBe(dot.match(/\[label=/g)!.length);
    expect(count(svg, 'edge')).toBe(dot.match(/ -> /g)!.length);
    const shown = texts(svg);
    expect(shown).toEqual(expect.arrayContaining(['a', 'data -4', 'grad 2', 'b', 'data 2', 'grad 8', 'd = +', 'data 0', 'grad 1']));
    expect(svg).toContain('class="graph"');
  });

  it('draws DOT text as given, and the same input gives the same SVG', async () => {
    const dot = 'digraph { rankdir=LR; x -> y; y -> z; }';
    const svg = await renderSvg(dot);
    expect(count(svg, 'node')).toBe(3);
    expect(count(svg, 'edge')).toBe(2);
    expect(await renderSvg(dot)).toBe(svg);
  });

  it('draws array graphs kept with retainGraph, gradient norms included', async () => {
    const w = MLArray.from([[3, 4]], { requiresGrad: true });
    const loss = w.mul(w).sum().mul(0.5); // dloss/dw = w, norm 5
    loss.backward(undefined, { retainGraph: true });
    const svg = await renderSvg(loss, { names: { w, loss } });
    expect(count(svg, 'node')).toBe(5); // loss = mul, the constant 0.5, sum, w*w, and w (used twice, one node)
    expect(count(svg, 'edge')).toBe(5);
    expect(texts(svg)).toEqual(expect.arrayContaining(['w', 'shape (1, 2)', '‖grad‖ 5', 'loss = mul']));
  });

  it('keeps names with DOT syntax characters intact', async () => {
    const v = new Value(1);
    const name = 'say "hi" {a|b} <x> \\ & end';
    const svg = await renderSvg(v, { names: { [name]: v } });
    expect(texts(svg)).toContain(name);
  });

  it('refuses bad input with a ValueError naming the problem', async () => {
    await expect(renderSvg('digraph { a -> ')).rejects.toThrow(ValueError);
    await expect(renderSvg('digraph { a -> ')).rejects.toThrow(/renderSvg: Graphviz could not draw this DOT text: syntax error in line 1/);
    await expect(renderSvg(42 as unknown as string)).rejects.toThrow(/renderSvg: expected a Value, an MLArray or DOT text, got 42/);
    await expect(renderSvg(new Value(1), { maxNode: 3 } as never)).rejects.toThrow(/unknown option 'maxNode'; did you mean 'maxNodes'/);
    await expect(renderSvg(new Value(1), { maxNodes: 0 })).rejects.toThrow(/maxNodes must be an integer >= 1, got 0/);
    let y = new Value(0);
    for (let i = 0; i < 50; i++) y = y.add(i);
    await expect(renderSvg(y, { maxNodes: 100 })).rejects.toThrow(/renderSvg: the graph has 101 nodes, more than maxNodes \(100\)/);
    expect(count(await renderSvg(y, { maxNodes: 101 }), 'node')).toBe(101);
  });
});
