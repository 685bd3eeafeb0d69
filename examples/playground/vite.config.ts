import { defaultClientConditions, defineConfig } from 'vite';

// "@smolml/source" points every @smolml/* import at its TypeScript source (see each package's
// exports), so `vite` and `vite build` need no prior build of the library and edits to it
// hot-reload. Servers listen on 127.0.0.1 only.
export default defineConfig({
  base: './',
  resolve: { conditions: ['@smolml/source', ...defaultClientConditions] },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  // Graphviz (WebAssembly, ~1.3 MB) is a separate chunk, loaded only when the graph tab draws.
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
});
