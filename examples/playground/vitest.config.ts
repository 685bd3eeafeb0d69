import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// The end-to-end test builds the page and drives Chromium: give its hooks time to start both.
export default mergeConfig(shared, defineConfig({ test: { hookTimeout: 120_000 } }));
