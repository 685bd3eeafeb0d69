/**
 * The backend's StepKernels (src/step-kernels.ts, assembly/loops.ts) against core's own numbers:
 * the eager ops on the TypeScript backend (relu, its gradient, a bias added to every row, a sum
 * over an axis), bit for bit, on any doubles (NaN, -0, Infinity, subnormals) and lengths that
 * leave a tail after the two-number vectors, whole or cut across two threads. They take only
 * arrays of allocate() (in the shared memory of a backend, on one thread or more) and decline the
 * others, and outputs that partly overlap an input.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MLArray, type StepKernels, jsBackend } from '@smolml/core';
import { createWasmBackend } from '../src/index.js';
import { createWasmBackendWith } from '../src/backend.js';
import { expectSameBits, onBackend } from './helpers.js';

const two = await createWasmBackend({ threads: 2 });
// every loop over a single number or more cut across the threads (loop-team.ts), in parts of 8 numbers or rows and up
const cut = await createWasmBackendWith({ threads: 2 }, { loopMinNumbers: 1 });
const one = await createWasmBackend();
afterAll(() => [two, cut].forEach((b) => b.dispose()));
const shared = typeof SharedArrayBuffer === 'function'; // always in Node; platform.test.ts covers engines without

/** Core's numbers: `fn` run eagerly on the TypeScript backend. */
const onJs = <T>(fn: () => T): T => onBackend(jsBackend, fn);


// Any double: NaN, +-0, +-Infinity, subnormals and ordinary numbers. allocate() hands out
// ordinary arrays under 4 KiB, so placed arrays hold at least 512 numbers.
const values = (min: number, max: number) => fc.array(fc.double(), { minLength: min, maxLength: max }).map((xs) => Float64Array.from(xs));

for (const [label, backend] of [['two threads', two], ['two threads, every loop cut across them', cut]] as const) describe.runIf(shared)(`StepKernels of a backend on shared memory (${label})`, () => {
  const kernels = backend.stepKernels as StepKernels;
  /** An array of this backend's allocate() holding `values`. */
  const placed = (values: Float64Array): Float64Array => {
    const out = backend.allocate(values.length);
    out.set(values);
    return out;
  };

  it('relu: x < 0 ? 0 : x, as core (NaN and -0 pass through), also in place', () => {
    fc.assert(
      fc.property(values(512, 1100), (xs) => {
        const expected = onJs(() => new MLArray(xs.slice(), [xs.length]).relu().data);
        const x = placed(xs);
        const y = backend.allocate(xs.length);
        expect(kernels.relu(x, y)).toBe(true);
        expectSameBits(y, expected, 'relu');
        expectSameBits(x, xs, 'relu leaves x');
        expect(kernels.relu(x, x)).toBe(true);
        expectSameBits(x, expected, 'relu in place');
      }),
      { numRuns: 40 },
    );
  });

  it("reluBackward: x <= 0 ? 0 : g, as core's gradient of relu", () => {
    fc.assert(
      fc.property(values(512, 1100).chain((xs) => fc.tuple(fc.constant(xs), values(xs.length, xs.length))), ([xs, gs]) => {
        const expected = onJs(() => {
          const x = new MLArray(xs.slice(), [xs.length], true);
          x.relu().mul(new MLArray(gs.slice(), [gs.length])).sum().backward();
          return x.grad!.data;
        });
        const gx = backend.allocate(xs.length);
        expect(kernels.reluBackward(placed(gs), placed(xs), gx)).toBe(true);
        expectSameBits(gx, expected, 'relu backward');
      }),
      { numRuns: 40 },
    );
  });

  it('addRow: a bias added to every row, as core broadcasts it (the bias may be an ordinary array)', () => {
    const shapes = fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 67 })).filter(([rows, cols]) => rows * cols >= 512);
    fc.assert(
      fc.property(shapes.chain(([rows, cols]) => fc.tuple(fc.constant(rows), fc.constant(cols), values(rows * cols, rows * cols), values(cols, cols))), ([rows, cols, as, bs]) => {
        const expected = onJs(() => new MLArray(as.slice(), [rows, cols]).add(new MLArray(bs.slice(), [cols])).data);
        const out = backend.allocate(rows * cols);
        expect(kernels.addRow(placed(as), bs, out, rows, cols)).toBe(true);
        expectSameBits(out, expected, `addRow ${rows} x ${cols}`);
      }),
      { numRuns: 40 },
    );
  });

  it('sumAxis: every sum from 0 in order of the rows, as core sums an axis', () => {
    const shapes = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 300 })).filter(([o, n, i]) => o * n * i >= 512 && o * i >= 512);
    fc.assert(
      fc.property(shapes.chain(([o, n, i]) => fc.tuple(fc.constant([o, n, i] as const), values(o * n * i, o * n * i))), ([[outer, n, inner], xs]) => {
        const expected = onJs(() => new MLArray(xs.slice(), [outer, n, inner]).sum(1).data);
        const out = backend.allocate(outer * inner).fill(NaN);
        expect(kernels.sumAxis(placed(xs), outer, n, inner, out)).toBe(true);
        expectSameBits(out, expected, `sumAxis ${outer} x ${n} x ${inner}`);
      }),
      { numRuns: 40 },
    );
  });

  it('declines ordinary arrays and outputs that partly overlap an input, leaving them untouched', () => {
    const n = 1000;
    const plain = new Float64Array(n).fill(-1);
    const x = placed(new Float64Array(n).fill(-1));
    const y = backend.allocate(n).fill(7);
    expect(kernels.relu(plain, y)).toBe(false);
    expect(kernels.relu(x, new Float64Array(n))).toBe(false);
    expect(kernels.reluBackward(x, x, plain)).toBe(false);
    expect(kernels.addRow(plain, x, y, 10, 100)).toBe(false);
    expect(kernels.sumAxis(plain, 1, 10, 100, y)).toBe(false);
    // views of one array of allocate(), one number apart
    const big = backend.allocate(n + 1).fill(-1);
    const [head, tail] = [big.subarray(0, n), big.subarray(1)];
    expect(kernels.relu(head, tail)).toBe(false);
    expect(kernels.reluBackward(head, x, tail)).toBe(false);
    expect(kernels.addRow(head, x.subarray(0, 100), tail, 10, 100)).toBe(false);
    expect(kernels.addRow(x, head.subarray(0, 100), big.subarray(50, 50 + n), 10, 100)).toBe(false); // the bias overlaps out
    expect(kernels.sumAxis(head, 1, 10, 100, tail.subarray(0, 100))).toBe(false);
    expect(kernels.relu(x, y.subarray(0, n - 1))).toBe(false); // too short
    expect(kernels.sumAxis(x, 1, 11, 100, y)).toBe(false); // x holds 10 rows of 100, not 11
    expect([...y.subarray(0, 3)]).toEqual([7, 7, 7]);
    expect(big.every((v) => v === -1)).toBe(true);
  });
});

it.runIf(shared)('a backend on one thread has StepKernels too (its memory is shared), with the same bits', () => {
  const ones = one.stepKernels as StepKernels;
  expect(ones).toBeDefined();
  const xs = Float64Array.from({ length: 1001 }, (_, i) => (i % 7) - 3.5 + (i % 3 === 0 ? -0 : 0));
  const x = one.allocate(xs.length);
  x.set(xs);
  const y = one.allocate(xs.length);
  expect(ones.relu(x, y)).toBe(true);
  expectSameBits(y, onJs(() => new MLArray(xs.slice(), [xs.length]).relu().data), 'relu on one thread');
  const other = two.allocate(xs.length);
  other.set(xs);
  expect(ones.relu(other, y)).toBe(false); // an array of another backend's memory is declined
});
