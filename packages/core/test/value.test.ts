import { describe, expect, it } from 'vitest';
import { MLArray, Value, ValueError } from '../src/index.js';

describe('Value', () => {
  it("reproduces micrograd's README example (values and gradients)", () => {
    const a = new Value(-4);
    const b = new Value(2);
    let c = a.add(b);
    let d = a.mul(b).add(b.pow(3));
    c = c.add(c.add(1));
    c = c.add(new Value(1).add(c).add(a.neg()));
    d = d.add(d.mul(2).add(b.add(a).relu()));
    d = d.add(new Value(3).mul(d).add(b.sub(a).relu()));
    const e = c.sub(d);
    const f = e.pow(2);
    let g = f.div(2);
    g = g.add(new Value(10).div(f));
    expect(g.data).toBeCloseTo(24.70408163265306, 12);
    g.backward();
    expect(a.grad).toBeCloseTo(138.83381924198252, 10);
    expect(b.grad).toBeCloseTo(645.5772594752186, 10);
  });

  const unary: [string, (v: Value) => Value, (x: number) => number][] = [
    ['exp', (v) => v.exp(), Math.exp],
    ['log', (v) => v.log(), Math.log],
    ['sqrt', (v) => v.sqrt(), Math.sqrt],
    ['abs', (v) => v.abs(), Math.abs],
    ['relu', (v) => v.relu(), (x) => Math.max(0, x)],
    ['leakyRelu', (v) => v.leakyRelu(0.1), (x) => (x > 0 ? x : 0.1 * x)],
    ['elu', (v) => v.elu(1.5), (x) => (x > 0 ? x : 1.5 * Math.expm1(x))],
    ['sigmoid', (v) => v.sigmoid(), (x) => 1 / (1 + Math.exp(-x))],
    ['tanh', (v) => v.tanh(), Math.tanh],
    ['pow 3', (v) => v.pow(3), (x) => x ** 3],
    ['pow -1.5', (v) => v.pow(-1.5), (x) => x ** -1.5],
    ['neg', (v) => v.neg(), (x) => -x],
  ];
  for (const [name, op, ref] of unary) {
    for (const x of [0.7, 2.3, -0.4]) {
      if (x < 0 && ['log', 'sqrt', 'pow -1.5'].includes(name)) continue;
      it(`${name}(${x}): value and finite-difference gradient`, () => {
        const v = new Value(x);
        const y = op(v);
        expect(y.data).toBeCloseTo(ref(x), 12);
        y.backward();
        const h = 1e-6;
        const numeric = (ref(x + h) - ref(x - h)) / (2 * h);
        expect(Math.abs(v.grad - numeric)).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
      });
    }
  }

  it('relu(NaN) is NaN and its gradient passes through, as in PyTorch (Value and MLArray)', () => {
    // torch.relu(tensor([nan, -1, 0, 2, -inf, inf])) = [nan, 0, 0, 2, 0, inf]; backward of [3, 5, 7, 11, 13, 17] = [3, 0, 0, 11, 0, 17]
    const big = new Value(800).exp(); // Infinity (a Value cannot be created from NaN, but can become one)
    const v = big.sub(big);
    expect(v.data).toBeNaN();
    const r = v.relu();
    expect(r.data).toBeNaN();
    r.backward();
    expect(v.grad).toBe(1);
    const x = new MLArray(Float64Array.from([NaN, -1, 0, 2, -Infinity, Infinity]), [6], true);
    const y = x.relu();
    expect([...y.data]).toEqual([NaN, 0, 0, 2, 0, Infinity]);
    y.backward(new MLArray(Float64Array.from([3, 5, 7, 11, 13, 17]), [6]));
    expect([...x.grad!.data]).toEqual([3, 0, 0, 11, 0, 17]);
  });

  it('binary ops: gradients of a*b, a/b, a-b, a+b', () => {
    const a = new Value(1.5);
    const b = new Value(-0.5);
    a.mul(b).add(a.div(b)).add(a.sub(b)).backward();
    // d/da = b + 1/b + 1 ; d/db = a - a/b^2 - 1
    expect(a.grad).toBeCloseTo(-0.5 - 2 + 1, 12);
    expect(b.grad).toBeCloseTo(1.5 - 1.5 / 0.25 - 1, 12);
  });

  it('accumulates gradients through a node used twice', () => {
    const a = new Value(3);
    const y = a.mul(a).add(a); // y = a^2 + a
    y.backward();
    expect(a.grad).toBe(7);
  });

  it('backward() on a chain of 200,000 nodes does not overflow the stack', () => {
    const x = new Value(1);
    let y = x;
    for (let i = 0; i < 200_000; i++) y = y.add(5e-6);
    y.backward();
    expect(x.grad).toBe(1);
    expect(y.data).toBeCloseTo(2, 6);
  });

  it('is stable: sigmoid(±750) and tanh(±400) are finite and exact', () => {
    expect(new Value(750).sigmoid().data).toBe(1);
    expect(new Value(-750).sigmoid().data).toBe(0);
    expect(new Value(400).tanh().data).toBe(1);
    expect(new Value(-400).tanh().data).toBe(-1);
    const s = new Value(-750);
    s.sigmoid().backward();
    expect(s.grad).toBe(0);
  });

  it('zeroGrad and restart reset the gradient', () => {
    const a = new Value(2);
    a.mul(3).backward();
    expect(a.grad).toBe(3);
    a.zeroGrad();
    expect(a.grad).toBe(0);
    a.mul(3).backward();
    a.restart();
    expect(a.grad).toBe(0);
  });

  it('throws ValueError on domain errors instead of yielding NaN', () => {
    expect(() => new Value(-1).log()).toThrow(ValueError);
    expect(() => new Value(-1).sqrt()).toThrow(/square root of a negative/);
    expect(() => new Value(-2).pow(0.5)).toThrow(/negative base/);
    expect(() => new Value(2).pow(NaN)).toThrow(/exponent must be a finite number/);
    expect(() => new Value(0).div(0)).toThrow(/0 \/ 0 is undefined/);
    expect(new Value(1).div(0).data).toBe(Infinity);
  });

  it('follows the same rules as MLArray for bad numbers (issue 10, defect 10)', () => {
    // a leaf, or a number operand, must be a finite number (MLArray: "scalar operand must be a finite number")
    for (const bad of [NaN, Infinity, -Infinity, '1', null, undefined]) {
      expect(() => new Value(bad as number)).toThrow(ValueError);
      expect(() => new Value(1).add(bad as number)).toThrow(ValueError);
    }
    expect(() => new Value(NaN)).toThrow('Value: data must be a finite number, got NaN');
    expect(() => MLArray.ones([1]).add(NaN)).toThrow(ValueError);
    // Infinity / Infinity and 0 / 0 are refused like MLArray's div; x / 0 is ±Infinity in both
    const inf = new Value(1000).exp(); // results may be infinite (IEEE), as in MLArray
    expect(inf.data).toBe(Infinity);
    expect(() => inf.div(inf)).toThrow(ValueError);
    expect(() => inf.div(inf)).toThrow(/Infinity \/ Infinity is undefined/);
    expect(() => MLArray.scalar(1000).exp().div(MLArray.scalar(1000).exp())).toThrow(ValueError);
    expect(() => new Value(0).div(new Value(0))).toThrow(ValueError);
    expect(() => MLArray.scalar(0).div(0)).toThrow(ValueError);
    expect(new Value(-2).div(0).data).toBe(-Infinity);
    expect(MLArray.scalar(-2).div(0).item()).toBe(-Infinity);
    // log, sqrt and fractional powers of negative numbers: refused by both
    for (const [v, a] of [
      [() => new Value(-1).log(), () => MLArray.scalar(-1).log()],
      [() => new Value(-4).sqrt(), () => MLArray.scalar(-4).sqrt()],
      [() => new Value(-8).pow(1 / 3), () => MLArray.scalar(-8).pow(1 / 3)],
    ] as const) {
      expect(v).toThrow(ValueError);
      expect(a).toThrow(ValueError);
    }
    expect(new Value(-2).pow(3).data).toBe(-8); // integer powers of negatives are fine in both
    expect(MLArray.scalar(-2).pow(3).item()).toBe(-8);
  });

  it('x^0 has gradient 0, also at x = 0, like MLArray (no NaN from 0 * 0^-1)', () => {
    const v = new Value(0);
    const y = v.pow(0);
    expect(y.data).toBe(1);
    y.backward();
    expect(v.grad).toBe(0);
    const a = MLArray.scalar(0, { requiresGrad: true });
    a.pow(0).backward();
    expect(a.grad!.item()).toBe(0);
    const w = new Value(3);
    w.pow(0).add(w.pow(1)).backward();
    expect(w.grad).toBe(1);
  });

  it('backward() twice: leaf grads accumulate, intermediate grads are recomputed each pass (PyTorch)', () => {
    const a = new Value(2);
    const b = new Value(3);
    const c = new Value(5);
    const ab = a.mul(b);
    const z = ab.mul(c);
    z.backward();
    expect([a.grad, b.grad, c.grad, ab.grad, z.grad]).toEqual([15, 10, 6, 5, 1]);
    z.backward();
    expect([a.grad, b.grad, c.grad]).toEqual([30, 20, 12]); // was 45 for a before issue 10
    expect([ab.grad, z.grad]).toEqual([5, 1]); // recomputed, not summed
    // a new graph over an old intermediate: it is an intermediate again, so it restarts from 0
    const y = ab.mul(2);
    y.backward();
    expect(ab.grad).toBe(2);
    expect(a.grad).toBe(30 + 2 * 3);
    // backward on a leaf adds 1 each time, like any leaf
    const x = new Value(4);
    x.backward();
    x.backward();
    expect(x.grad).toBe(2);
  });

  it('gives the same gradients as MLArray on the same expression', () => {
    // f(x, w) = sum(tanh(x * w + 0.5) ** 2) / 3 + sigmoid(x).mean() , elementwise on 3 values
    const xs = [0.3, -1.2, 2.0];
    const ws = [1.5, 0.7, -0.4];
    const xv = xs.map((v) => new Value(v));
    const wv = ws.map((v) => new Value(v));
    let f = new Value(0);
    for (let i = 0; i < 3; i++) {
      f = f.add(xv[i]!.mul(wv[i]!).add(0.5).tanh().pow(2).div(3));
      f = f.add(xv[i]!.sigmoid().div(3));
    }
    f.backward();
    const x = MLArray.from(xs, { requiresGrad: true });
    const w = MLArray.from(ws, { requiresGrad: true });
    const F = x.mul(w).add(0.5).tanh().pow(2).sum().div(3).add(x.sigmoid().mean());
    F.backward();
    expect(F.item()).toBeCloseTo(f.data, 14);
    xv.forEach((v, i) => expect(x.grad!.data[i]).toBeCloseTo(v.grad, 14));
    wv.forEach((v, i) => expect(w.grad!.data[i]).toBeCloseTo(v.grad, 14));
  });
});
