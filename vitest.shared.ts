import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run on TypeScript sources: the "@smolml/source" export condition points every
// @smolml/* import at src/index.ts, so no build is needed before `vitest run`.
export default defineConfig({
  resolve: { conditions: ['@smolml/source'] },
  ssr: { resolve: { conditions: ['@smolml/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    // Generous: CI machines have two cores and several test processes share them.
    testTimeout: 120_000,
    // Seeds fast-check for every property test (SMOLML_FC_SEED overrides; see the file).
    setupFiles: [fileURLToPath(new URL('./tests/test-utils/src/fast-check-seed.ts', import.meta.url))],
  },
});
