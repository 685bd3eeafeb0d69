import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// test/memory.test.ts measures heap growth after a forced GC, so workers need --expose-gc.
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      pool: 'forks',
      execArgv: ['--expose-gc'],
    },
  }),
);
