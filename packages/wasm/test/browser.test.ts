/**
 * In real headless Chromium: threads run on Web Workers in a cross-origin isolated page (COOP +
 * COEP headers), with the same bits as the TypeScript kernels, the main thread spinning while it
 * waits; without the headers the backend falls back to one thread and says why. The package is
 * bundled from source by esbuild for the browser, so `#platform` resolves to platform-browser.ts.
 * Chromium comes from the system (`bash .ci/system-deps`); CHROMIUM_PATH picks another binary.
 * Without one the suite is skipped with a notice, except in CI.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const runE2E = existsSync(chromiumPath) || process.env.CI !== undefined;
if (!runE2E) console.warn(`@smolml/wasm browser test skipped: no Chromium at ${chromiumPath} (\`bash .ci/system-deps\` or set CHROMIUM_PATH)`);

/** What the page reports (see ENTRY). */
interface PageResult {
  isolated: boolean;
  threads: number;
  note: string | null;
  sameBits: boolean;
  float32Error: number;
  /** `fma: true` on 2 threads (Chromium has relaxed SIMD): what it reports, and C(0, 0) of a product that is -2^-60 only when fused */
  fma: boolean;
  fmaNote: string | null;
  fmaThreads: number;
  cancellation: number;
  /** a one-thread backend: whether allocate() gave shared memory, and the bits of a product on such arrays */
  oneShared: boolean;
  oneSameBits: boolean;
}

// The page's test: a 2-thread backend against the TypeScript kernels, then float32 on 2 threads,
// then fused multiply-adds on 2 threads, then one thread on arrays of its allocate().
const ENTRY = `
import { jsBackend } from '@smolml/core';
import { createWasmBackend } from './src/index.ts';
globalThis.runWasmTest = async () => {
  const [m, n, k] = [150, 140, 300];
  const a = Float64Array.from({ length: m * k }, (_, i) => Math.sin(i));
  const b = Float64Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.7));
  const want = new Float64Array(m * n);
  jsBackend.gemm(true, false, m, n, k, a, b, want, false);
  const two = await createWasmBackend({ threads: 2 });
  const got = new Float64Array(m * n);
  two.gemm(true, false, m, n, k, a, b, got, false);
  const { threads, threadsNote } = two;
  two.dispose();
  const f32 = await createWasmBackend({ threads: 2, precision: 'float32' });
  const single = new Float64Array(m * n);
  f32.gemm(true, false, m, n, k, a, b, single, false);
  f32.dispose();
  let float32Error = 0;
  for (let i = 0; i < m * n; i++) float32Error = Math.max(float32Error, Math.abs(single[i] - want[i]));
  const fused = await createWasmBackend({ threads: 2, fma: true, minWork: 0 });
  const s = 16, fa = new Float64Array(s * s), fb = new Float64Array(s * s), fc = new Float64Array(s * s);
  fa[0] = 1; fb[0] = -1; fa[1] = 1 + 2 ** -30; fb[s] = 1 - 2 ** -30;
  fused.gemm(false, false, s, s, s, fa, fb, fc, false);
  const fmaResult = { fma: fused.fma, fmaNote: fused.fmaNote ?? null, fmaThreads: fused.threads, cancellation: fc[0] };
  fused.dispose();
  const one = await createWasmBackend();
  const [oa, ob, oc] = [one.allocate(m * k), one.allocate(k * n), one.allocate(m * n)];
  oa.set(a);
  ob.set(b);
  one.gemm(true, false, m, n, k, oa, ob, oc, false);
  const oneResult = { oneShared: typeof SharedArrayBuffer === 'function' && oa.buffer instanceof SharedArrayBuffer, oneSameBits: oc.every((v, i) => Object.is(v, want[i])) };
  return { ...fmaResult, ...oneResult, isolated: globalThis.crossOriginIsolated === true, threads, note: threadsNote ?? null,
    sameBits: got.every((v, i) => Object.is(v, want[i])), float32Error };
};
`;

let server: Server | undefined;
let origin = '';
let browser: Browser | undefined;

describe.skipIf(!runE2E)('@smolml/wasm in headless Chromium', () => {
  beforeAll(async () => {
    if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}: run \`bash .ci/system-deps\` or set CHROMIUM_PATH`);
    const bundle = await build({
      stdin: { contents: ENTRY, resolveDir: packageDir, loader: 'ts' },
      bundle: true, platform: 'browser', format: 'esm', target: 'es2022', write: false, logLevel: 'silent',
      conditions: ['@smolml/source'],
    });
    const js = bundle.outputFiles[0]!.text;
    if (js.includes('worker_threads')) throw new Error('the browser bundle contains node:worker_threads');
    const html = '<!doctype html><meta charset="utf-8"><script type="module" src="bundle.js"></script>';
    server = createServer((req, res) => {
      // /isolated/ is served cross-origin isolated; /plain/ is not
      const isolated = req.url?.startsWith('/isolated/') === true;
      const headers = isolated ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {};
      if (req.url?.endsWith('/bundle.js')) res.writeHead(200, { ...headers, 'content-type': 'text/javascript' }).end(js);
      else if (req.url?.endsWith('/')) res.writeHead(200, { ...headers, 'content-type': 'text/html' }).end(html);
      else res.writeHead(404).end();
    });
    await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: chromiumPath,
      timeout: 60_000,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  });

  async function run(path: string): Promise<{ result: PageResult; errors: string[]; cores: number }> {
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${origin}${path}`);
    await page.waitForFunction(() => typeof (globalThis as { runWasmTest?: unknown }).runWasmTest === 'function');
    const result = await page.evaluate(() => (globalThis as unknown as { runWasmTest(): Promise<PageResult> }).runWasmTest());
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    await page.close();
    return { result, errors, cores };
  }

  it('a cross-origin isolated page runs products on Web Workers, with the bits of the TypeScript kernels', async () => {
    const { result, errors, cores } = await run('/isolated/');
    expect(errors).toEqual([]);
    expect(result.isolated).toBe(true);
    expect(result.threads).toBe(Math.min(2, cores));
    expect(result.note).toBe(cores < 2 ? 'using 1 thread: only 1 core is available' : null);
    expect(result.sameBits).toBe(true);
    expect(result.float32Error).toBeGreaterThan(0);
    expect(result.float32Error).toBeLessThan(1e-3);
    // Chromium has shipped relaxed SIMD since 114: the fused kernels run on the workers too
    expect([result.fma, result.fmaNote, result.fmaThreads]).toEqual([true, null, Math.min(2, cores)]);
    expect(result.cancellation).toBe(-(2 ** -60));
    // one thread runs on shared memory too: its allocate() arrays are read in place
    expect([result.oneShared, result.oneSameBits]).toEqual([true, true]);
  }, 90_000);

  it('a page that is not cross-origin isolated uses one thread and says why', async () => {
    const { result, errors } = await run('/plain/');
    expect(errors).toEqual([]);
    expect(result.isolated).toBe(false);
    expect(result.threads).toBe(1);
    expect(result.note).toMatch(/^using 1 thread: the page is not cross-origin isolated/);
    expect(result.sameBits).toBe(true);
    // no SharedArrayBuffer here: one thread's allocate() gives ordinary arrays, copied as before
    expect([result.oneShared, result.oneSameBits]).toEqual([false, true]);
  }, 90_000);
});
