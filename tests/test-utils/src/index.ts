/**
 * `@smolml/test-utils` (private, never published): the helpers several packages' tests share,
 * written once — fixture loading, `expectClose`, the kernel conformance suite every
 * `Backend` (the TypeScript kernels in core, the WASM SIMD kernels) must pass, and a recording
 * `allocate`/`release` for tests of code that takes its buffers from a backend.
 */
export { expectClose } from './close.js';
export { type FixtureTensor, loadFixture } from './fixtures.js';
export { type GemmBackend, describeBackendConformance, naiveGemm } from './backend-conformance.js';
export { type RecordingAllocator, recordingAllocator } from './recording-allocator.js';
