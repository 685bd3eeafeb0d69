/**
 * The `pairs` case: ratios measured by interleaving (see PairSpec in workloads.ts). Each side of
 * a pair is its own process, prepared once, that runs one repetition whenever it reads a line:
 * `node dist/case.js serve ...` for smolml (one backend per process, as a user has it: two WASM
 * backends alternating in one process slow the threaded one down), `anchors.py serve ...` for
 * PyTorch. This process only asks each side in turn and takes the ratio of every round.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { GEMM_N, GEMM_PER_REP, IMPLS, type Impl, PAIRS, type PairResult, type PairSpec, RESULT_MARK, type Rep, WORKLOADS, type Warmup, nodeArgs } from './workloads.js';

const caseScript = fileURLToPath(new URL('./case.js', import.meta.url));
const anchorScript = fileURLToPath(new URL('../python/anchors.py', import.meta.url));

/** One side of a pair: a process that runs a repetition per request. */
interface Side {
  rep(): Promise<Rep>;
  close(): void;
}

/** Starts a serving process and waits until it has prepared its case (its first result line). */
async function startSide(what: string, command: string, args: string[]): Promise<Side> {
  const child: ChildProcessWithoutNullStreams = spawn(command, args);
  child.stderr.pipe(process.stderr);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    for (;;) {
      const { value, done } = await lines.next();
      if (done) throw new Error(`pairs: ${what} ended early (exit code ${child.exitCode})`);
      if (value.startsWith(RESULT_MARK)) return value.slice(RESULT_MARK.length);
    }
  };
  await next();
  return {
    async rep() {
      child.stdin.write('rep\n');
      return JSON.parse(await next()) as Rep;
    },
    close: () => child.stdin.end(),
  };
}

function side(workload: PairSpec['workload'], impl: Impl, torchPython: string | undefined): Promise<Side> {
  if (IMPLS[impl].family === 'python') {
    return startSide(`anchors.py serve ${impl}`, torchPython!, [anchorScript, 'serve', workload, impl, String(GEMM_N), String(GEMM_PER_REP)]);
  }
  return startSide(`case.js serve ${workload} ${impl}`, process.execPath, [...nodeArgs(impl), caseScript, 'serve', workload, impl]);
}

/**
 * Two one-thread W4 processes: `scaling()` runs a repetition on each alone, one before and one
 * after a repetition on both at once, and returns the sum of their speeds at once over the mean
 * speed alone (taking the time alone on both sides of the pair cancels a drift of the machine).
 */
interface Probe {
  scaling(round: number): Promise<number>;
  close(): void;
}

async function startProbe(): Promise<Probe> {
  const [p, q] = await Promise.all([side('w4-gemm', 'smolml-wasm', undefined), side('w4-gemm', 'smolml-wasm', undefined)]);
  const together = async () => (await Promise.all([p.rep(), q.rep()])).map((r) => r.seconds);
  return {
    async scaling(round) {
      const [first, second] = round % 2 === 0 ? [p, q] : [q, p];
      const before = (await first.rep()).seconds;
      const both = await together();
      const after = (await second.rep()).seconds;
      const solo = (before + after) / 2;
      return both.reduce((sum, s) => sum + solo / s, 0);
    },
    close() {
      p.close();
      q.close();
    },
  };
}

/** Rounds of a then b (b then a in odd rounds): the warm-up rule, then `spec.rounds` timed ones. */
async function measure(spec: PairSpec, a: Side, b: Side, warmup: Warmup | undefined, probe?: Probe): Promise<PairResult> {
  let identical = spec.sameLoss ? true : undefined;
  /** `repsPerRound` repetitions of one side: their seconds, and the last one's loss */
  const block = async (side: Side): Promise<{ seconds: number; loss: number | undefined }> => {
    let seconds = 0;
    let loss: number | undefined;
    for (let i = 0; i < (spec.repsPerRound ?? 1); i++) {
      const rep = await side.rep();
      seconds += rep.seconds;
      loss = rep.extra?.loss;
    }
    return { seconds, loss };
  };
  const round = async (r: number): Promise<number> => {
    let ra: Awaited<ReturnType<typeof block>>;
    let rb: Awaited<ReturnType<typeof block>>;
    if (r % 2 === 0) {
      ra = await block(a);
      rb = await block(b);
    } else {
      rb = await block(b);
      ra = await block(a);
    }
    if (identical !== undefined && !Object.is(ra.loss, rb.loss)) identical = false;
    return rb.seconds / ra.seconds; // speed of a / speed of b on the same work
  };
  const start = performance.now();
  let warmupRounds = 0;
  for (;;) {
    await round(warmupRounds++);
    const s = (performance.now() - start) / 1000;
    if (!warmup || s >= warmup.maxSeconds || (s >= warmup.seconds && warmupRounds >= warmup.reps)) break;
  }
  const ratios: number[] = [];
  const machine: number[] = [];
  for (let r = 0; r < spec.rounds; r++) {
    ratios.push(await round(r));
    if (probe) machine.push(await probe.scaling(r));
  }
  return { id: spec.id, ratios, warmupRounds, ...(identical !== undefined ? { identical } : {}), ...(probe ? { machine } : {}) };
}

/**
 * Every pair of PAIRS; the PyTorch pair only when `torchPython` (an interpreter with torch) is
 * given. Progress goes to stderr.
 */
export async function pairedRatios(torchPython: string | undefined): Promise<PairResult[]> {
  const out: PairResult[] = [];
  // SMOLML_BENCH_PAIRS=w1-brainjs,w4-threads runs only those (for a quick look; main.ts sets nothing)
  const only = process.env.SMOLML_BENCH_PAIRS?.split(',');
  for (const spec of PAIRS) {
    if (only && !only.includes(spec.id)) continue;
    if (IMPLS[spec.b].family === 'python' && torchPython === undefined) continue;
    const [a, b, probe] = await Promise.all([
      side(spec.workload, spec.a, torchPython), side(spec.workload, spec.b, torchPython), spec.probe ? startProbe() : undefined,
    ]);
    try {
      // the workload's warm-up rule (W1, W4), else one round
      const r = await measure(spec, a, b, WORKLOADS.find((w) => w.id === spec.workload)!.warmup, probe);
      const machine = r.machine ? ` (machine ${r.machine.map((x) => x.toFixed(2)).join(' ')})` : '';
      process.stderr.write(`${spec.id} ${r.ratios.map((x) => x.toFixed(2)).join(' ')}${machine}; `);
      out.push(r);
    } finally {
      a.close();
      b.close();
      probe?.close();
    }
  }
  return out;
}
