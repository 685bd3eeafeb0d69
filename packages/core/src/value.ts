/**
 * `Value`: the scalar autodiff engine, SmolML's original teaching object (after micrograd).
 *
 * Each operation computes its result and, right beside it, the closure that pushes the
 * output's gradient back to its inputs (the chain rule, one local derivative at a time).
 * `backward()` orders the graph topologically without recursion, so a chain of a
 * million nodes does not overflow the stack. Bad input follows MLArray's rules: a ValueError
 * instead of a NaN (non-finite leaves, 0/0, log or sqrt of a negative, ...).
 */
import { ValueError } from './errors.js';
import { checkNumber, describeValue, real } from './validate.js';

const noop = (): void => {};

/**
 * A number that remembers how it was computed, so `backward()` can apply the chain rule
 * through every operation that led to it. Gradients follow PyTorch: a leaf's `grad` (a value
 * you created) accumulates over backward() calls until `zeroGrad()`; an intermediate's `grad`
 * is recomputed by each backward() that reaches it.
 * @example
 * const a = new Value(2), b = new Value(-3);
 * const y = a.mul(b).add(a.pow(2)); // y = a*b + a^2 = -2
 * y.backward();
 * [a.grad, b.grad]; // [1, 2]: dy/da = b + 2a, dy/db = a
 */
export class Value {
  /** The number this node holds. */
  data: number;
  /**
   * d(root of backward())/d(this). For a leaf, summed over every backward() since the last
   * zeroGrad(); for an intermediate, from the last backward() that reached it.
   */
  grad = 0;
  /** The operation that produced this value ('' for leaves), for printing graphs. */
  readonly op: string;
  /** The inputs of the operation that produced this value. */
  readonly children: readonly Value[];
  private backwardFn: () => void = noop;

  /**
   * A leaf (`new Value(x)`) must hold a finite number (ValueError otherwise, like MLArray's
   * scalar operands). Results of operations follow IEEE arithmetic: `exp(1000)` is Infinity.
   * @example
   * const a = new Value(2);
   */
  constructor(data: number, children: readonly Value[] = [], op = '') {
    if (children.length === 0) checkNumber('Value', 'data', data, real);
    else if (typeof data !== 'number') throw new ValueError(`Value: data must be a number, got ${describeValue(data)}`);
    this.data = data;
    this.children = children;
    this.op = op;
  }

  /** this + other (a number is wrapped in a leaf Value). d/dx (x + y) = 1 for both. */
  add(other: Value | number): Value {
    const o = toValue(other);
    const out = new Value(this.data + o.data, [this, o], '+');
    out.backwardFn = () => {
      this.grad += out.grad;
      o.grad += out.grad;
    };
    return out;
  }

  /** this * other (a number is wrapped in a leaf Value). d/dx (x * y) = y, d/dy = x. */
  mul(other: Value | number): Value {
    const o = toValue(other);
    const out = new Value(this.data * o.data, [this, o], '*');
    out.backwardFn = () => {
      this.grad += o.data * out.grad;
      o.grad += this.data * out.grad;
    };
    return out;
  }

  /** this ** exponent, for a constant exponent. d/dx x^n = n x^(n-1) (0 for n = 0, also at x = 0). */
  pow(exponent: number): Value {
    checkNumber('Value.pow', 'exponent', exponent, real);
    if (this.data < 0 && !Number.isInteger(exponent)) {
      throw new ValueError(`Value.pow: ${this.data} ** ${exponent} is not a real number (negative base, fractional exponent)`);
    }
    const out = new Value(this.data ** exponent, [this], `**${exponent}`);
    out.backwardFn = () => {
      if (exponent !== 0) this.grad += exponent * this.data ** (exponent - 1) * out.grad; // x^0 is constant: 0 * 0^-1 would be NaN
    };
    return out;
  }

  /** -this, as this * -1. */
  neg(): Value {
    return this.mul(-1);
  }

  /** this - other, as this + (-other). */
  sub(other: Value | number): Value {
    return this.add(toValue(other).neg());
  }

  /** this / other = this * other^-1. x / 0 is ±Infinity (IEEE); 0 / 0 and ±Infinity / ±Infinity are refused. */
  div(other: Value | number): Value {
    const o = toValue(other);
    if (Number.isNaN(this.data / o.data) && !Number.isNaN(this.data) && !Number.isNaN(o.data)) {
      throw new ValueError(`Value.div: ${this.data} / ${o.data} is undefined (the result would be NaN); guard the denominator`);
    }
    return this.mul(o.pow(-1));
  }

  /** e^x; its derivative is itself. */
  exp(): Value {
    const out = new Value(Math.exp(this.data), [this], 'exp');
    out.backwardFn = () => {
      this.grad += out.data * out.grad;
    };
    return out;
  }

  /** Natural log; d/dx ln x = 1/x. */
  log(): Value {
    if (this.data < 0) throw new ValueError(`Value.log: log of a negative number (${this.data})`);
    const out = new Value(Math.log(this.data), [this], 'log');
    out.backwardFn = () => {
      this.grad += out.grad / this.data;
    };
    return out;
  }

  /** Square root; d/dx sqrt x = 1 / (2 sqrt x). */
  sqrt(): Value {
    if (this.data < 0) throw new ValueError(`Value.sqrt: square root of a negative number (${this.data})`);
    const out = new Value(Math.sqrt(this.data), [this], 'sqrt');
    out.backwardFn = () => {
      this.grad += out.grad / (2 * out.data);
    };
    return out;
  }

  /** |x|; derivative sign(x), taken as 0 at 0 (as PyTorch does). */
  abs(): Value {
    const out = new Value(Math.abs(this.data), [this], 'abs');
    out.backwardFn = () => {
      this.grad += Math.sign(this.data) * out.grad;
    };
    return out;
  }

  /** max(0, x) (NaN stays NaN, as in PyTorch); derivative 1 for x > 0, 0 for x <= 0. */
  relu(): Value {
    const out = new Value(this.data < 0 ? 0 : this.data, [this], 'relu');
    out.backwardFn = () => {
      this.grad += (this.data <= 0 ? 0 : 1) * out.grad;
    };
    return out;
  }

  /** x for x > 0, alpha * x otherwise. */
  leakyRelu(alpha = 0.01): Value {
    checkNumber('Value.leakyRelu', 'alpha', alpha, real);
    const slope = this.data > 0 ? 1 : alpha;
    const out = new Value(this.data * slope, [this], 'leakyRelu');
    out.backwardFn = () => {
      this.grad += slope * out.grad;
    };
    return out;
  }

  /** x for x > 0, alpha * (e^x - 1) otherwise; derivative there is alpha e^x = out + alpha. */
  elu(alpha = 1): Value {
    checkNumber('Value.elu', 'alpha', alpha, real);
    const x = this.data;
    const out = new Value(x > 0 ? x : alpha * Math.expm1(x), [this], 'elu');
    out.backwardFn = () => {
      this.grad += (x > 0 ? 1 : out.data + alpha) * out.grad;
    };
    return out;
  }

  /** 1 / (1 + e^-x), computed without overflow for large |x|; derivative s (1 - s). */
  sigmoid(): Value {
    const out = new Value(sigmoid(this.data), [this], 'sigmoid');
    out.backwardFn = () => {
      this.grad += out.data * (1 - out.data) * out.grad;
    };
    return out;
  }

  /** tanh x; derivative 1 - tanh^2 x. */
  tanh(): Value {
    const out = new Value(Math.tanh(this.data), [this], 'tanh');
    out.backwardFn = () => {
      this.grad += (1 - out.data * out.data) * out.grad;
    };
    return out;
  }

  /**
   * Backpropagates from this value: adds d(this)/d(leaf) to the `grad` of every leaf it was
   * computed from, and sets every intermediate's `grad` to d(this)/d(intermediate). As in PyTorch,
   * calling it twice adds the leaves' gradients twice; intermediates are recomputed from scratch.
   * The topological order is built with an explicit stack (no recursion).
   */
  backward(): void {
    const order = topologicalOrder(this);
    for (const v of order) if (v.children.length > 0) v.grad = 0; // intermediates start each pass at 0
    this.grad += 1; // d(this)/d(this); a leaf root accumulates like any leaf
    for (let i = order.length - 1; i >= 0; i--) order[i]!.backwardFn();
  }

  /** Resets this node's gradient to 0 (SmolML's original name is `restart`). */
  zeroGrad(): void {
    this.grad = 0;
  }

  /** SmolML's original name for zeroGrad(). */
  restart(): void {
    this.grad = 0;
  }

  /**
   * SmolML's text form.
   * @example
   * String(new Value(2)); // 'Value(data=2, grad=0)'
   */
  toString(): string {
    return `Value(data=${this.data}, grad=${this.grad})`;
  }
}

function toValue(x: Value | number): Value {
  return x instanceof Value ? x : new Value(x);
}

/** Numerically stable logistic function: never evaluates e^x for a large positive x. */
function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Post-order DFS with an explicit stack: children appear before their parents. */
function topologicalOrder(root: Value): Value[] {
  const order: Value[] = [];
  const visited = new Set<Value>([root]);
  const stack: [Value, number][] = [[root, 0]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [node, next] = top;
    if (next < node.children.length) {
      top[1] = next + 1;
      const child = node.children[next]!;
      if (!visited.has(child)) {
        visited.add(child);
        stack.push([child, 0]);
      }
    } else {
      stack.pop();
      order.push(node);
    }
  }
  return order;
}
