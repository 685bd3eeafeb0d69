import { readFileSync } from 'node:fs';
import { MLArray, noGrad, setBackend } from '@smolml/core';
import { createWasmBackend } from '@smolml/wasm';
const n = 512, per = 5;
const prec = (process.env.PREC ?? 'float32') as 'float32' | 'float64';
const fn = prec === 'float32' ? 'gemmF32' : 'gemmF64';
const A = Float64Array.from({ length: n * n }, (_, i) => Math.sin(i)), B = Float64Array.from({ length: n * n }, (_, i) => Math.cos(i));
const a = new MLArray(A, [n, n]), b = new MLArray(B, [n, n]);
const be = await createWasmBackend({ precision: prec }); setBackend(be);
const mem = new WebAssembly.Memory({ initial: 2048 });
const e: any = (await WebAssembly.instantiate(readFileSync('../packages/wasm/dist/kernels.wasm'), { env: { memory: mem } })).instance.exports;
const base = Math.ceil(e.heapBase() / 64) * 64, pa = base + Math.ceil(e.scratchBytes() / 64) * 64, pb = pa + n * n * 8, pc = pb + n * n * 8;
new Float64Array(mem.buffer, pa, n * n).set(A); new Float64Array(mem.buffer, pb, n * n).set(B);
const C = new Float64Array(n * n);
const cpu = (f: () => void) => { const u0 = process.cpuUsage(); f(); const u = process.cpuUsage(u0); return (u.user + u.system) / 1e6; };
const cases: Record<string, () => void> = {
  kernel: () => e[fn](0, 0, n, n, n, pa, n, pb, n, pc, n, base, 0),
  'backend.gemm': () => be.gemm(false, false, n, n, n, A, B, C, false),
  matmul: () => { noGrad(() => a.matmul(b)); },
};
const t: Record<string, number[]> = {};
for (let r = 0; r < 16; r++) for (const [k, f] of Object.entries(cases)) { const s = cpu(() => { for (let i = 0; i < per; i++) f(); }); if (r) (t[k] ??= []).push(s / per * 1000); }
for (const [k, v] of Object.entries(t)) { v.sort((x, y) => x - y); console.log(prec, k.padEnd(14), 'ms median', v[v.length >> 1]!.toFixed(2), 'min', v[0]!.toFixed(2), ' GF', (2 * n ** 3 / v[v.length >> 1]! / 1e6).toFixed(1)); }
