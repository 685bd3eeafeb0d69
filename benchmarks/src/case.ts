/**
 * Runs ONE benchmark case in this process and prints its result as a JSON line:
 *   node --expose-gc dist/case.js <workload> <impl>
 * (or, as one side of an interleaved pair, `node dist/case.js serve <workload> <impl>`)
 * main.ts starts one such process per case, so JIT state, heaps and backends never mix.
 */
import { createInterface } from 'node:readline';
import { type Bench, type CaseResult, IMPLS, type Impl, RESULT_MARK, type Rep, WORKLOADS, type WorkloadId } from './workloads.js';

/**
 * `node dist/case.js serve <workload> <impl>`: one side of an interleaved pair (paired.ts).
 * Prepares the case, prints a result line with its info, then runs one repetition for each
 * line read from stdin and prints it as a result line, until stdin closes.
 */
async function serve(workload: WorkloadId, impl: Impl): Promise<void> {
  const bench = await benchFor(workload, impl);
  process.stdout.write(`${RESULT_MARK}${JSON.stringify(bench.info)}\n`);
  for await (const _ of createInterface({ input: process.stdin })) {
    process.stdout.write(`${RESULT_MARK}${JSON.stringify(await bench.rep())}\n`);
  }
  await bench.dispose?.();
}

async function main(): Promise<void> {
  if (process.argv[2] === 'serve') return serve(process.argv[3] as WorkloadId, process.argv[4] as Impl);
  const [workload, impl] = process.argv.slice(2) as [WorkloadId, Impl];
  const spec = WORKLOADS.find((w) => w.id === workload);
  if (!spec || !spec.impls.includes(impl)) throw new Error(`unknown case ${workload} ${impl}`);
  const { family } = IMPLS[impl];
  let result: CaseResult;
  if (workload === 'pairs') {
    // main.ts passes the interpreter that has torch, or nothing (the PyTorch pair is then left out)
    const torch = process.env.SMOLML_BENCH_PAIR_TORCH || undefined;
    const pairs = await (await import('./paired.js')).pairedRatios(torch);
    result = { workload, impl, info: { api: 'interleaved repetitions of two serving processes per pair' }, pairs };
  } else if (workload === 'memory') {
    // Only the library under test is loaded, so memory numbers do not include the other one.
    if (family === 'tfjs') {
      const tfjs = await import('./tfjs.js');
      const tfInfo = await tfjs.initTf('cpu');
      const memory = await tfjs.tfjsMemory();
      result = { workload, impl, info: { ...tfInfo, ...memory.info }, memory };
    } else {
      const memory = await (await import('./smolml.js')).smolmlMemory();
      result = { workload, impl, info: memory.info, memory };
    }
  } else {
    const bench = await benchFor(workload, impl);
    // warm-up (JIT, wasm tier-up, caches): the case's own warmUp() if it has one, else one
    // repetition, or repetitions as spec.warmup says
    const warmStart = performance.now();
    const warmed = (reps: number): boolean => {
      const w = spec.warmup;
      if (w === undefined || bench.warmUp) return true;
      const s = (performance.now() - warmStart) / 1000;
      return s >= w.maxSeconds || (s >= w.seconds && reps >= w.reps);
    };
    let warmReps = 0;
    do {
      await (bench.warmUp ? bench.warmUp() : bench.rep());
      warmReps++;
    } while (!warmed(warmReps));
    process.stderr.write(`warm-up ${warmReps} rep${warmReps === 1 ? '' : 's'} in ${((performance.now() - warmStart) / 1000).toFixed(3)} s, reps`);
    const reps: Rep[] = [];
    for (let r = 0; r < spec.reps; r++) {
      reps.push(await bench.rep());
      process.stderr.write(` ${reps[r]!.seconds.toFixed(3)}`);
    }
    process.stderr.write(' s; ');
    await bench.dispose?.();
    result = { workload, impl, info: { ...bench.info, warmupReps: warmReps }, reps };
  }
  process.stdout.write(`${RESULT_MARK}${JSON.stringify(result)}\n`);
}

async function benchFor(workload: WorkloadId, impl: Impl): Promise<Bench> {
  const spec = IMPLS[impl];
  switch (spec.family) {
    case 'smolml':
      return (await import('./smolml.js')).smolmlBench(workload, spec);
    case 'tfjs': {
      const tfjs = await import('./tfjs.js');
      const info = await tfjs.initTf(spec.backend === 'wasm' ? 'wasm' : 'cpu');
      return spec.loop ? (await import('./tfjs-loop.js')).tfjsLoopBench(workload, info) : tfjs.tfjsBench(workload, info);
    }
    case 'brainjs':
      return (await import('./brainjs.js')).brainBench(workload);
    case 'python':
      throw new Error('the Python anchors run in Python: see main.ts');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
