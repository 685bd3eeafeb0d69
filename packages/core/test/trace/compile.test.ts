/**
 * compileStep (src/trace/): a traced function replayed on new numbers gives the loss and the
 * parameter gradients `backward()` gives, bit for bit, for every primitive (through its plan in
 * replay.ts, or its rule), broadcasting, arrays reused several times, and the cases it refuses.
 */
import { describe, expect, it } from 'vitest';
import { type RecordingAllocator, recordingAllocator } from '@smolml/test-utils';
import { type Backend, MLArray, type StepKernels, createRng, getBackend, jsBackend, noGrad, setBackend } from '../../src/index.js';
import { type CompiledStep, compileStep, trace } from '../../src/internal.js';

const rng = createRng(11);

function random(shape: number[], requiresGrad = false, lo = -2, hi = 2): MLArray {
  const n = shape.reduce((a, b) => a * b, 1);
  return MLArray.from(Float64Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform()), { shape, requiresGrad });
}

function expectSame(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string): void {
  expect(actual.length, label).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) expect.fail(`${label}[${i}]: replayed ${actual[i]}, eager ${expected[i]}`);
  }
}

type Fn = (x: MLArray, p: readonly MLArray[]) => MLArray;

/**
 * Traces `fn(x, params)` on a first input, compiles it, then for that input and three new ones
 * compares the replayed loss and gradients with the eager ones.
 */
function check(fn: Fn, xShape: number[], paramShapes: number[][], lo = -2, hi = 2): CompiledStep {
  const params = paramShapes.map((s) => random(s, true, lo, hi));
  const x0 = random(xShape, false, lo, hi);
  const { result: loss, ops } = trace(() => fn(x0, params));
  const step = compileStep({ ops, loss, inputs: [x0], params });
  if ('reason' in step) throw new Error(`not compiled: ${step.reason}`);
  const inputs = [x0, random(xShape, false, lo, hi), random(xShape, false, lo, hi), random(xShape, false, lo, hi)];
  for (const [k, x] of inputs.entries()) {
    for (const p of params) p.zeroGrad();
    const eager = k === 0 ? loss : fn(x, params);
    eager.backward();
    step.inputs[0]!.set(x.data);
    expectSame([step.forward()], eager.data, `loss, input ${k}`);
    const grads = step.backward();
    params.forEach((p, i) => {
      if (p.grad === null) expect(grads[i], `gradient ${i}, input ${k}`).toBeNull();
      else expectSame(grads[i]!, p.grad.data, `gradient ${i}, input ${k}`);
    });
    // parameters change between calls (an optimizer updates them in place): the step reads them in place
    for (const p of params) for (let i = 0; i < p.size; i++) p.data[i] = p.data[i]! * 0.75 + 0.01;
  }
  return step;
}

const CASES: Record<string, { fn: Fn; x: number[]; params: number[][]; lo?: number; hi?: number }> = {
  'dense layer: matmul, bias row, relu, mse': {
    fn: (x, [w, b, t]) => x.matmul(w!).add(b!).relu().sub(t!).pow(2).mean(), x: [5, 3], params: [[3, 4], [1, 4], [5, 4]],
  },
  'two layers, tanh, sigmoid, softmax, log': {
    fn: (x, [w1, b1, w2, b2]) => x.matmul(w1!).add(b1!).tanh().matmul(w2!).add(b2!).softmax(-1).log().sum().neg(),
    x: [4, 3], params: [[3, 5], [1, 5], [5, 3], [1, 3]],
  },
  'broadcasting: column, scalar, leading axes, sub/mul/div on both sides': {
    fn: (x, [a, b, c]) => x.mul(a!).sub(b!).div(c!.abs().add(1)).add(0.5).mul(x).sub(x.div(2)).sum(),
    x: [2, 3, 4], params: [[3, 1], [4], [1, 1, 4]],
  },
  'every unary op': {
    fn: (x, [p]) => {
      const v = x.mul(p!);
      const pos = v.abs().add(0.1);
      return v.exp().add(pos.log()).add(pos.sqrt()).add(v.sigmoid()).add(v.softplus()).add(v.pow(3)).add(v.leakyRelu(0.2))
        .add(v.elu(0.7)).add(v.clip(-0.5, 0.8)).add(v.neg().relu()).add(v.tanh()).sum();
    },
    x: [3, 4], params: [[3, 4]],
  },
  'sums and means over axes': {
    fn: (x, [p]) => { const v = x.mul(p!); return v.sum([0, 2], true).mul(v.mean(1, true)).sum().add(v.sum(1).mean()); },
    x: [2, 3, 4], params: [[2, 3, 4]],
  },
  'softmax and logSoftmax along axis 0 and the last': {
    fn: (x, [p]) => { const v = x.mul(p!); return v.softmax(0).mul(v.logSoftmax(-1)).add(v.logSoftmax(0).mul(x)).sum(); },
    x: [3, 4], params: [[3, 4]],
  },
  'an array reused three times (its gradients summed in backward order)': {
    fn: (x, [w]) => { const h = x.matmul(w!).tanh(); return h.mul(h).add(h.exp()).sum(); }, x: [2, 3], params: [[3, 2]],
  },
  'batched matmul (3-d by 2-d, and 3-d by 3-d through the rule)': {
    fn: (x, [w, v]) => x.matmul(w!).matmul(v!).sum(), x: [2, 3, 4], params: [[4, 5], [2, 5, 2]],
  },
  'ops replayed through their rules: transpose, reshape, take, max, min, logsumexp, variance': {
    fn: (x, [p]) => {
      const v = x.mul(p!);
      return v.transpose([1, 0]).reshape([2, 6]).take([1, 0, 1], 0).max(1).sum().add(v.min(0).sum()).add(v.logsumexp(-1).sum()).add(v.variance(0).sum());
    },
    x: [4, 3], params: [[4, 3]],
  },
  'conv2d, maxPool2d, avgPool2d': {
    fn: (x, [w]) => x.conv2d(w!, { padding: 1 }).relu().maxPool2d(2).add(x.avgPool2d(2).sum(1, true)).sum(), x: [2, 2, 4, 4], params: [[3, 2, 3, 3]],
  },
  'conv2d with bias and fused relu, a padded strided maxPool2d, a strided conv2d on it (kept buffers, zeroed each step)': {
    fn: (x, [w, b, w2, b2]) =>
      x.conv2d(w!, { padding: 1, bias: b!, relu: true }).maxPool2d(3, { stride: 2, padding: 1 }).conv2d(w2!, { stride: 2, bias: b2! }).mul(x.sum()).sum(),
    x: [2, 2, 5, 5], params: [[3, 2, 3, 3], [3], [2, 3, 2, 2], [2]],
  },
  'a parameter the loss does not reach gets null': {
    fn: (x, [w]) => x.mul(w!).sum(), x: [2, 2], params: [[2, 2], [3]],
  },
};

describe('compileStep replays bit for bit', () => {
  for (const [name, c] of Object.entries(CASES)) it(name, () => void check(c.fn, c.x, c.params, c.lo, c.hi));

  it("without a backend's allocate it reads the parameters in place (step.params are their own data)", () => {
    const w = random([2, 3], true);
    const x = random([4, 2]);
    const { result, ops } = trace(() => x.matmul(w).sum());
    const step = compileStep({ ops, loss: result, inputs: [x], params: [w] });
    if ('reason' in step) throw new Error(step.reason);
    expect(step.params[0]).toBe(w.data);
  });

  it('reads constants in place and writes outputs to its buffers', () => {
    const w = random([2, 2], true);
    const x = random([3, 2]);
    const { result, ops } = trace(() => {
      const pred = x.matmul(w).sigmoid();
      return { pred, loss: pred.sum() };
    });
    const step = compileStep({ ops, loss: result.loss, inputs: [x], params: [w], outputs: [result.pred] });
    if ('reason' in step) throw new Error(step.reason);
    const x2 = random([3, 2]);
    step.inputs[0]!.set(x2.data);
    step.forward();
    expectSame(step.outputs[0]!, noGrad(() => x2.matmul(w).sigmoid()).data, 'pred');
  });
});

describe("compileStep takes its buffers from the backend's allocate", () => {
  /** jsBackend plus an allocate that hands out views of one ArrayBuffer (as a backend with memory of its own does), remembered. */
  const spyBackend = (): Backend & RecordingAllocator => ({ name: 'allocate-spy', gemm: jsBackend.gemm, ...recordingAllocator({ memoryBytes: 1 << 20 }) });

  it('dispose() gives every buffer back once; a trace that does not compile gives them back at once', () => {
    const spy = spyBackend();
    const before = getBackend();
    setBackend(spy);
    try {
      const c = CASES['dense layer: matmul, bias row, relu, mse']!;
      const step = check(c.fn, c.x, c.params);
      expect(spy.released).toHaveLength(0);
      step.dispose();
      expect(new Set(spy.released)).toEqual(spy.made);
      expect(spy.released).toHaveLength(spy.made.size);
      step.dispose(); // a second dispose gives nothing back twice
      expect(spy.released).toHaveLength(spy.made.size);

      // refused after its buffers were made: the output asked for is not part of the trace
      const made = spy.made.size;
      const w = random([3, 4], true);
      const x = random([2, 3]);
      const { result, ops } = trace(() => x.matmul(w).sum());
      const refused = compileStep({ ops, loss: result, inputs: [x], params: [w], outputs: [random([2])] });
      expect('reason' in refused).toBe(true);
      expect(spy.made.size).toBeGreaterThan(made);
      expect(new Set(spy.released)).toEqual(spy.made);
    } finally {
      setBackend(before);
    }
  });

  it("forward() copies each parameter's numbers of the moment into its buffer, which the optimizer may read (step.params)", () => {
    const spy = spyBackend();
    const before = getBackend();
    setBackend(spy);
    try {
      const w = random([3, 40], true); // over 64 numbers (copied with set) and under (a loop)
      const b = random([1, 4], true);
      const x = random([2, 3]);
      const { result, ops } = trace(() => x.matmul(w).sum(1, true).add(b).sum());
      const step = compileStep({ ops, loss: result, inputs: [x], params: [w, b] });
      if ('reason' in step) throw new Error(step.reason);
      step.inputs[0]!.set(x.data);
      for (const [i, p] of [w, b].entries()) {
        expect(step.params[i], `parameter ${i}`).not.toBe(p.data);
        expect(spy.made.has(step.params[i]!)).toBe(true);
      }
      step.forward();
      expectSame(step.params[0]!, w.data, 'w after forward');
      expectSame(step.params[1]!, b.data, 'b after forward');
      const kept = step.params[1]!.slice();
      w.data.fill(0.5);
      b.data[2] = -7; // in place, without markModified
      expectSame(step.params[1]!, kept, 'b before the next forward (the numbers of the last one)');
      const eager = noGrad(() => x.matmul(w).sum(1, true).add(b).sum());
      expectSame([step.forward()], eager.data, 'loss after the parameters changed');
      expectSame(step.params[0]!, w.data, 'w after the next forward');
      expectSame(step.params[1]!, b.data, 'b after the next forward');
    } finally {
      setBackend(before);
    }
  });

  for (const [name, c] of Object.entries(CASES)) {
    it(name, () => {
      const spy = spyBackend();
      const before = getBackend();
      setBackend(spy);
      try {
        const step = check(c.fn, c.x, c.params, c.lo, c.hi);
        expect(spy.made.has(step.inputs[0]!), 'input buffer').toBe(true);
        // each parameter is copied into a buffer of the backend's at each forward (check() changes them in place between calls)
        for (const [i, p] of step.params.entries()) expect(spy.made.has(p), `parameter buffer ${i}`).toBe(true);
        step.forward();
        // (a primitive replayed through its rule, such as a batched matmul, allocates its own results)
        if (!name.includes('through the rule')) {
          for (const [i, g] of step.backward().entries()) if (g !== null) expect(spy.made.has(g), `gradient ${i}`).toBe(true);
        }
      } finally {
        setBackend(before);
      }
    });
  }
});

describe("compileStep runs a backend's StepKernels where they take the buffers", () => {
  /** StepKernels as plain loops (what a backend must compute), each call recorded by name; `take` decides which they accept. */
  function kernelsBackend(take: (name: keyof StepKernels) => boolean, write = true): Backend & { calls: string[] } {
    const calls: string[] = [];
    const run = (name: keyof StepKernels, loop: () => void) => {
      calls.push(name);
      if (!take(name)) return false;
      if (write) loop();
      return true;
    };
    const stepKernels: StepKernels = {
      addRow: (a, b, out, rows, cols) => run('addRow', () => { for (let i = 0; i < rows * cols; i++) out[i] = a[i]! + b[i % cols]!; }),
      relu: (x, y) => run('relu', () => { for (let i = 0; i < x.length; i++) y[i] = x[i]! < 0 ? 0 : x[i]!; }),
      reluBackward: (g, x, gx) => run('reluBackward', () => { for (let i = 0; i < g.length; i++) gx[i] = x[i]! <= 0 ? 0 : g[i]!; }),
      sumAxis: (x, outer, n, inner, out) =>
        run('sumAxis', () => {
          for (let o = 0; o < outer; o++) {
            for (let j = 0; j < inner; j++) {
              let s = 0;
              for (let r = 0; r < n; r++) s += x[(o * n + r) * inner + j]!;
              out[o * inner + j] = s;
            }
          }
        }),
    };
    return { name: 'step-kernels-spy', gemm: jsBackend.gemm, stepKernels, calls };
  }
  const dense = CASES['dense layer: matmul, bias row, relu, mse']!;
  const on = (backend: Backend, fn: () => void) => {
    const before = getBackend();
    setBackend(backend);
    try {
      fn();
    } finally {
      setBackend(before);
    }
  };

  it('a dense layer uses all four, and gives the eager bits', () => {
    const spy = kernelsBackend(() => true);
    on(spy, () => check(dense.fn, dense.x, dense.params));
    expect(new Set(spy.calls)).toEqual(new Set(['addRow', 'relu', 'reluBackward', 'sumAxis']));
  });

  it("a kernel that declines leaves the step to core's loop (same bits)", () => {
    for (const declined of ['addRow', 'relu', 'reluBackward', 'sumAxis'] as const) {
      const spy = kernelsBackend((name) => name !== declined);
      on(spy, () => check(dense.fn, dense.x, dense.params));
      expect(spy.calls, declined).toContain(declined);
    }
  });

  it('what an accepting kernel writes is the result (core does not run its loop as well)', () => {
    const lazy = kernelsBackend((name) => name === 'relu', false); // says yes to relu, writes nothing
    on(lazy, () => expect(() => check(dense.fn, dense.x, dense.params)).toThrow(/replayed/));
  });
});

describe('compileStep refuses what it cannot replay', () => {
  const w = random([2, 2], true);
  const x = random([3, 2]);
  it('an input computed outside the trace', () => {
    const h = x.matmul(w);
    const { result, ops } = trace(() => h.sum());
    expect(compileStep({ ops, loss: result, inputs: [x], params: [w] })).toEqual({ reason: "an input of 'sum' was computed outside the trace" });
  });
  it('a leaf needing a gradient that is not a parameter', () => {
    const v = random([2, 2], true);
    const { result, ops } = trace(() => x.matmul(w).mul(v.sum()).sum());
    expect(compileStep({ ops, loss: result, inputs: [x], params: [w] })).toEqual({ reason: "an input of 'sum' was computed outside the trace" });
  });
  it('a loss that is not one number, or does not depend on the parameters', () => {
    const a = trace(() => x.matmul(w));
    expect(compileStep({ ops: a.ops, loss: a.result, inputs: [x], params: [w] })).toHaveProperty('reason');
    const b = trace(() => x.sum());
    expect(compileStep({ ops: b.ops, loss: b.result, inputs: [x], params: [w] })).toHaveProperty('reason');
  });
  it('an intermediate that keeps its gradient, an input that requires one, a parameter that is not a leaf', () => {
    const a = trace(() => { const h = x.matmul(w); h.retainGrad(); return h.sum(); });
    expect(compileStep({ ops: a.ops, loss: a.result, inputs: [x], params: [w] })).toEqual({ reason: 'an intermediate array keeps its gradient (retainGrad)' });
    const b = trace(() => x.matmul(w).sum());
    expect(compileStep({ ops: b.ops, loss: b.result, inputs: [w], params: [] })).toHaveProperty('reason');
    expect(compileStep({ ops: b.ops, loss: b.result, inputs: [x], params: [w.mul(1)] })).toHaveProperty('reason');
  });
  it('traces do not nest', () => {
    expect(() => trace(() => trace(() => 1))).toThrow(/do not nest/);
  });
});
