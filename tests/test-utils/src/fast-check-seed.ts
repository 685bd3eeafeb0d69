/**
 * Vitest setup file (see vitest.shared.ts): every fast-check property in the repository runs
 * with one fixed seed, so a test run is reproducible and a failure seen once is seen again.
 * To explore new inputs, run with SMOLML_FC_SEED=<integer>, or SMOLML_FC_SEED=random for a fresh
 * seed each run (fast-check prints the seed and path of any counterexample it finds).
 */
import fc from 'fast-check';

/** The seed used when SMOLML_FC_SEED is not set. */
export const DEFAULT_SEED = 20251;

export function seedFromEnv(value: string | undefined): number | null {
  if (value === undefined || value === '') return DEFAULT_SEED;
  if (value === 'random') return null;
  const seed = Number(value);
  if (!Number.isSafeInteger(seed)) throw new Error(`SMOLML_FC_SEED must be an integer or 'random', got ${JSON.stringify(value)}`);
  return seed;
}

const seed = seedFromEnv(process.env.SMOLML_FC_SEED);
if (seed !== null) fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
