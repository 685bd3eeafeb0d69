// Speed probe for the image ops (a script, not a test): forward + backward + SGD samples/s of the
// W5 net built from raw @smolml/core ops, Conv2d(1,8,3,pad 1)-ReLU-MaxPool 2-Conv2d(8,16,3,pad 1)-
// ReLU-MaxPool 2-Flatten-Dense(784,10), batch 64, against PyTorch on one thread (float64 and
// float32) in the same run. Rounds alternate between the two so machine load hits both alike;
// compare the ratios, not the absolute numbers.
// Usage: pnpm --filter @smolml/core build && node packages/core/bench/conv-w5.mjs [rounds=8] [seconds=1.5] [--wasm]
/* global process, console */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MLArray, createRng, setBackend } from '../dist/index.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const rounds = Number(args[0] ?? 8);
const seconds = Number(args[1] ?? 1.5);
if (process.argv.includes('--wasm')) {
  const { createWasmBackend } = await import('../../wasm/dist/index.js');
  setBackend(await createWasmBackend());
}

const rng = createRng(0);
const param = (shape, scale) => {
  const p = MLArray.randn(shape, rng, { requiresGrad: true });
  for (let i = 0; i < p.size; i++) p.data[i] *= scale;
  return p;
};
const w1 = param([8, 1, 3, 3], 0.3), b1 = param([1, 8, 1, 1], 0);
const w2 = param([16, 8, 3, 3], 0.1), b2 = param([1, 16, 1, 1], 0);
const wd = param([784, 10], 0.05), bd = param([1, 10], 0);
const params = [w1, b1, w2, b2, wd, bd];
const x = MLArray.rand([64, 1, 28, 28], rng);
const onehot = MLArray.zeros([64, 10]);
for (let i = 0; i < 64; i++) onehot.data[i * 10 + Math.floor(rng.uniform() * 10)] = 1;

/** Per-op forward times of the last profiled step (ms), to see where time goes. */
const profile = {};
function timed(name, fn) {
  const t = performance.now();
  const r = fn();
  profile[name] = (profile[name] ?? 0) + performance.now() - t;
  return r;
}

function step(prof = false) {
  const T = prof ? timed : (_n, fn) => fn();
  let h = T('conv1', () => x.conv2d(w1, { padding: 1 }));
  h = T('bias+relu1', () => h.add(b1).relu());
  h = T('pool1', () => h.maxPool2d(2));
  h = T('conv2', () => h.conv2d(w2, { padding: 1 }));
  h = T('bias+relu2', () => h.add(b2).relu());
  h = T('pool2', () => h.maxPool2d(2));
  const logits = T('dense', () => h.reshape([64, 784]).matmul(wd).add(bd));
  const loss = T('loss', () => logits.logSoftmax(1).mul(onehot).sum().mul(-1 / 64));
  for (const p of params) p.zeroGrad();
  T('backward', () => loss.backward());
  for (const p of params) for (let i = 0; i < p.size; i++) p.data[i] -= 0.01 * p.grad.data[i];
}

function jsRate() {
  for (let i = 0; i < 3; i++) step();
  let steps = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    step();
    steps++;
  }
  return (64 * steps) / ((performance.now() - start) / 1000);
}

const torchScript = fileURLToPath(new URL('./conv_w5_torch.py', import.meta.url));
const results = [];
for (let r = 0; r < rounds; r++) {
  const js = jsRate();
  const torch = JSON.parse(execFileSync('/usr/bin/python3', [torchScript, String(seconds)], { encoding: 'utf8' }));
  results.push({ js, ...torch });
  console.log(
    `round ${r + 1}: smolml ${Math.round(js)} samples/s, torch f64 ${Math.round(torch.float64)}, f32 ${Math.round(torch.float32)}` +
      ` -> torch/smolml ${(torch.float64 / js).toFixed(2)}x (f64), ${(torch.float32 / js).toFixed(2)}x (f32)`,
  );
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratio = (k) => median(results.map((r) => r[k] / r.js));
console.log(`median torch/smolml: ${ratio('float64').toFixed(2)}x (float64), ${ratio('float32').toFixed(2)}x (float32)`);
for (let i = 0; i < 20; i++) step(true);
console.log('smolml ms per step (mean of 20):', Object.fromEntries(Object.entries(profile).map(([k, v]) => [k, +(v / 20).toFixed(2)])));
