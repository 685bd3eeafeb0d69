/**
 * The arena that places staging areas and allocate()'s arrays in linear memory: ranges never
 * overlap, freed ranges are merged and reused before memory grows, and a range is reported
 * fresh (still zeros) only when it lies wholly above everything handed out before.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValueError } from '@smolml/core';
import { ALIGN, Arena } from '../src/arena.js';

/** An arena over a pretend memory of `limit` bytes, recording how far it was asked to grow. */
function arena(base: number, limit = Infinity) {
  const grown: number[] = [];
  const a = new Arena(base, (end) => {
    if (end > limit) return false;
    grown.push(end);
    return true;
  });
  return { a, grown };
}

describe('Arena', () => {
  it('hands out aligned ranges from its base upwards, growing memory as it goes', () => {
    const { a, grown } = arena(100);
    expect(a.allocate(10)).toEqual({ at: 128, fresh: true }); // base rounded up to a cache line
    expect(a.allocate(65)).toEqual({ at: 192, fresh: true }); // the first range took one line
    expect(a.end).toBe(192 + 128);
    expect(grown).toEqual([192, 320]);
  });

  it('reuses a freed range (not fresh) before growing, and merges free neighbours', () => {
    const { a, grown } = arena(0);
    const x = a.allocate(64)!.at;
    const y = a.allocate(64)!.at;
    const z = a.allocate(64)!.at;
    a.allocate(64);
    a.release(x, 64);
    a.release(z, 64);
    expect(a.freeRanges()).toEqual([{ at: 0, bytes: 64 }, { at: 128, bytes: 64 }]);
    a.release(y, 64); // joins both neighbours
    expect(a.freeRanges()).toEqual([{ at: 0, bytes: 192 }]);
    expect(a.allocate(100)).toEqual({ at: 0, fresh: false });
    expect(a.freeRanges()).toEqual([{ at: 128, bytes: 64 }]);
    expect(grown).toHaveLength(4);
  });

  it('extends a free range that ends at the top instead of leaving it behind', () => {
    const { a } = arena(0);
    const x = a.allocate(64)!.at;
    const y = a.allocate(128)!.at;
    a.release(y, 128);
    // 256 bytes do not fit in the free 128 at the top: it is extended, and not fresh (half used)
    expect(a.allocate(256)).toEqual({ at: y, fresh: false });
    expect(a.end).toBe(y + 256);
    expect(a.freeRanges()).toEqual([]);
    expect(x).toBe(0);
  });

  it('returns null when memory cannot grow, and stays usable', () => {
    const { a } = arena(0, 1000);
    expect(a.allocate(900)).toEqual({ at: 0, fresh: true });
    expect(a.allocate(200)).toBeNull();
    expect(a.end).toBe(960);
    expect(a.allocate(10)).toBeNull(); // 960 + 64 > 1000
    a.release(0, 900);
    expect(a.allocate(200)).toEqual({ at: 0, fresh: false });
  });

  it('refuses a range released twice, naming it', () => {
    const { a } = arena(0);
    const x = a.allocate(64)!.at;
    a.allocate(64);
    a.release(x, 64);
    expect(() => a.release(x, 64)).toThrow(ValueError);
    expect(() => a.release(x, 64)).toThrow(/range at byte 0 is already free/);
  });

  it('property: live ranges never overlap, fresh ones hold no old data, and releasing all leaves one free range', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ bytes: fc.integer({ min: 1, max: 5000 }), release: fc.nat() }), { minLength: 1, maxLength: 60 }), (steps) => {
        const { a } = arena(64);
        // a pretend memory: which bytes were ever handed out (coarsely, by cache line)
        const used = new Set<number>();
        const live: { at: number; bytes: number }[] = [];
        for (const { bytes, release } of steps) {
          if (live.length > 0 && release % 3 === 0) {
            const [r] = live.splice(release % live.length, 1);
            a.release(r!.at, r!.bytes);
          }
          const range = a.allocate(bytes)!;
          expect(range.at % ALIGN).toBe(0);
          expect(range.at).toBeGreaterThanOrEqual(64);
          for (const other of live) expect(range.at + bytes <= other.at || other.at + other.bytes <= range.at).toBe(true);
          const lines = Array.from({ length: Math.ceil(bytes / ALIGN) }, (_, i) => range.at + i * ALIGN);
          if (range.fresh) for (const line of lines) expect(used.has(line)).toBe(false);
          for (const line of lines) used.add(line);
          live.push({ at: range.at, bytes });
        }
        for (const r of live) a.release(r.at, r.bytes);
        expect(a.freeRanges()).toEqual([{ at: 64, bytes: a.end - 64 }]);
      }),
    );
  });
});
