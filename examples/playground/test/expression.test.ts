import { Value } from '@smolml/core';
import { describe, expect, it } from 'vitest';
import { ExpressionError, MAX_DEPTH, MAX_OPERATIONS, buildValue, parseExpression, variablesOf } from '../src/expression.js';

/** Evaluates `text` at `vars`, runs backward, and returns the output and each variable's gradient. */
function run(text: string, vars: Record<string, number>): { out: number; grads: Record<string, number> } {
  const leaves = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, new Value(v)]));
  const out = buildValue(parseExpression(text), leaves);
  out.backward();
  return { out: out.data, grads: Object.fromEntries(Object.entries(leaves).map(([k, v]) => [k, v.grad])) };
}

/** Central finite difference of `text` in variable `name`. */
function numeric(text: string, vars: Record<string, number>, name: string, h = 1e-6): number {
  const at = (dx: number): number => run(text, { ...vars, [name]: vars[name]! + dx }).out;
  return (at(h) - at(-h)) / (2 * h);
}

describe('parseExpression + buildValue', () => {
  it('tanh(a*b + c): value and gradients', () => {
    const { out, grads } = run('tanh(a*b + c)', { a: 2, b: -1, c: 1.5 });
    const t = Math.tanh(-0.5);
    expect(out).toBeCloseTo(t, 15);
    expect(grads.a).toBeCloseTo((1 - t * t) * -1, 15);
    expect(grads.b).toBeCloseTo((1 - t * t) * 2, 15);
    expect(grads.c).toBeCloseTo(1 - t * t, 15);
  });

  it('precedence and associativity: a - b - c, a / b / c, -a^2, a*b^2, 2**-1', () => {
    const v = { a: 3, b: 2, c: 5 };
    expect(run('a - b - c', v).out).toBe(-4);
    expect(run('a / b / c', v).out).toBeCloseTo(0.3, 15);
    expect(run('-a^2', v).out).toBe(-9);
    expect(run('a*b^2', v).out).toBe(12);
    expect(run('a ** -1 + 2 * (b + c)', v).out).toBeCloseTo(1 / 3 + 14, 14);
    expect(run('1.5e1 + .5', v).out).toBe(15.5);
  });

  it.each([
    ['sigmoid(x) * exp(y) - log(x*x + 1)', { x: 0.3, y: -0.4 }],
    ['sqrt(abs(x) + 1) / (y - 2)', { x: -0.7, y: 0.1 }],
    ['relu(x) + leakyRelu(y, 0.2) + elu(y, 0.5) + relu(-x)', { x: 0.8, y: -1.1 }],
    ['x*x*x - 3*x*y + y^3', { x: 1.2, y: 0.7 }],
  ])('%s: gradients agree with finite differences', (text, vars) => {
    const { grads } = run(text, vars);
    for (const name of Object.keys(vars)) expect(grads[name]).toBeCloseTo(numeric(text, vars, name), 7);
  });

  it('a variable used twice is one leaf that sums both contributions', () => {
    const { grads } = run('x*x + x', { x: 3 });
    expect(grads.x).toBe(7);
    expect(variablesOf(parseExpression('b*a + tanh(c - a)'))).toEqual(['b', 'a', 'c']);
  });

  it.each([
    ['', /the expression is empty/],
    ['a +', /the expression ended too early/],
    ['(a + b', /expected '\)' but the expression ended/],
    ['a b', /unexpected 'b' \(at column 3\)/],
    ['a $ b', /unexpected character '\$' \(at column 3\)/],
    ['foo(a)', /unknown function 'foo'; known: tanh, relu/],
    ['alert(1)', /unknown function 'alert'/],
    ['tanh', /tanh needs an argument/],
    ['tanh(a, 2)', /tanh takes one argument/],
    ['a ^ b', /expected a number but found 'b'/],
    ['a; b', /unexpected character ';'/],
    ['`a`', /unexpected character '`'/],
  ])('%j is refused: %s', (text, message) => {
    expect(() => parseExpression(text)).toThrow(ExpressionError);
    expect(() => parseExpression(text)).toThrow(message);
  });

  it('is bounded: length, operations and nesting', () => {
    expect(() => parseExpression('a'.repeat(201))).toThrow(/longer than 200 characters/);
    expect(() => parseExpression(Array(MAX_OPERATIONS + 2).fill('a').join('+'))).toThrow(/more than 60 operations/);
    expect(() => parseExpression(`${'('.repeat(MAX_DEPTH + 1)}a${')'.repeat(MAX_DEPTH + 1)}`)).toThrow(/nested more than 30 levels/);
    expect(() => parseExpression(`${'-'.repeat(MAX_DEPTH + 1)}a`)).toThrow(/nested more than 30 levels/);
    expect(() => parseExpression(Array(MAX_OPERATIONS + 1).fill('a').join('+'))).not.toThrow();
  });

  it('variables named like object properties are just variables', () => {
    expect(() => buildValue(parseExpression('constructor + 1'), {})).toThrow(/no value for variable 'constructor'/);
    expect(run('__proto__ * 2', { ['__proto__']: 4 }).out).toBe(8);
  });

  it('math errors of Value surface as its ValueError', () => {
    expect(() => run('log(x)', { x: -1 })).toThrow(/Value.log: log of a negative number/);
  });
});
