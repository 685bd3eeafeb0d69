// WebAssembly SIMD GEMM, compiled with AssemblyScript (`asc --enable simd`), twice: into
// kernels.wasm (ordinary memory) and kernels-shared.wasm (shared memory, for worker threads).
//
// The same blocked, packed algorithm as @smolml/core's kernels/gemm-packed.ts (GotoBLAS/BLIS:
// cache blocks, packed panels, a register tile), in two precisions:
//   f64.ts  float64 on f64x2, a 4 x 4 tile: the same numbers, bit for bit, as the TS kernels;
//   f32.ts  float32 on f32x4, a 4 x 8 tile: operands rounded to f32 while packing, C stays f64.
//
// The JavaScript side (src/) owns the memory: it imports the memory, copies the operands in,
// passes byte offsets and leading dimensions (so a thread can compute a block of rows or
// columns of C in place), and gives each thread its own `scratch` region of scratchBytes()
// bytes for the packed panels. Nothing here allocates or keeps state between calls, so many
// threads can run these functions on one shared memory at once.

export { gemmF64 } from './f64';
export { gemmF32 } from './f32';
import { KC, MC, MR, NC } from './f64';

/** First free byte after the module's static data: the JS side lays its buffers out from here. */
export function heapBase(): usize {
  return __heap_base;
}

/**
 * Bytes of per-thread scratch either kernel needs: the packed A block (MC x KC numbers, each
 * stored as a 16-byte splat), the packed B block (KC x NC doubles) and an MR x 8 edge tile.
 */
export function scratchBytes(): usize {
  return <usize>(MC * KC * 16 + KC * NC * 8 + MR * 8 * 8);
}

/** Rows of the register tile: row blocks given to threads are multiples of it. */
export function tileRows(): i32 {
  return MR;
}
