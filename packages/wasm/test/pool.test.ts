/** The worker pool on its own: jobs run on the shared memory, a trapped job is an Error, not a hang. */
import { afterAll, describe, expect, it } from 'vitest';
import { memoryFor, sharedModule } from '../src/module.js';
import { startPool } from '../src/pool.js';
import { KIND } from '../src/worker.js';

const shared = await sharedModule();
const kernels = await memoryFor(shared, 2, 256);
const pool = await startPool(shared, kernels.memory, 1);
afterAll(() => pool.dispose());

describe('startPool', () => {
  it('runs a job on a worker, in the shared memory', () => {
    const [m, n, k] = [8, 8, 8];
    const a = kernels.operands;
    const b = a + m * k * 8;
    const c = b + k * n * 8;
    kernels.memory.grow(1);
    const heap = kernels.memory.buffer;
    new Float64Array(heap, a, m * k).fill(2);
    new Float64Array(heap, b, k * n).fill(3);
    new Float64Array(heap, c, m * n).fill(1);
    pool.post(0, { kind: KIND.f64, transA: false, transB: false, m, n, k, a, lda: k, b, ldb: n, c, ldc: n, scratch: kernels.scratch(1), accumulate: true });
    pool.wait(0);
    expect([...new Float64Array(kernels.memory.buffer, c, m * n)]).toEqual(new Array(m * n).fill(1 + 8 * 6));
  });

  it('reports a job that traps as an Error and keeps serving', () => {
    const outside = kernels.memory.buffer.byteLength + 65536; // past the end of memory
    const job = { kind: KIND.f64, transA: false, transB: false, m: 8, n: 8, k: 8, a: outside, lda: 8, b: outside, ldb: 8, c: outside, ldc: 8, scratch: kernels.scratch(1), accumulate: false } as const;
    pool.post(0, job);
    expect(() => pool.wait(0)).toThrow(/worker 0 trapped/);
    pool.post(0, { ...job, a: kernels.operands, b: kernels.operands, c: kernels.operands + 1024 });
    expect(() => pool.wait(0)).not.toThrow();
  });

  it('refuses jobs once disposed', async () => {
    const other = await startPool(shared, kernels.memory, 1);
    other.dispose();
    other.dispose();
    expect(() => other.post(0, { kind: KIND.stop } as never)).toThrow(/disposed/);
  });
});
