/**
 * Where threads cannot run, the backend uses one thread and says why. The browser platform is
 * tested here with stand-ins for the page's globals; the backend's fallback with a platform
 * that reports no thread support.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsBackend } from '@smolml/core';
import { platform as browser } from '../src/platform-browser.js';
import { platform as node } from '../src/platform-node.js';
import { firstDifference, product } from './helpers.js';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.doUnmock('#platform');
  vi.doUnmock('../src/module.js');
  vi.resetModules();
});

describe('platform-browser', () => {
  it('refuses threads without Web Workers', () => {
    vi.stubGlobal('Worker', undefined);
    expect(browser.threadSupport()).toMatch(/Web Workers are not available/);
  });

  it('refuses threads in a page that is not cross-origin isolated', () => {
    vi.stubGlobal('Worker', class {});
    vi.stubGlobal('crossOriginIsolated', false);
    expect(browser.threadSupport()).toMatch(/not cross-origin isolated.*Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp/);
  });

  it('allows threads in a cross-origin isolated page, and counts its cores', () => {
    vi.stubGlobal('Worker', class {});
    vi.stubGlobal('crossOriginIsolated', true);
    expect(browser.threadSupport()).toBeUndefined();
    vi.stubGlobal('navigator', { hardwareConcurrency: 6 });
    expect(browser.cores()).toBe(6);
    vi.stubGlobal('navigator', undefined);
    expect(browser.cores()).toBe(1);
  });
});

describe('platform-node', () => {
  it('supports threads in Node', () => {
    expect(node.threadSupport()).toBeUndefined();
    expect(node.cores()).toBeGreaterThanOrEqual(1);
  });
});

describe('dispose()', () => {
  it('terminates every worker it started, once, and keeps computing the same bits on one thread', async () => {
    const spawned: string[] = [];
    vi.doMock('#platform', () => ({
      platform: {
        ...node,
        cores: () => 4, // so 3 threads are granted on a 2-core machine too
        spawn(source: string) {
          const worker = node.spawn(source);
          const id = spawned.length;
          spawned.push('running');
          return { ...worker, terminate: () => { spawned[id] = spawned[id] === 'running' ? 'terminated' : 'terminated twice'; worker.terminate(); } };
        },
      },
    }));
    const { createWasmBackend } = await import('../src/index.js');
    const backend = await createWasmBackend({ threads: 3, minWork: 0 });
    expect(backend.threads).toBe(3);
    const want = product(jsBackend, [200, 150, 300], false, true, false);
    expect(firstDifference(product(backend, [200, 150, 300], false, true, false), want)).toBe(-1);
    expect(spawned).toEqual(['running', 'running']);
    backend.dispose();
    backend.dispose();
    expect(spawned).toEqual(['terminated', 'terminated']);
    expect(backend.threads).toBe(1);
    expect(firstDifference(product(backend, [200, 150, 300], false, true, false), want)).toBe(-1);
  });
});

/** An engine without WebAssembly threads: the shared-memory build of the kernels does not compile. */
function mockNoWasmThreads(): void {
  vi.doMock('../src/module.js', async (original) => ({
    ...(await original<typeof import('../src/module.js')>()),
    sharedModule: () => Promise.reject(new Error('CompileError: shared memory needs the threads feature')),
  }));
}

describe('createWasmBackend without thread support', () => {
  it('uses one thread, says why, and computes the same numbers', async () => {
    vi.doMock('#platform', () => ({
      platform: { ...node, threadSupport: () => 'the page is not cross-origin isolated (test)' },
    }));
    const { createWasmBackend } = await import('../src/index.js');
    const backend = await createWasmBackend({ threads: 2, minWork: 0 });
    expect(backend.threads).toBe(1);
    expect(backend.threadsNote).toBe('using 1 thread: the page is not cross-origin isolated (test)');
    expect(firstDifference(product(backend, [120, 130, 140], false, false, false), product(jsBackend, [120, 130, 140], false, false, false))).toBe(-1);
  });

  it('uses one thread when only one core is available', async () => {
    vi.doMock('#platform', () => ({ platform: { ...node, cores: () => 1 } }));
    const { createWasmBackend } = await import('../src/index.js');
    const backend = await createWasmBackend({ threads: 4 });
    expect([backend.threads, backend.threadsNote]).toEqual([1, 'using 1 thread: only 1 core is available']);
  });

  it('uses one thread when the engine has no WebAssembly threads (shared memory)', async () => {
    mockNoWasmThreads();
    const { createWasmBackend } = await import('../src/index.js');
    const backend = await createWasmBackend({ threads: 2 });
    expect(backend.threads).toBe(1);
    expect(backend.threadsNote).toMatch(/^using 1 thread: WebAssembly threads \(shared memory\) are not available here \(.*threads feature/);
  });

  it('without WebAssembly threads, one thread runs on an ordinary memory: ordinary arrays, no StepKernels, the same bits', async () => {
    mockNoWasmThreads();
    const { createWasmBackend } = await import('../src/index.js');
    const backend = await createWasmBackend({ minWork: 0 });
    expect([backend.threads, backend.threadsNote, backend.stepKernels]).toEqual([1, undefined, undefined]);
    const x = backend.allocate(10_000);
    expect(x.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect(x.every((v) => v === 0)).toBe(true);
    expect(firstDifference(product(backend, [120, 130, 140], true, false, true), product(jsBackend, [120, 130, 140], true, false, true))).toBe(-1);
  });

  it('a page without SharedArrayBuffer gets one thread on an ordinary memory', async () => {
    vi.stubGlobal('SharedArrayBuffer', undefined);
    vi.doMock('#platform', () => ({
      platform: { ...node, threadSupport: () => 'the page is not cross-origin isolated (test)' },
    }));
    const { createWasmBackend } = await import('../src/index.js');
    const backend = await createWasmBackend({ minWork: 0 });
    expect([backend.threads, backend.stepKernels]).toEqual([1, undefined]);
    const x = backend.allocate(10_000);
    expect(Object.prototype.toString.call(x.buffer)).toBe('[object ArrayBuffer]');
    expect(firstDifference(product(backend, [120, 130, 140], false, true, false), product(jsBackend, [120, 130, 140], false, true, false))).toBe(-1);
  });

  it('uses one thread when workers fail to start', async () => {
    vi.doMock('#platform', () => ({
      platform: { ...node, spawn: (source: string) => node.spawn(`throw new Error('no workers here');\n${source}`) },
    }));
    const { createWasmBackend } = await import('../src/index.js');
    const backend = await createWasmBackend({ threads: 2 });
    expect(backend.threads).toBe(1);
    expect(backend.threadsNote).toMatch(/^using 1 thread: worker threads could not start \(.*no workers here/);
  });
});
