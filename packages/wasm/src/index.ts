/**
 * @smolml/wasm — an opt-in WebAssembly SIMD backend for @smolml/core: float64 GEMM on f64x2
 * vectors, written in AssemblyScript and shipped inside the package (no fetch, works in Node
 * and browsers).
 * @example
 * import { setBackend } from '@smolml/core';
 * import { createWasmBackend } from '@smolml/wasm';
 * setBackend(await createWasmBackend());
 * @packageDocumentation
 */
export { createWasmBackend, isWasmSimdSupported, wasmBytes, type WasmBackendOptions } from './backend.js';
