/**
 * Runs ONE benchmark case in this process and prints its result as a JSON line:
 *   node --expose-gc dist/case.js <workload> <impl>
 * main.ts starts one such process per case, so JIT state, heaps and backends never mix.
 */
import { type CaseResult, type Impl, RESULT_MARK, type Rep, WORKLOADS, type WorkloadId } from './workloads.js';

async function main(): Promise<void> {
  const [workload, impl] = process.argv.slice(2) as [WorkloadId, Impl];
  const spec = WORKLOADS.find((w) => w.id === workload);
  if (!spec || !spec.impls.includes(impl)) throw new Error(`unknown case ${workload} ${impl}`);
  // Only the library under test is loaded, so memory numbers do not include the other one.
  const tfjs = impl.startsWith('tfjs') ? await import('./tfjs.js') : null;
  const smolml = tfjs ? null : await import('./smolml.js');
  const tfInfo = tfjs ? await tfjs.initTf(impl === 'tfjs-wasm' ? 'wasm' : 'cpu') : null;
  let result: CaseResult;
  if (workload === 'memory') {
    const memory = tfjs ? await tfjs.tfjsMemory() : await smolml!.smolmlMemory();
    result = { workload, impl, info: { ...tfInfo, ...memory.info }, memory };
  } else {
    const bench = tfjs ? await tfjs.tfjsBench(workload, tfInfo!) : await smolml!.smolmlBench(workload, impl === 'smolml-wasm');
    const warm = await bench.rep(); // warm-up: JIT, wasm tier-up, caches
    process.stderr.write(`warm-up ${warm.seconds.toFixed(3)} s, reps`);
    const reps: Rep[] = [];
    for (let r = 0; r < spec.reps; r++) {
      reps.push(await bench.rep());
      process.stderr.write(` ${reps[r]!.seconds.toFixed(3)}`);
    }
    process.stderr.write(' s; ');
    result = { workload, impl, info: bench.info, reps };
  }
  process.stdout.write(`${RESULT_MARK}${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
