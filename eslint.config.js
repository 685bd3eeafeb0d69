// Lint: typescript-eslint's recommended rules, plus the library rule that package sources
// import nothing Node-only (they must run in browsers).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import { nodeOnlySources } from './scripts/node-only.mjs';

const nodeOnly = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/build/**', 'docs/api/**', '**/*.d.ts', 'packages/wasm/assembly/**', 'packages/onnx/src/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['packages/*/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: nodeOnly.map((name) => ({ name, message: 'library code must run in browsers: no Node-only imports' })) }],
      'no-console': 'error',
    },
  },
  // ...except the files a package's `imports` map selects only under the `node` condition
  // (see scripts/node-only.mjs; scripts/check-deps.mjs checks the same list).
  ...nodeOnlySources(new URL('.', import.meta.url).pathname).map((file) => ({
    files: [file],
    rules: { 'no-restricted-imports': 'off' },
  })),
);
