// Finds the `@example` blocks of the TSDoc comments in packages/*/src (what editors show on hover
// and the API reference prints), for test/tsdoc.test.ts, which typechecks each one against the
// packages. A block is usually a fragment: the packages' exports (and its own file's) are in scope
// as if imported, and names it uses without defining (`net`, `X`, `loss`) stand for the reader's
// own values.
/* global process */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './extract.mjs';

/**
 * @typedef {object} Example
 * @property {string} file  path relative to the repository root
 * @property {number} line  1-based line of the `@example` tag
 * @property {string} code  the block's text, comment markers removed
 */

/** @param {string} dir @returns {string[]} */
function sourceFiles(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) return f === 'generated' ? [] : sourceFiles(p);
      return f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.generated.ts') ? [p] : [];
    });
}

/**
 * The `@example` blocks of one source text: the comment lines after the tag (without their
 * leading ` * `) up to the next tag or the end of the comment.
 * @param {string} file
 * @param {string} text
 * @returns {Example[]}
 */
export function extractExamples(file, text) {
  const lines = text.split('\n');
  /** @type {Example[]} */
  const examples = [];
  let inDoc = false;
  /** @type {Example | null} */
  let current = null;
  const close = () => {
    if (current !== null) {
      current.code = current.code.replace(/\s+$/, '');
      if (current.code !== '') examples.push(current);
    }
    current = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!inDoc) {
      if (/^\s*\/\*\*/.test(line) && !/\*\/\s*$/.test(line)) inDoc = true;
      continue;
    }
    const end = /\*\/\s*$/.test(line);
    const body = line.replace(/\*\/\s*$/, '').replace(/^\s*\* ?/, '').replace(/^\s*$/, '');
    if (/^@\w/.test(body)) {
      close();
      if (body.startsWith('@example')) current = { file, line: i + 1, code: body.slice('@example'.length).trim() };
    } else if (current !== null) {
      current.code += (current.code === '' ? '' : '\n') + body;
    }
    if (end) {
      close();
      inDoc = false;
    }
  }
  close();
  return examples;
}

/** Every `@example` of packages/*\/src, in file order. */
export function tsdocExamples() {
  const pkgs = join(repoRoot, 'packages');
  return readdirSync(pkgs)
    .sort()
    .flatMap((p) => (existsSync(join(pkgs, p, 'src')) ? sourceFiles(join(pkgs, p, 'src')) : []))
    .flatMap((f) => extractExamples(relative(repoRoot, f), readFileSync(f, 'utf8')));
}

if (process.argv[1] && process.argv[1].endsWith('tsdoc.mjs')) {
  for (const e of tsdocExamples()) process.stdout.write(`--- ${e.file}:${e.line}\n${e.code}\n`);
}
