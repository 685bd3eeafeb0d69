import { MLArray, noGrad, setBackend } from '@smolml/core';
import { createWasmBackend } from '@smolml/wasm';
const n = 512;
const a = MLArray.from(Float64Array.from({ length: n * n }, (_, i) => Math.sin(i)), { shape: [n, n] });
const b = MLArray.from(Float64Array.from({ length: n * n }, (_, i) => Math.cos(i)), { shape: [n, n] });
const cpu = (f: () => void) => { const u0 = process.cpuUsage(); const t0 = performance.now(); f(); const u = process.cpuUsage(u0); return [(u.user + u.system) / 1e6, (performance.now() - t0) / 1000]; };
for (const opts of [{}, { precision: 'float32' as const }, { threads: 2 }, { threads: 2, precision: 'float32' as const }]) {
  const be = await createWasmBackend(opts); setBackend(be);
  const res: number[][] = [];
  for (let r = 0; r < 8; r++) { const [c, w] = cpu(() => { for (let i = 0; i < 5; i++) noGrad(() => a.matmul(b)); }); if (r) res.push([5 * 2 * n ** 3 / c / 1e9, 5 * 2 * n ** 3 / w / 1e9]); }
  const med = (k: number) => res.map((x) => x[k]!).sort((p, q) => p - q)[res.length >> 1]!.toFixed(2);
  const best = (k: number) => Math.max(...res.map((x) => x[k]!)).toFixed(2);
  console.log(JSON.stringify(opts).padEnd(40), 'cpu-time GF med', med(0), 'best', best(0), ' wall GF med', med(1), 'best', best(1));
  be.dispose();
}
