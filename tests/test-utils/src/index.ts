/**
 * `@smolml/test-utils` (private, never published): the helpers several packages' tests share,
 * written once — fixture loading, `expectClose`, and the kernel conformance suite every
 * `Backend` (the TypeScript kernels in core, the WASM SIMD kernels) must pass.
 */
export { expectClose } from './close.js';
export { type FixtureTensor, loadFixture } from './fixtures.js';
export { type GemmBackend, describeBackendConformance, naiveGemm } from './backend-conformance.js';
