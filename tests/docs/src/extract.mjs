// Finds every ```ts / ```js code block of the documentation and writes each one as a module
// under tests/docs/.generated/: test/ for vitest, which runs them (test/docs.test.ts), and
// typecheck/ for tsc (`pnpm typecheck`). Run directly (`node src/extract.mjs`) it writes the
// typecheck/ files and prints a summary.
//
// Which files: docs/**/*.md (not docs/api), README.md, packages/*/README.md.
// Which blocks run: fences tagged ts, typescript, js, javascript, mjs or mts. Every block is a
// complete program (its own imports). A block opts out with a `skip` word in its info string
// (```ts skip) or a `<!-- no-run -->` line right above the fence; shell, json, text... never run.
//
// Output checks: `console.log(x); // prints: 3` asserts what that line prints. For several
// lines, end the console.log line with `// prints:` and write the output as the `//` comment
// lines that follow it.
/* global process, console */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Where blocks are written: one folder per consumer, so vitest and tsc never race on files. */
export const generatedRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '.generated');

/** @type {Map<string, 'ts' | 'mjs'>} */
const RUNNABLE = new Map([
  ['ts', 'ts'],
  ['typescript', 'ts'],
  ['mts', 'ts'],
  ['js', 'mjs'],
  ['javascript', 'mjs'],
  ['mjs', 'mjs'],
]);

/**
 * @typedef {object} Block
 * @property {string} file   path relative to the repository root
 * @property {number} line   1-based line of the opening fence
 * @property {string} lang   the fence's language word
 * @property {string} code   the block's text
 * @property {boolean} skip  marked as not runnable
 * @property {'ts' | 'mjs'} ext
 */

/** @param {string} dir @returns {string[]} */
function markdownFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) return f === 'api' || f === 'node_modules' ? [] : markdownFiles(p);
      return f.endsWith('.md') ? [p] : [];
    });
}

/** The documentation files whose code blocks are tested, relative to the repository root. */
export function documentationFiles() {
  const files = [join(repoRoot, 'README.md'), ...markdownFiles(join(repoRoot, 'docs'))];
  const pkgs = join(repoRoot, 'packages');
  for (const p of readdirSync(pkgs).sort()) {
    const readme = join(pkgs, p, 'README.md');
    if (existsSync(readme)) files.push(readme);
  }
  return files.map((f) => relative(repoRoot, f));
}

/**
 * The runnable-language code blocks of one markdown text.
 * @param {string} file
 * @param {string} text
 * @returns {Block[]}
 */
export function extractBlocks(file, text) {
  const lines = text.split('\n');
  /** @type {Block[]} */
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)(.*)$/.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indent = '', fence = '```', lang = '', rest = ''] = open;
    let end = i + 1;
    while (end < lines.length && !(lines[end] ?? '').trim().startsWith(fence)) end++;
    if (end >= lines.length) throw new Error(`${file}:${i + 1}: code block is not closed`);
    const ext = RUNNABLE.get(lang.toLowerCase());
    if (ext) {
      let prev = i - 1;
      while (prev >= 0 && (lines[prev] ?? '').trim() === '') prev--;
      const marked = prev >= 0 && /^<!--\s*no-run\s*-->$/.test((lines[prev] ?? '').trim());
      const skip = marked || /\b(skip|no-run)\b/.test(rest);
      const code = lines
        .slice(i + 1, end)
        .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
        .join('\n');
      blocks.push({ file, line: i + 1, lang, code, skip, ext });
    }
    i = end;
  }
  return blocks;
}

/**
 * Rewrites `console.log(...); // prints: ...` lines into a console.log followed by a check of
 * what it printed (see test/docs.test.ts for `__docsExpect`).
 * @param {Block} block
 */
export function instrument(block) {
  const lines = block.code.split('\n');
  /** @type {string[]} */
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const m = /^(\s*)(console\.log\(.*\);?)\s*\/\/\s*prints:(.*)$/.exec(line);
    if (!m) {
      out.push(line);
      continue;
    }
    const [, indent = '', call = '', inline = ''] = m;
    let expected = inline.trim();
    const docLine = block.line + 1 + i;
    const kept = [];
    if (expected === '') {
      // multi-line: the following `//` lines hold the output
      const more = [];
      while (i + 1 < lines.length && /^\s*\/\/( |$)/.test(lines[i + 1] ?? '')) {
        i++;
        more.push((lines[i] ?? '').replace(/^\s*\/\/ ?/, ''));
        kept.push(lines[i] ?? '');
      }
      if (more.length === 0) throw new Error(`${block.file}:${docLine}: "// prints:" is followed by no output lines`);
      expected = more.join('\n');
    }
    out.push(`${indent}${call} __docsExpect(${JSON.stringify(`${block.file}:${docLine}`)}, ${JSON.stringify(expected)});`, ...kept);
  }
  return out.join('\n');
}

/**
 * @param {Block} block
 * @param {string} dir
 */
export function generatedPath(block, dir) {
  const slug = block.file.replace(/[\\/]/g, '__');
  return join(dir, slug, `L${String(block.line).padStart(4, '0')}.${block.ext}`);
}

/**
 * Writes every runnable block under `dir` (cleared first) and returns all blocks.
 * @param {string} dir
 */
export function writeBlocks(dir) {
  rmSync(dir, { recursive: true, force: true });
  const all = [];
  for (const file of documentationFiles()) {
    for (const block of extractBlocks(file, readFileSync(join(repoRoot, file), 'utf8'))) {
      all.push(block);
      if (block.skip) continue;
      const path = generatedPath(block, dir);
      mkdirSync(dirname(path), { recursive: true });
      // Line n of the file is line (fence + n) of the markdown: the note goes at the end.
      const note = `// Generated from ${block.file}:${block.line} by tests/docs/src/extract.mjs; edit the markdown, not this file.`;
      writeFileSync(path, `${instrument(block)}\nexport {};\n${note}\n`);
    }
  }
  return all;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = join(generatedRoot, 'typecheck');
  const blocks = writeBlocks(dir);
  const skipped = blocks.filter((b) => b.skip);
  console.log(
    `docs: ${blocks.length - skipped.length} runnable code blocks written to ${relative(repoRoot, dir)}/, ` +
      `${skipped.length} marked not runnable${skipped.length ? ': ' + skipped.map((b) => `${b.file}:${b.line}`).join(', ') : ''}`,
  );
}
