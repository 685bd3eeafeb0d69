/**
 * Every trajectory of the PyTorch float64 reference fixtures (fixtures/optim.json), the
 * first-step zero gradients that must not move their weights, and PyTorch's final state.
 */
import { describe, expect, it } from 'vitest';
import { Adam, AdaGrad, SGD, SGDMomentum, type SerializableOptimizer } from '../src/index.js';
import { expectClose, fixture, problemParams, setGrads } from './helpers.js';

const makers: Record<string, (h: Record<string, number>) => SerializableOptimizer> = {
  sgd: (h) => new SGD({ lr: h.lr! }),
  sgd_momentum: (h) => new SGDMomentum({ lr: h.lr!, momentum: h.momentum! }),
  adagrad_torch: (h) => new AdaGrad({ lr: h.lr!, eps: h.eps! }),
  adam: (h) => new Adam({ lr: h.lr!, beta1: h.beta1!, beta2: h.beta2!, eps: h.eps! }),
};

/** PyTorch's state names -> ours, with the factor ours = factor * torch's (velocity = lr * buf). */
const torchState: Record<string, Record<string, [string, (h: Record<string, number>) => number]>> = {
  sgd: {},
  sgd_momentum: { momentum_buffer: ['velocity', (h) => h.lr!] },
  adagrad_torch: { sum: ['sum', () => 1] },
  adam: { exp_avg: ['m', () => 1], exp_avg_sq: ['v', () => 1] },
};

describe('optim fixtures (PyTorch float64)', () => {
  it('has an optimizer for every fixture entry', () => {
    expect(fixture.optimizers.map((o) => o.name).filter((n) => !(n in makers))).toEqual([]);
    expect(fixture.optimizers.length).toBe(4);
  });

  it.each(fixture.optimizers.map((o) => [o.name, o] as const))('%s: trajectory, zero gradients, final state', (name, o) => {
    const opt = makers[name]!(o.hyperparams);
    const [W, b] = problemParams();
    const W0 = Array.from(W.data);
    const b0 = Array.from(b.data);
    o.trajectory.forEach((expected, k) => {
      setGrads(W, b, k + 1);
      opt.step([W, b]);
      expectClose(W.data, expected.W.data, 1e-9, 1e-12, `${name} step ${k + 1} W`);
      expectClose(b.data, expected.b.data, 1e-9, 1e-12, `${name} step ${k + 1} b`);
      if (k === 0) {
        // grads[0].gW[2,1] and grads[0].gb[0,0] are exactly 0: those weights must not move at all
        expect(W.data[5]).toBe(W0[5]);
        expect(b.data[0]).toBe(b0[0]);
      }
    });
    const state = opt.toJSON([W, b]).state;
    for (const [key, entry] of [['W', state[0]], ['b', state[1]]] as const) {
      expect(entry!.step).toBe(5);
      for (const [torchName, value] of Object.entries(o.final_state_torch[key])) {
        if (torchName === 'step') {
          expect(value).toBe(5);
          continue;
        }
        const [ours, factor] = torchState[name]![torchName]!;
        const t = value as { data: number[] };
        expectClose(entry!.buffers[ours]! as number[], t.data.map((x) => x * factor(o.hyperparams)), 1e-9, 1e-12, `${name} ${key}.${ours}`);
      }
    }
  });
});
