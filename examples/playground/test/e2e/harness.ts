/**
 * The end-to-end harness: build the page with Vite into a temporary folder, serve it under a
 * path prefix (the site must work from any folder), start Debian's Chromium through
 * playwright-core, and give tests small helpers that drive the page through its data-testids.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type Page, chromium } from 'playwright-core';
import { build } from 'vite';
import { type StaticServer, serveDirectory } from '../static-server.js';

export const packageDir = fileURLToPath(new URL('../..', import.meta.url));
export const artifacts = join(packageDir, 'test-artifacts');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Served below a folder, not at the root: relative asset URLs are part of what is tested. */
export const PREFIX = '/some/folder/playground/';

export interface Harness {
  server: StaticServer;
  browser: Browser;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: run \`bash .ci/system-deps\` (installs Debian's chromium) or set CHROMIUM_PATH`);
  }
  // Built here, into a temporary directory: turbo runs `test` without this package's own `build`.
  const outDir = await mkdtemp(join(tmpdir(), 'smolml-playground-'));
  await build({ root: packageDir, mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const server = await serveDirectory(outDir, PREFIX);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    timeout: 60_000,
    // Without the background-networking flags Chromium keeps dialing out, which a closed network refuses.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await mkdir(artifacts, { recursive: true });
  return {
    server,
    browser,
    close: async () => {
      await browser.close();
      await server.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}

/** A page with the playground open (optionally with a hash), collecting page errors. */
export async function openPage(h: Harness, hash = ''): Promise<{ page: Page; errors: string[] }> {
  const page = await h.browser.newPage({ viewport: { width: 1440, height: 960 } });
  page.setDefaultTimeout(20_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(h.server.url + hash);
  await page.waitForSelector('[data-testid=network] [data-neuron]');
  return { page, errors };
}

export const tid = (id: string): string => `[data-testid="${id}"]`;

/** The number an element keeps in a data attribute (data-value by default); NaN when empty. */
export async function read(page: Page, id: string, attribute = 'value'): Promise<number> {
  const text = await page.$eval(tid(id), (el, a) => (el as HTMLElement).dataset[a] ?? '', attribute);
  return text === '' ? NaN : Number(text);
}

/** Sets a range slider as a user dragging it would: value, then input and change events. */
export async function setRange(page: Page, id: string, value: number): Promise<void> {
  await page.$eval(
    tid(id),
    (el, v) => {
      const input = el as HTMLInputElement;
      input.value = String(v);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new Event('change', { bubbles: true }));
    },
    value,
  );
}

export async function waitFor(page: Page, predicate: string, timeout = 30_000): Promise<void> {
  await page.waitForFunction(predicate, null, { timeout, polling: 50 });
}

/** Number of neurons and weights in the diagram. */
export async function counts(page: Page): Promise<{ neurons: number; weights: number }> {
  return {
    neurons: await page.locator(`${tid('network')} [data-neuron]`).count(),
    weights: await page.locator(`${tid('network')} [data-weight]`).count(),
  };
}

/** Weights expected for layer sizes [inputs, ...hidden, 1]. */
export function weightCount(sizes: number[]): number {
  let n = 0;
  for (let l = 0; l + 1 < sizes.length; l++) n += sizes[l]! * sizes[l + 1]!;
  return n;
}

export async function screenshot(page: Page, name: string, selector?: string): Promise<string> {
  const path = join(artifacts, `${name}.png`);
  if (selector === undefined) await page.screenshot({ path, fullPage: true });
  else await page.locator(selector).screenshot({ path });
  return path;
}
