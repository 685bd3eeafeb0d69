import { describe, expect, it } from 'vitest';
import { formatNumber } from '../src/dot.js';
import { MLArray, Value, ValueError, toDot } from '../src/index.js';

/** The DOT text split into node labels (by node id) and edges ("from->to"). */
function parse(dot: string): { labels: Map<string, string>; edges: string[] } {
  const labels = new Map<string, string>();
  const edges: string[] = [];
  for (const line of dot.split('\n')) {
    const node = /^ {2}(n\d+) \[label="\{(.*)\}"/.exec(line);
    if (node) labels.set(node[1]!, node[2]!);
    const edge = /^ {2}(n\d+) -> (n\d+);$/.exec(line);
    if (edge) edges.push(`${edge[1]}->${edge[2]}`);
  }
  return { labels, edges };
}

describe('toDot on Value graphs', () => {
  it("draws micrograd's example: one node per Value, one edge per input, data and grad to 4 digits", () => {
    const a = new Value(-4);
    const b = new Value(2);
    const c = a.add(b); // -2
    const d = a.mul(b).add(b.pow(3)); // -8 + 8 = 0
    const e = c.sub(d); // -2
    const f = e.pow(2); // 4
    const g = f.div(2); // 2
    g.backward();
    const dot = toDot(g, { names: { a, b, g } });
    expect(dot.startsWith('digraph G {\n  rankdir=LR;')).toBe(true);
    const { labels, edges } = parse(dot);
    // Count what the graph really holds: walk it here with a Set.
    const seen = new Set<Value>();
    let inputs = 0;
    const stack = [g];
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (seen.has(v)) continue;
      seen.add(v);
      inputs += v.children.length;
      stack.push(...v.children);
    }
    expect(labels.size).toBe(seen.size);
    expect(edges).toHaveLength(inputs);
    expect(labels.get('n0')).toBe('g = * | data 2 | grad 1');
    const byName = (name: string): string => [...labels.values()].find((l) => l.startsWith(`${name} = `) || l.startsWith(`${name} |`))!;
    // g = e^2 / 2 with e = c - d = -2: dg/da = e (1 - b) = 2, dg/db = e (1 - a - 3 b^2) = 14,
    // and d(g)/d(b^3) = -e = 2
    expect(a.grad).toBeCloseTo(2, 12);
    expect(b.grad).toBeCloseTo(14, 12);
    expect(byName('a')).toBe('a | data -4 | grad 2');
    expect(byName('b')).toBe('b | data 2 | grad 14');
    expect([...labels.values()].filter((l) => l.startsWith('**3 |'))).toEqual(['**3 | data 8 | grad 2']);
  });

  it('before backward() every grad is 0; a value used twice gets two edges', () => {
    const x = new Value(0.5);
    const y = x.mul(x).tanh();
    const { labels, edges } = parse(toDot(y));
    expect([...labels.values()]).toEqual(['tanh | data 0.2449 | grad 0', '* | data 0.25 | grad 0', 'input | data 0.5 | grad 0']);
    expect(edges).toEqual(['n1->n0', 'n2->n1', 'n2->n1']);
  });

  it('walks a 100,000-node chain without recursion', () => {
    let y = new Value(1);
    for (let i = 0; i < 100_000; i++) y = y.add(1);
    const { labels, edges } = parse(toDot(y));
    // each add has a constant leaf: 100,000 sums + 100,000 constants + the start
    expect(labels.size).toBe(200_001);
    expect(edges).toHaveLength(200_000);
  });

  it('escapes names so that the DOT stays valid', () => {
    const v = new Value(1);
    const dot = toDot(v, { names: { 'say "hi" {a|b} <x> \\ end\nnext': v } });
    expect(dot).toContain('[label="{say \\"hi\\" \\{a\\|b\\} \\<x\\> \\\\ end next | data 1 | grad 0}"');
    const long = 'x'.repeat(500);
    expect(toDot(v, { names: { [long]: v } })).toContain(`${'x'.repeat(39)}…`);
  });

  it('rejects what it cannot draw with a ValueError', () => {
    expect(() => toDot(3 as unknown as Value)).toThrow(ValueError);
    expect(() => toDot(3 as unknown as Value)).toThrow(/toDot: root must be a Value or an MLArray, got 3/);
    expect(() => toDot(new Value(1), { nmes: {} } as never)).toThrow(/unknown option 'nmes'; did you mean 'names'/);
    expect(() => toDot(new Value(1), { names: { a: 2 } } as never)).toThrow(/names\.a must be a Value or an MLArray, got 2/);
  });
});

describe('toDot on MLArray graphs', () => {
  const build = (): { w: MLArray; x: MLArray; loss: MLArray } => {
    const w = MLArray.from([[1, 2], [3, 4]], { requiresGrad: true });
    const x = MLArray.from([[1], [-1]]);
    const loss = w.matmul(x).tanh().sum();
    return { w, x, loss };
  };

  it('shows each operation with its shape, constants marked, before backward()', () => {
    const { w, x, loss } = build();
    const { labels, edges } = parse(toDot(loss, { names: { w, x, loss } }));
    expect([...labels.values()]).toEqual(['loss = sum | shape ()', 'tanh | shape (2, 1)', 'matmul | shape (2, 1)', 'w | shape (2, 2)', 'x | shape (2, 1) | constant']);
    expect(edges).toEqual(['n1->n0', 'n2->n1', 'n3->n2', 'n4->n2']);
  });

  it('with retainGraph the graph survives backward() and leaves show their gradient norm', () => {
    const { w, loss } = build();
    loss.backward(undefined, { retainGraph: true });
    // d/dW sum(tanh(Wx)) = (1 - tanh^2(Wx)) x^T, Wx = [-1, -1]
    const s = 1 - Math.tanh(-1) ** 2;
    const norm = Math.sqrt(4 * s * s);
    expect(w.grad!.data[0]).toBeCloseTo(s, 12);
    const { labels } = parse(toDot(loss, { names: { w } }));
    expect(labels.size).toBe(5);
    expect(labels.get('n3')).toBe(`w | shape (2, 2) | ‖grad‖ ${formatNumber(norm)}`);
  });

  it('after a plain backward() only the released root is left, and the label says why', () => {
    const { loss } = build();
    loss.backward();
    expect([...parse(toDot(loss)).labels.values()]).toEqual(['input | shape () | graph released by backward()']);
  });
});

describe('formatNumber', () => {
  it('keeps 4 significant digits and drops trailing zeros', () => {
    expect(formatNumber(0.70710678)).toBe('0.7071');
    expect(formatNumber(-2)).toBe('-2');
    expect(formatNumber(1234.5678)).toBe('1235');
    expect(formatNumber(123456.7)).toBe('123500');
    expect(formatNumber(1234567)).toBe('1.235e+6');
    expect(formatNumber(1e-7)).toBe('1e-7');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(formatNumber(-Infinity)).toBe('-Infinity');
  });
});
