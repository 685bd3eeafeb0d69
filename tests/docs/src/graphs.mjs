// The graph drawings shown in docs/: each is built here from the same expression as its page's
// code block, drawn by @smolml/viz (Graphviz) and committed under docs/images/. `pnpm docs:graphs`
// (from the repository root) rewrites them; test/graphs.test.ts fails when one is out of date.
import { Value } from '@smolml/core';
import { renderSvg } from '@smolml/viz';

/**
 * docs/backpropagation.md's running example, d = a*b + a^2 with a = 2, b = -3, before and after
 * backward().
 * @returns {Promise<{ file: string; svg: string }[]>} paths relative to the repository root
 */
export async function docsGraphs() {
  const build = () => {
    const a = new Value(2);
    const b = new Value(-3);
    const c = a.mul(b);
    const e = a.pow(2);
    const d = c.add(e);
    return { a, b, c, e, d };
  };
  const before = build();
  const after = build();
  after.d.backward();
  return [
    { file: 'docs/images/backprop-forward.svg', svg: await renderSvg(before.d, { names: before }) },
    { file: 'docs/images/backprop-backward.svg', svg: await renderSvg(after.d, { names: after }) },
  ];
}
