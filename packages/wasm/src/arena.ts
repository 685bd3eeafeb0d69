/**
 * A first-fit allocator of byte ranges in WebAssembly linear memory, above the kernels' scratch.
 * It holds the staging area where a product's operands are copied, and the arrays `allocate()`
 * hands out (which products then read and write in place, without copies).
 *
 * Ranges are 64-byte aligned (a cache line). Freed ranges are merged with their free neighbours
 * and reused first; memory grows (through `grow`) only when no free range is large enough.
 * WebAssembly memory never shrinks, so what has been freed stays available for later ranges.
 * Nothing but the arena writes above its base, so memory above `end` is still zeros.
 */
import { ValueError } from '@smolml/core';

/** Ranges start and end on cache lines. */
export const ALIGN = 64;

/** `bytes` rounded up to a multiple of ALIGN (a cache line). */
export const align64 = (bytes: number): number => Math.ceil(bytes / ALIGN) * ALIGN;

/** The size of the range that holds `bytes`: whole cache lines, at least one. */
const rangeSize = (bytes: number): number => Math.max(ALIGN, align64(bytes));

/** A free range [at, at + bytes). */
interface Free {
  at: number;
  bytes: number;
}

export class Arena {
  /** Free ranges below `top`, sorted by address, never adjacent (adjacent ones are merged). */
  private readonly free: Free[] = [];
  /** First byte above every range handed out (or freed): where memory is extended. */
  private top: number;

  /**
   * @param base first byte the arena may use (a multiple of ALIGN)
   * @param grow makes memory at least `end` bytes long; false when it cannot (the allocation fails)
   */
  constructor(base: number, private readonly grow: (end: number) => boolean) {
    this.top = align64(base);
  }

  /**
   * A range of at least `bytes` bytes: its start, and whether it is `fresh` (never used since the
   * memory grew, so still all zeros); null when memory cannot grow that far.
   */
  allocate(bytes: number): { at: number; fresh: boolean } | null {
    const size = rangeSize(bytes);
    for (let i = 0; i < this.free.length; i++) {
      const f = this.free[i]!;
      if (f.bytes < size) continue;
      const at = f.at;
      if (f.bytes === size) this.free.splice(i, 1);
      else {
        f.at += size;
        f.bytes -= size;
      }
      return { at, fresh: false };
    }
    // Nothing fits: extend the last free range when it ends at the top, else start at the top.
    const last = this.free[this.free.length - 1];
    const extend = last !== undefined && last.at + last.bytes === this.top;
    const at = extend ? last.at : this.top;
    if (!this.grow(at + size)) return null;
    if (extend) this.free.pop();
    this.top = at + size;
    return { at, fresh: !extend };
  }

  /** Gives back the range `allocate(bytes)` returned at `at`. */
  release(at: number, bytes: number): void {
    const size = rangeSize(bytes);
    let i = 0;
    while (i < this.free.length && this.free[i]!.at < at) i++;
    const before = this.free[i - 1];
    const after = this.free[i];
    if ((before !== undefined && before.at + before.bytes > at) || (after !== undefined && at + size > after.at)) {
      throw new ValueError(`Arena.release: the range at byte ${at} is already free (released twice)`);
    }
    if (before !== undefined && before.at + before.bytes === at) {
      before.bytes += size;
      if (after !== undefined && before.at + before.bytes === after.at) {
        before.bytes += after.bytes;
        this.free.splice(i, 1);
      }
    } else if (after !== undefined && at + size === after.at) {
      after.at = at;
      after.bytes += size;
    } else {
      this.free.splice(i, 0, { at, bytes: size });
    }
  }

  /** Free ranges, in address order (for tests). */
  freeRanges(): readonly Readonly<Free>[] {
    return this.free.map((f) => ({ ...f }));
  }

  /** First byte above every range handed out (for tests). */
  get end(): number {
    return this.top;
  }
}

/** Whether `length` doubles at byte `x` and `yLength` doubles at byte `y` (-1: not in memory) overlap. */
export const overlaps = (x: number, length: number, y: number, yLength: number) => y >= 0 && x < y + yLength * 8 && y < x + length * 8;

/**
 * Whether an output of n doubles at byte `out` may be written while n doubles at byte `x` (-1: not
 * in memory) are read by an element-wise loop: the same run element for element, or apart.
 */
export const apart = (out: number, x: number, n: number) => out === x || !overlaps(out, n, x, n);
