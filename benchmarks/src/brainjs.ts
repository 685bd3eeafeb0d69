/**
 * brain.js 2.0.0-beta.24 on W1: its CPU `NeuralNetwork` (2-16-1, float32, per-sample SGD with
 * momentum, its defaults), trained for the same 1000 epochs of the 4 XOR samples. Loaded from
 * dist/browser.js, which bundles what the CPU network needs: the Node entry requires gpu.js,
 * whose native `gl` binding is not installed (see pnpm-workspace.yaml).
 */
import { createRequire } from 'node:module';
import { XOR } from './data.js';
import { type Bench, type WorkloadId, XOR_EPOCHS, timed } from './workloads.js';

interface BrainNetwork {
  train(data: { input: number[]; output: number[] }[], options: Record<string, unknown>): { error: number; iterations: number };
}
interface Brain {
  NeuralNetwork: new (options: { hiddenLayers: number[] }) => BrainNetwork;
}

export const BRAIN_VERSION = '2.0.0-beta.24';

export async function brainBench(workload: WorkloadId): Promise<Bench> {
  if (workload !== 'w1-xor') throw new Error(`brain.js runs W1 only, not ${workload}`);
  const brain = createRequire(import.meta.url)('brain.js/dist/browser.js') as Brain;
  const data = Array.from({ length: XOR.rows }, (_, r) => ({ input: [XOR.x[2 * r]!, XOR.x[2 * r + 1]!], output: [XOR.y[r]!] }));
  return {
    info: { backend: 'cpu', dtype: 'float32', version: BRAIN_VERSION, api: 'NeuralNetwork.train (sigmoid, per-sample SGD + momentum)' },
    async rep() {
      const net = new brain.NeuralNetwork({ hiddenLayers: [16] });
      let result = { error: 0, iterations: 0 };
      // errorThresh: the smallest positive number, so training runs every epoch unless the
      // error is exactly 0; the epochs actually run are reported and used for epochs/s
      const seconds = await timed(() => (result = net.train(data, { iterations: XOR_EPOCHS, errorThresh: Number.MIN_VALUE })));
      return { seconds, extra: { loss: result.error, epochs: result.iterations } };
    },
  };
}
