/** setBackend refuses what cannot be a backend, and keeps the backend it had. */
import { afterEach, describe, expect, it } from 'vitest';
import { type Backend, MLArray, ValueError, getBackend, jsBackend, setBackend } from '../../src/index.js';

describe('setBackend', () => {
  afterEach(() => setBackend(jsBackend));

  const refuses = (value: unknown, message: string | RegExp) => {
    const before = getBackend();
    expect(() => setBackend(value as Backend)).toThrow(ValueError);
    expect(() => setBackend(value as Backend)).toThrow(message);
    expect(getBackend()).toBe(before); // unchanged: the next product still runs
    expect(MLArray.from([[1, 2]]).matmul(MLArray.from([[3], [4]])).item()).toBe(11);
  };

  it('refuses a Promise, saying to await it (createWasmBackend is async)', () => {
    refuses(Promise.resolve(jsBackend), 'setBackend: got a Promise, not a backend; creating a backend is asynchronous, so await it first');
  });

  it('refuses values that are not objects', () => {
    for (const v of [null, undefined, 'wasm', 3, () => jsBackend]) refuses(v, /^setBackend: a backend is an object with a name and a gemm function/);
  });

  it('refuses a backend without a string name or a gemm function, naming what is wrong', () => {
    refuses({ gemm: jsBackend.gemm }, "setBackend: a backend's name must be a string, got undefined");
    refuses({ name: 'mine' }, "setBackend: backend 'mine' has no gemm function (got undefined)");
    refuses({ name: 'mine', gemm: 'fast' }, "backend 'mine' has no gemm function");
  });

  it('refuses allocate, release or stepKernels of the wrong kind', () => {
    refuses({ name: 'mine', gemm: jsBackend.gemm, allocate: 4 }, "backend 'mine''s allocate must be a function or absent, got 4");
    refuses({ name: 'mine', gemm: jsBackend.gemm, release: {} }, /release must be a function or absent/);
    refuses({ name: 'mine', gemm: jsBackend.gemm, stepKernels: null }, /stepKernels must be an object with the functions addRow, relu, reluBackward, sumAxis \(or absent\); addRow, relu, reluBackward, sumAxis missing/);
    const relu = () => false;
    refuses({ name: 'mine', gemm: jsBackend.gemm, stepKernels: { relu, reluBackward: relu, addRow: relu } }, /; sumAxis missing$/);
  });

  it('refuses updateKernels that are not an object, or whose sgd or adam is not a function', () => {
    refuses({ name: 'mine', gemm: jsBackend.gemm, updateKernels: null }, "backend 'mine''s updateKernels must be an object whose sgd and adam are functions or absent (or absent itself); got null");
    refuses({ name: 'mine', gemm: jsBackend.gemm, updateKernels: () => 0 }, /updateKernels must be an object .*; got updateKernels \(function\)$/);
    refuses({ name: 'mine', gemm: jsBackend.gemm, updateKernels: { sgd: 1, adam: () => undefined } }, /updateKernels must be an object whose sgd and adam are functions or absent \(or absent itself\); sgd is 1$/);
    refuses({ name: 'mine', gemm: jsBackend.gemm, updateKernels: { adam: 'fast' } }, /; adam is "fast" \(string\)$/);
  });

  it('takes a backend with only a name and a gemm, and one with every optional part', () => {
    const plain: Backend = { name: 'plain', gemm: jsBackend.gemm };
    setBackend(plain);
    expect(getBackend()).toBe(plain);
    const no = () => false;
    const full: Backend = {
      name: 'full', gemm: jsBackend.gemm, allocate: (n) => new Float64Array(n), release: () => {},
      stepKernels: { addRow: no, relu: no, reluBackward: no, sumAxis: no },
      updateKernels: { sgd: () => undefined, adam: () => undefined },
    };
    setBackend(full);
    expect(getBackend()).toBe(full);
    const some: Backend = { name: 'some', gemm: jsBackend.gemm, updateKernels: { sgd: () => undefined } };
    setBackend(some); // each update kernel is optional
    expect(getBackend()).toBe(some);
  });
});
