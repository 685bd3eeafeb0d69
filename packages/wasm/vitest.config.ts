import { defineConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// Two projects: every test as usual, and test/fma.test.ts once more in processes started with
// relaxed SIMD enabled (Node 20 keeps it behind a flag), so both the fused kernels and the
// fallback without them are tested on every run. (`extends: true` would concatenate the
// include lists, so each project spreads the shared settings itself.) --expose-gc lets
// test/allocate.test.ts collect arrays to see their memory reused.
export default defineConfig({
  test: {
    projects: [
      { ...shared, test: { ...shared.test, name: 'wasm', execArgv: ['--expose-gc'] } },
      { ...shared, test: { ...shared.test, name: 'wasm-relaxed-simd', include: ['test/fma.test.ts'], execArgv: ['--experimental-wasm-relaxed-simd'] } },
    ],
  },
});
