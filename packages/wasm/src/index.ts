/**
 * @smolml/wasm — an opt-in WebAssembly SIMD backend for @smolml/core: GEMM on f64x2 vectors
 * (or f32x4 with `precision: 'float32'`), on one thread or several (shared memory and
 * workers), written in AssemblyScript and shipped inside the package (no fetch, works in Node
 * and browsers).
 * @example
 * import { setBackend } from '@smolml/core';
 * import { createWasmBackend } from '@smolml/wasm';
 * setBackend(await createWasmBackend());
 * @packageDocumentation
 */
export { createWasmBackend, type WasmBackend, type WasmBackendOptions } from './backend.js';
export { isWasmSimdSupported, wasmBytes, type Precision } from './module.js';
