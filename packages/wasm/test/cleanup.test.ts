/**
 * Worker cleanup: a process that imports @smolml/wasm, or creates a backend with or without
 * threads (disposed or not), exits by itself. Each case runs the built package (dist/) in a
 * child Node process; a process kept alive by a worker would hit the timeout and fail.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const child = fileURLToPath(new URL('./fixtures/child.mjs', import.meta.url));

function run(mode: string): { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  // generous: the machine may be busy; a process kept alive by a worker never exits at all
  const r = spawnSync(process.execPath, [child, mode], { cwd: root, encoding: 'utf8', timeout: 45_000 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

describe('process exit', () => {
  it('a process that only imports the package exits cleanly', () => {
    const r = run('import');
    expect(r, r.stderr).toMatchObject({ status: 0, signal: null });
    expect(r.stdout).toBe('import done\n');
  });

  it('a process with a one-thread backend exits cleanly', () => {
    const r = run('one');
    expect(r, r.stderr).toMatchObject({ status: 0, signal: null });
    expect(r.stdout).toBe('threads 1\none done\n');
  });

  it('a process with a two-thread backend exits without dispose() (idle workers do not keep it alive)', () => {
    const r = run('two');
    expect(r, r.stderr).toMatchObject({ status: 0, signal: null });
    expect(r.stdout).toMatch(/^threads [12]\ntwo done\n$/);
  });

  it('dispose() terminates the workers and the process exits', () => {
    const r = run('two-dispose');
    expect(r, r.stderr).toMatchObject({ status: 0, signal: null });
    expect(r.stdout).toMatch(/^threads [12]\ntwo-dispose done\n$/);
  });
});
