/**
 * micrograd's README example, with smolml's `Value`: a small expression of two inputs, drawn by
 * Graphviz (through `@smolml/viz`) once before `backward()` (every grad 0) and once after it
 * (every grad filled in). micrograd prints g = 24.7041, dg/da = 138.8338, dg/db = 645.5773.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Value } from '@smolml/core';
import { renderSvg } from '@smolml/viz';

/** The inputs, the intermediate results micrograd names, and the output g. */
export interface Expression {
  a: Value;
  b: Value;
  c: Value;
  d: Value;
  e: Value;
  f: Value;
  g: Value;
}

/** micrograd's expression, line by line (`c += x` becomes `c = c.add(x)`). */
export function microgradExpression(): Expression {
  const a = new Value(-4);
  const b = new Value(2);
  let c = a.add(b);
  let d = a.mul(b).add(b.pow(3));
  c = c.add(c.add(1));
  c = c.add(c.add(1).add(a.neg())); // c += 1 + c + (-a)
  d = d.add(d.mul(2).add(b.add(a).relu()));
  d = d.add(d.mul(3).add(b.sub(a).relu())); // d += 3 * d + (b - a).relu()
  const e = c.sub(d);
  const f = e.pow(2);
  let g = f.div(2);
  g = g.add(new Value(10).div(f));
  return { a, b, c, d, e, f, g };
}

export interface RunOptions {
  /** Folder for the SVG files (created if missing). Default: `out` beside this package's src. */
  outDir?: string;
  quiet?: boolean;
}

export interface RunResult {
  g: number;
  gradA: number;
  gradB: number;
  /** Paths of the two drawings. */
  before: string;
  after: string;
}

/** Draws the expression before and after backward() and writes `graph-before.svg`, `graph-after.svg`. */
export async function run({ outDir = join(import.meta.dirname, '..', 'out'), quiet = false }: RunOptions = {}): Promise<RunResult> {
  const expr = microgradExpression();
  const names = { ...expr };
  mkdirSync(outDir, { recursive: true });
  const before = join(outDir, 'graph-before.svg');
  writeFileSync(before, await renderSvg(expr.g, { names }));
  expr.g.backward();
  const after = join(outDir, 'graph-after.svg');
  writeFileSync(after, await renderSvg(expr.g, { names }));
  const result = { g: expr.g.data, gradA: expr.a.grad, gradB: expr.b.grad, before, after };
  if (!quiet) {
    console.log(`g = ${result.g.toFixed(4)}, dg/da = ${result.gradA.toFixed(4)}, dg/db = ${result.gradB.toFixed(4)}`);
    console.log(`wrote ${before}\nwrote ${after}`);
  }
  return result;
}
