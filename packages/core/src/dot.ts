/**
 * `toDot`: the computational graph behind a `Value` or an `MLArray`, as Graphviz DOT text.
 *
 * micrograd draws its graphs this way; here the walk is iterative (an explicit stack, as in
 * backward()), so a graph a hundred thousand operations deep prints instead of overflowing the
 * call stack. The text only describes the graph: Graphviz (`@smolml/viz`, or the `dot` program)
 * does the layout.
 */
import { type Differentiable } from './autodiff.js';
import { ValueError, formatShape } from './errors.js';
import { MLArray } from './mlarray.js';
import { checkOptions, clip, describeValue, isPlainObject } from './validate.js';
import { Value } from './value.js';

/** Options of {@link toDot}. */
export interface DotOptions {
  /**
   * Names shown on nodes, e.g. `{ a, b, loss }` (a name per `Value` or array; nodes without one
   * show only their operation).
   */
  names?: Record<string, Value | MLArray>;
}

type GraphItem = Value | Differentiable;

/**
 * The graph that `backward()` walks from `root`, as a Graphviz DOT digraph (left to right):
 * one node per `Value` or array reached from `root`, one edge per input of each operation.
 * A `Value` node shows its operation, `data` and `grad` (4 significant digits); an array node
 * its operation, shape and, once it has one, the norm of its gradient.
 *
 * `Value` graphs stay after `backward()`, so drawing afterwards shows every gradient. An array
 * graph is released by `backward()` (so training does not grow memory): draw it before, or keep
 * it with `backward(undefined, { retainGraph: true })` and draw afterwards to see gradients
 * (leaves and arrays marked with `retainGrad()` show their gradient norms).
 * @example
 * const a = new Value(2), b = new Value(-3);
 * const d = a.mul(b).add(a.pow(2));
 * d.backward();
 * toDot(d, { names: { a, b, d } }); // 'digraph G {\n  rankdir=LR; ...'
 */
export function toDot(root: Value | MLArray, options?: DotOptions | null): string {
  const { names = {} } = checkOptions('toDot', options, ['names']);
  if (!(root instanceof Value) && !(root instanceof MLArray)) {
    throw new ValueError(`toDot: root must be a Value or an MLArray, got ${describeValue(root)}`);
  }
  const nameOf = namesByItem(names);
  const ids = new Map<GraphItem, number>([[root, 0]]);
  const order: GraphItem[] = [root];
  const edges: string[] = [];
  // Each item is numbered when first reached; its inputs are then queued. Iterative, so the
  // depth of the graph costs heap, not call stack.
  for (let k = 0; k < order.length; k++) {
    const item = order[k]!;
    for (const input of inputsOf(item)) {
      let id = ids.get(input);
      if (id === undefined) {
        id = order.length;
        ids.set(input, id);
        order.push(input);
      }
      edges.push(`  n${id} -> n${k};`);
    }
  }
  const lines = [
    'digraph G {',
    '  rankdir=LR;',
    '  node [shape=record, fontname="Helvetica", fontsize=11, margin="0.14,0.06"];',
    '  edge [arrowsize=0.7];',
  ];
  order.forEach((item, k) => {
    const name = nameOf.get(item);
    const fields = item instanceof Value ? valueFields(item) : arrayFields(item);
    const head = [name, fields.op].filter((s) => s !== undefined && s !== '').join(' = ');
    const label = [head === '' ? 'input' : head, ...fields.rest].map(escapeRecord).join(' | ');
    lines.push(`  n${k} [label="{${label}}"${fields.op === '' ? ', style=filled, fillcolor="#eef5fb"' : ''}];`);
  });
  // concat, not push(...edges): spreading 100k arguments overflows the stack too
  return `${lines.concat(edges, '}').join('\n')}\n`;
}

function inputsOf(item: GraphItem): readonly GraphItem[] {
  if (item instanceof Value) return item.children;
  return item.node?.inputs ?? [];
}

function namesByItem(names: Record<string, Value | MLArray>): Map<GraphItem, string> {
  if (!isPlainObject(names)) throw new ValueError(`toDot: names must be an object like { a, b }, got ${describeValue(names)}`);
  const byItem = new Map<GraphItem, string>();
  for (const [name, item] of Object.entries(names)) {
    if (!(item instanceof Value) && !(item instanceof MLArray)) {
      throw new ValueError(`toDot: names.${name} must be a Value or an MLArray, got ${describeValue(item)}`);
    }
    byItem.set(item, clip(name, 40));
  }
  return byItem;
}

function valueFields(v: Value): { op: string; rest: string[] } {
  return { op: v.op, rest: [`data ${formatNumber(v.data)}`, `grad ${formatNumber(v.grad)}`] };
}

function arrayFields(a: Differentiable): { op: string; rest: string[] } {
  const rest = [`shape ${formatShape(a.shape)}`];
  const grad = a instanceof MLArray ? a.grad : null;
  if (grad !== null) {
    let sq = 0;
    for (const g of grad.data) sq += g * g;
    rest.push(`‖grad‖ ${formatNumber(Math.sqrt(sq))}`);
  }
  if (a.freed) rest.push('graph released by backward()');
  else if (a.node === null && !a.requiresGrad) rest.push('constant');
  return { op: a.node?.prim ?? '', rest };
}

/** 4 significant digits, without trailing zeros: 0.7071, -2, 1.235e+6, 1e-7. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x) || x === 0) return String(x);
  const abs = Math.abs(x);
  if (abs >= 1e6 || abs < 1e-4) {
    const [mantissa, exponent] = x.toExponential(3).split('e');
    return `${String(Number(mantissa))}e${exponent}`;
  }
  return String(Number(x.toPrecision(4)));
}

/** A record field's text: the characters DOT records treat as syntax are backslash-escaped. */
function escapeRecord(text: string): string {
  return text.replace(/[\\{}|<>"]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}
