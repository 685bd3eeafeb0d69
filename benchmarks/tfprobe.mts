import * as tf from '@tensorflow/tfjs';
const wasm = await import('@tensorflow/tfjs-backend-wasm');
wasm.setThreadsCount(1); await tf.setBackend('wasm'); await tf.ready();
const n = 512, per = 5;
const a = tf.tensor2d(Float32Array.from({ length: n * n }, (_, i) => Math.sin(i)), [n, n]);
const b = tf.tensor2d(Float32Array.from({ length: n * n }, (_, i) => Math.cos(i)), [n, n]);
const cpu = (f: () => void) => { const u0 = process.cpuUsage(); f(); const u = process.cpuUsage(u0); return (u.user + u.system) / 1e6; };
const v: number[] = [];
for (let r = 0; r < 16; r++) { const s = cpu(() => { for (let i = 0; i < per; i++) { const c = tf.matMul(a, b); c.dataSync(); c.dispose(); } }); if (r) v.push(s / per * 1000); }
v.sort((x, y) => x - y); console.log('tfjs wasm ms median', v[v.length >> 1]!.toFixed(2), 'min', v[0]!.toFixed(2), 'GF', (2 * n ** 3 / v[v.length >> 1]! / 1e6).toFixed(1), 'threads', wasm.getThreadsCount());
