/**
 * Runs every runnable code block of the documentation (docs/*.md, README.md,
 * packages/*\/README.md) as its own ES module, on the workspace packages' sources. A block fails
 * when it throws, when a `// prints:` comment disagrees with what its console.log printed, or
 * when it does not finish within the test timeout. See src/extract.mjs for the conventions.
 */
import { format } from 'node:util';
import { pathToFileURL } from 'node:url';
import { jsBackend, setBackend } from '@smolml/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dirname, join } from 'node:path';
import { generatedPath, generatedRoot, repoRoot, writeBlocks } from '../src/extract.mjs';

const dir = join(generatedRoot, 'test');
const blocks = writeBlocks(dir);
let printed: string[] = [];

globalThis.__docsExpect = (where: string, expected: string): void => {
  const actual = printed[printed.length - 1];
  if (actual !== expected) {
    const want = expected.split('\n');
    const got = (actual ?? '').split('\n');
    const line = want.findIndex((l, i) => l !== got[i]);
    const first = line === -1 ? got.length : line;
    throw new Error(
      `${where}: the doc says this prints\n${expected}\nbut it printed\n${actual ?? '(nothing)'}\n` +
        `(first difference in output line ${first + 1}: expected ${JSON.stringify(want[first])}, got ${JSON.stringify(got[first])})`,
    );
  }
};

beforeEach(() => {
  printed = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    printed.push(format(...args));
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  // A block may switch core's process-wide backend (e.g. to @smolml/wasm); the next starts clean.
  setBackend(jsBackend);
});

describe('documentation code blocks', () => {
  it('finds the documentation and its code', () => {
    const files = new Set(blocks.map((b) => b.file));
    expect(files).toContain('README.md');
    expect(blocks.filter((b) => !b.skip).length).toBeGreaterThan(0);
  });

  for (const block of blocks) {
    const name = `${block.file}:${block.line}`;
    if (block.skip) {
      it.skip(`${name} (marked not runnable)`, () => {});
      continue;
    }
    it(name, async () => {
      // A block runs in the folder of its markdown file, so `readFileSync('assets/model.onnx')`
      // in docs/x.md reads docs/assets/model.onnx, as it would for a reader next to the guide.
      const cwd = process.cwd();
      process.chdir(dirname(join(repoRoot, block.file)));
      try {
        await import(pathToFileURL(generatedPath(block, dir)).href);
      } catch (e) {
        if (e instanceof Error && !e.message.startsWith(block.file)) e.message = `${name}: ${e.message}`;
        throw e;
      } finally {
        process.chdir(cwd);
      }
      // ONNX Runtime compiles its 14 MB WebAssembly module on first use: seconds, many more on a busy machine.
    }, /from 'onnxruntime-web'/.test(block.code) ? 120_000 : undefined);
  }
});
