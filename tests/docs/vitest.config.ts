import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// Doc blocks import @smolml/* like users do; the shared config resolves them to the sources.
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      testTimeout: 20_000,
    },
  }),
);
