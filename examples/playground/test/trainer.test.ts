import { describe, expect, it } from 'vitest';
import { makeDataset } from '../src/datasets.js';
import { buildNetwork } from '../src/model.js';
import { type EpochReport, Trainer } from '../src/trainer.js';

const config = { hidden: [16, 16], activation: 'tanh', optimizer: 'Adam', lr: 0.01, seed: 1 } as const;

/** Runs `trainer` until it has reported `epochs` more epochs, stopping it from the callback. */
async function trainFor(trainer: Trainer, epochs: number, reports: EpochReport[]): Promise<void> {
  const target = reports.length + epochs;
  await trainer.run((r) => {
    reports.push(r);
    if (reports.length === target) trainer.stop();
  });
}

describe('Trainer', () => {
  it('learns moons, reports every epoch, stops when asked and resumes where it stopped', async () => {
    const trainer = new Trainer(buildNetwork({ ...config, hidden: [...config.hidden] }), makeDataset('moons', 300, 7), 32, 1);
    const reports: EpochReport[] = [];
    await trainFor(trainer, 20, reports);
    expect(trainer.running).toBe(false);
    expect(reports.map((r) => r.epoch)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    await trainFor(trainer, 20, reports);
    expect(reports.map((r) => r.epoch)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(reports[39]!.loss).toBeLessThan(0.5 * reports[0]!.loss);
    expect(reports[39]!.accuracy).toBeGreaterThan(0.9);
  });

  it('is reproducible: the same seeds give the same losses', async () => {
    const run = async (): Promise<number[]> => {
      const trainer = new Trainer(buildNetwork({ ...config, hidden: [8] }), makeDataset('xor', 100, 3), 10, 2);
      const reports: EpochReport[] = [];
      await trainFor(trainer, 5, reports);
      return reports.map((r) => r.loss);
    };
    expect(await run()).toEqual(await run());
  });

  it('refuses a second concurrent run', async () => {
    const trainer = new Trainer(buildNetwork({ ...config, hidden: [4] }), makeDataset('circles', 50, 1), 10, 1);
    const first = trainer.run(() => trainer.stop());
    await expect(trainer.run(() => undefined)).rejects.toThrow(/already running/);
    await first;
  });
});
