/** createRng: xoshiro128** checked against an independent BigInt implementation; distribution moments. */
import { describe, expect, it } from 'vitest';
import { createRng } from '../src/index.js';

/** Reference xoshiro128** + splitmix32 seeding written with BigInt (independent of the Number tricks in src). */
function referenceStream(seed: number, count: number): number[] {
  const M = (1n << 32n) - 1n;
  let s = BigInt(seed >>> 0);
  const mix = (): bigint => {
    s = (s + 0x9e3779b9n) & M;
    let z = s;
    z = ((z ^ (z >> 16n)) * 0x85ebca6bn) & M;
    z = ((z ^ (z >> 13n)) * 0xc2b2ae35n) & M;
    return (z ^ (z >> 16n)) & M;
  };
  const st = [mix(), mix(), mix(), mix()];
  const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (32n - k))) & M;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const result = (rotl((st[1]! * 5n) & M, 7n) * 9n) & M;
    const t = (st[1]! << 9n) & M;
    st[2]! ^= st[0]!;
    st[3]! ^= st[1]!;
    st[1]! ^= st[2]!;
    st[0]! ^= st[3]!;
    st[2]! ^= t;
    st[3] = rotl(st[3]!, 11n);
    out.push(Number(result));
  }
  return out;
}

describe('createRng', () => {
  it('uniform() is built from the xoshiro128** stream (53-bit doubles)', () => {
    for (const seed of [0, 1, 42, 123456789]) {
      const ref = referenceStream(seed, 20);
      const rng = createRng(seed);
      for (let i = 0; i < 10; i++) {
        const expected = ((ref[2 * i]! >>> 5) * 67108864 + (ref[2 * i + 1]! >>> 6)) / 9007199254740992;
        expect(rng.uniform()).toBe(expected);
      }
    }
  });

  it('same seed, same numbers; different seeds differ', () => {
    const a = createRng(5);
    const b = createRng(5);
    const c = createRng(6);
    const xs = Array.from({ length: 50 }, () => a.normal());
    expect(Array.from({ length: 50 }, () => b.normal())).toEqual(xs);
    expect(Array.from({ length: 50 }, () => c.normal())).not.toEqual(xs);
  });

  it('uniform has mean 1/2 and variance 1/12; normal has mean 0 and variance 1', () => {
    const rng = createRng(2024);
    const n = 200_000;
    let su = 0, su2 = 0, sn = 0, sn2 = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      su += u;
      su2 += u * u;
      const z = rng.normal();
      sn += z;
      sn2 += z * z;
    }
    expect(su / n).toBeCloseTo(0.5, 2);
    expect(su2 / n - (su / n) ** 2).toBeCloseTo(1 / 12, 3);
    expect(sn / n).toBeCloseTo(0, 2);
    expect(sn2 / n).toBeCloseTo(1, 1);
  });

  it('int() and permutation() cover their ranges', () => {
    const rng = createRng(9);
    const counts = new Array<number>(5).fill(0);
    for (let i = 0; i < 5000; i++) counts[rng.int(5)]!++;
    counts.forEach((c) => expect(c).toBeGreaterThan(800));
    const p = Array.from(rng.permutation(10)).sort((x, y) => x - y);
    expect(p).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(() => rng.int(0)).toThrow(/positive integer/);
  });

  it('getState/setState (also through JSON) resumes the exact stream', () => {
    const rng = createRng(77);
    rng.normal(); // leaves a spare Box–Muller value in the state
    const saved = JSON.parse(JSON.stringify(rng.getState())) as number[];
    const next = [rng.normal(), rng.uniform(), rng.normal()];
    const other = createRng(1);
    other.setState(saved);
    expect([other.normal(), other.uniform(), other.normal()]).toEqual(next);
    const fresh = createRng(3);
    fresh.uniform();
    const s2 = JSON.parse(JSON.stringify(fresh.getState())) as number[]; // spare NaN -> null in JSON
    const expected = fresh.normal();
    const r2 = createRng(0);
    r2.setState(s2);
    expect(r2.normal()).toBe(expected);
    expect(() => other.setState([1, 2])).toThrow(/getState/);
  });
});
