/** Output files of the examples: paths shown relative to the caller, and writes that never leave half a file. */
import { renameSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

/**
 * `path` as the user can open it from where they typed the command: pnpm runs scripts inside the
 * package folder but records the caller's folder in INIT_CWD.
 */
export function displayPath(path: string, from: string = process.env.INIT_CWD ?? process.cwd()): string {
  const rel = relative(from, path);
  return rel === '' ? '.' : rel;
}

/** Writes to a temporary file, then renames it over `path`: a crash never leaves a half-written model. */
export function writeAtomically(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
