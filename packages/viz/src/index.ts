/**
 * @smolml/viz — draws the computational graph of a `Value` or an `MLArray` as SVG. Core's
 * `toDot` writes the graph as Graphviz DOT text; Graphviz itself (compiled to WebAssembly by
 * `@viz-js/viz`, so nothing native to install) lays it out, in Node and in browsers alike.
 * @packageDocumentation
 */
import { type DotOptions, MLArray, Value, ValueError, toDot } from '@smolml/core';
import { checkInteger, checkOptions, clip, describeValue } from '@smolml/core/internal';
import { type Viz, instance } from '@viz-js/viz';

/** Options of {@link renderSvg}. */
export interface RenderSvgOptions extends DotOptions {
  /**
   * Refuse graphs with more nodes than this (default 2000): Graphviz's layout time grows
   * faster than the graph, and a drawing of thousands of nodes is unreadable anyway.
   */
  maxNodes?: number;
}

const DEFAULT_MAX_NODES = 2000;

// One Graphviz instance, made on first use: compiling the WebAssembly module takes a moment,
// every later render reuses it.
let graphviz: Promise<Viz> | undefined;

/**
 * The graph that `backward()` walks from `root` (see core's `toDot`), or any DOT text, laid out
 * by Graphviz and returned as an SVG document. Draw an array graph before `backward()` frees it,
 * or call `backward(undefined, { retainGraph: true })` first.
 * @example
 * const a = new Value(2), b = new Value(-3);
 * const y = a.mul(b).tanh();
 * y.backward();
 * const svg = await renderSvg(y, { names: { a, b, y } }); // '<?xml ...><svg ...>...</svg>'
 */
export async function renderSvg(root: Value | MLArray | string, options?: RenderSvgOptions | null): Promise<string> {
  const { maxNodes = DEFAULT_MAX_NODES, ...dotOptions } = checkOptions('renderSvg', options, ['names', 'maxNodes']);
  checkInteger('renderSvg', 'maxNodes', maxNodes);
  let dot: string;
  if (typeof root === 'string') dot = root;
  else if (root instanceof Value || root instanceof MLArray) {
    dot = toDot(root, dotOptions);
    const nodes = countNodes(dot);
    if (nodes > maxNodes) {
      throw new ValueError(
        `renderSvg: the graph has ${nodes} nodes, more than maxNodes (${maxNodes}); Graphviz would take very long to lay it out. ` +
          'Draw a smaller expression, or raise { maxNodes }',
      );
    }
  } else {
    throw new ValueError(`renderSvg: expected a Value, an MLArray or DOT text, got ${describeValue(root)}`);
  }
  graphviz ??= instance();
  const result = (await graphviz).render(dot, { format: 'svg', engine: 'dot' });
  if (result.status !== 'success') {
    const messages = result.errors.map((e) => e.message.trim()).join('; ');
    throw new ValueError(`renderSvg: Graphviz could not draw this DOT text: ${clip(messages || 'unknown error', 300)}`);
  }
  return result.output;
}

/** Node statements in toDot's output: one `nK [label=...]` line per node. */
function countNodes(dot: string): number {
  return dot.match(/^ {2}n\d+ \[label=/gm)?.length ?? 0;
}
