import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED, seedFromEnv } from '../src/fast-check-seed.js';

describe('fast-check seeding (vitest setup file)', () => {
  it('is active in this run: fast-check has a global seed (the default unless SMOLML_FC_SEED is set)', () => {
    const expected = seedFromEnv(process.env.SMOLML_FC_SEED);
    expect(fc.readConfigureGlobal().seed).toBe(expected ?? undefined);
  });

  it('makes fast-check draw the same values every time (unless SMOLML_FC_SEED=random)', () => {
    if (seedFromEnv(process.env.SMOLML_FC_SEED) === null) return;
    expect(fc.sample(fc.integer(), 8)).toEqual(fc.sample(fc.integer(), 8));
  });

  it('reads SMOLML_FC_SEED: unset means the default, an integer that seed, random none, anything else throws', () => {
    expect(seedFromEnv(undefined)).toBe(DEFAULT_SEED);
    expect(seedFromEnv('')).toBe(DEFAULT_SEED);
    expect(seedFromEnv('42')).toBe(42);
    expect(seedFromEnv('random')).toBeNull();
    expect(() => seedFromEnv('abc')).toThrow(/SMOLML_FC_SEED must be an integer or 'random', got "abc"/);
  });
});
