/**
 * The graph tab's little language: arithmetic on named variables, parsed by hand (never eval)
 * into a tree, then built as a `Value` graph. Grammar, loosest binding first:
 *
 *   sum     = product (('+' | '-') product)*
 *   product = unary (('*' | '/') unary)*
 *   unary   = '-' unary | power
 *   power   = atom (('^' | '**') unary)?       exponent: a constant number (Value.pow takes one)
 *   atom    = number | name | name '(' sum (',' number)? ')' | '(' sum ')'
 *
 * Bounded on purpose: at most 200 characters, 60 operations and 30 levels of nesting, so the
 * recursive parser cannot exhaust the stack and the drawing stays readable.
 */
import { Value } from '@smolml/core';

export const MAX_LENGTH = 200;
export const MAX_OPERATIONS = 60;
export const MAX_DEPTH = 30;

export type Expr =
  | { kind: 'number'; value: number }
  | { kind: 'variable'; name: string }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/'; left: Expr; right: Expr }
  | { kind: 'power'; base: Expr; exponent: number }
  | { kind: 'neg'; arg: Expr }
  | { kind: 'call'; fn: FunctionName; arg: Expr; param?: number };

export const functionNames = ['tanh', 'relu', 'sigmoid', 'exp', 'log', 'sqrt', 'abs', 'leakyRelu', 'elu'] as const;
export type FunctionName = (typeof functionNames)[number];

/** Functions of one Value (leakyRelu and elu take an optional constant second argument). */
const functions: Record<FunctionName, (v: Value, param?: number) => Value> = {
  tanh: (v) => v.tanh(),
  relu: (v) => v.relu(),
  sigmoid: (v) => v.sigmoid(),
  exp: (v) => v.exp(),
  log: (v) => v.log(),
  sqrt: (v) => v.sqrt(),
  abs: (v) => v.abs(),
  leakyRelu: (v, alpha) => v.leakyRelu(alpha),
  elu: (v, alpha) => v.elu(alpha),
};

/** A syntax error, with the 0-based column where it was found. */
export class ExpressionError extends Error {
  override name = 'ExpressionError';
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(`${message} (at column ${column + 1})`);
  }
}

type Token = { type: 'number'; value: number; at: number } | { type: 'name'; value: string; at: number } | { type: 'op'; value: string; at: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_]\w*)|(\*\*|[-+*/^(),]))/y;
  let i = 0;
  while (i < text.length) {
    if (/^\s*$/.test(text.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(text);
    if (m === null) {
      const at = i + (text.slice(i).length - text.slice(i).trimStart().length);
      throw new ExpressionError(`unexpected character '${text[at]}'`, at);
    }
    const at = m.index + m[0].length - (m[1] ?? m[2] ?? m[3]!).length;
    if (m[1] !== undefined) tokens.push({ type: 'number', value: Number(m[1]), at });
    else if (m[2] !== undefined) tokens.push({ type: 'name', value: m[2], at });
    else tokens.push({ type: 'op', value: m[3]!, at });
    i = re.lastIndex;
  }
  return tokens;
}

/** Parses `text`; throws ExpressionError naming what is wrong and where. */
export function parseExpression(text: string): Expr {
  if (text.length > MAX_LENGTH) throw new ExpressionError(`the expression is longer than ${MAX_LENGTH} characters`, MAX_LENGTH);
  const tokens = tokenize(text);
  let pos = 0;
  let operations = 0;
  let depth = 0;
  const end = text.length;
  const peek = (): Token | undefined => tokens[pos];
  const isOp = (value: string): boolean => {
    const t = peek();
    return t?.type === 'op' && t.value === value;
  };
  const expect = (value: string): void => {
    if (!isOp(value)) throw new ExpressionError(`expected '${value}'${describe(peek())}`, peek()?.at ?? end);
    pos++;
  };
  const describe = (t: Token | undefined): string => (t === undefined ? ' but the expression ended' : ` but found '${t.value}'`);
  const count = (at: number): void => {
    if (++operations > MAX_OPERATIONS) throw new ExpressionError(`more than ${MAX_OPERATIONS} operations`, at);
  };
  const nested = <T>(at: number, f: () => T): T => {
    if (++depth > MAX_DEPTH) throw new ExpressionError(`nested more than ${MAX_DEPTH} levels deep`, at);
    try {
      return f();
    } finally {
      depth--;
    }
  };
  /** A constant: an optionally negative number literal. */
  const constant = (): number => {
    const negative = isOp('-');
    if (negative) pos++;
    const t = peek();
    if (t?.type !== 'number') throw new ExpressionError(`expected a number${describe(t)}`, t?.at ?? end);
    pos++;
    return negative ? -t.value : t.value;
  };

  const sum = (): Expr =>
    nested(peek()?.at ?? end, () => {
      let left = product();
      while (isOp('+') || isOp('-')) {
        const t = tokens[pos++]!;
        count(t.at);
        left = { kind: 'binary', op: t.value as '+' | '-', left, right: product() };
      }
      return left;
    });
  const product = (): Expr => {
    let left = unary();
    while (isOp('*') || isOp('/')) {
      const t = tokens[pos++]!;
      count(t.at);
      left = { kind: 'binary', op: t.value as '*' | '/', left, right: unary() };
    }
    return left;
  };
  const unary = (): Expr => {
    if (isOp('-')) {
      const at = tokens[pos++]!.at;
      count(at);
      return nested(at, () => ({ kind: 'neg', arg: unary() }));
    }
    return power();
  };
  const power = (): Expr => {
    const base = atom();
    if (isOp('^') || isOp('**')) {
      count(tokens[pos++]!.at);
      return { kind: 'power', base, exponent: constant() };
    }
    return base;
  };
  const atom = (): Expr => {
    const t = peek();
    if (t === undefined) throw new ExpressionError('the expression ended too early', end);
    if (t.type === 'number') {
      pos++;
      return { kind: 'number', value: t.value };
    }
    if (t.type === 'name') {
      pos++;
      if (!isOp('(')) {
        if ((functionNames as readonly string[]).includes(t.value)) throw new ExpressionError(`${t.value} needs an argument: ${t.value}(...)`, t.at);
        return { kind: 'variable', name: t.value };
      }
      if (!(functionNames as readonly string[]).includes(t.value)) throw new ExpressionError(`unknown function '${t.value}'; known: ${functionNames.join(', ')}`, t.at);
      const fn = t.value as FunctionName;
      count(t.at);
      pos++; // '('
      const arg = sum();
      let param: number | undefined;
      if (isOp(',')) {
        if (fn !== 'leakyRelu' && fn !== 'elu') throw new ExpressionError(`${fn} takes one argument`, peek()!.at);
        pos++;
        param = constant();
      }
      expect(')');
      return param === undefined ? { kind: 'call', fn, arg } : { kind: 'call', fn, arg, param };
    }
    if (t.value === '(') {
      pos++;
      const inner = sum();
      expect(')');
      return inner;
    }
    throw new ExpressionError(`unexpected '${t.value}'`, t.at);
  };

  if (tokens.length === 0) throw new ExpressionError('the expression is empty', 0);
  const tree = sum();
  if (pos < tokens.length) throw new ExpressionError(`unexpected '${tokens[pos]!.value}'`, tokens[pos]!.at);
  return tree;
}

/** The variable names of a tree, in order of first use. */
export function variablesOf(tree: Expr): string[] {
  const names: string[] = [];
  const stack: Expr[] = [tree];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (e.kind === 'variable' && !names.includes(e.name)) names.push(e.name);
    else if (e.kind === 'binary') stack.push(e.right, e.left);
    else if (e.kind === 'power') stack.push(e.base);
    else if (e.kind === 'neg' || e.kind === 'call') stack.push(e.arg);
  }
  return names;
}

/** Builds the Value graph of `tree`; each variable is one leaf Value, shared by all its uses. */
export function buildValue(tree: Expr, variables: Readonly<Record<string, Value>>): Value {
  const build = (e: Expr): Value => {
    switch (e.kind) {
      case 'number':
        return new Value(e.value);
      case 'variable': {
        const v = Object.hasOwn(variables, e.name) ? variables[e.name] : undefined;
        if (v === undefined) throw new Error(`no value for variable '${e.name}'`);
        return v;
      }
      case 'binary': {
        const [l, r] = [build(e.left), build(e.right)];
        return e.op === '+' ? l.add(r) : e.op === '-' ? l.sub(r) : e.op === '*' ? l.mul(r) : l.div(r);
      }
      case 'power':
        return build(e.base).pow(e.exponent);
      case 'neg':
        return build(e.arg).neg();
      case 'call':
        return functions[e.fn](build(e.arg), e.param);
    }
  };
  return build(tree);
}
