import { describe, expect, it } from 'vitest';
import { type FixtureTensor, expectClose, loadFixture } from '../src/index.js';

describe('expectClose', () => {
  it('passes inside atol + rtol * |expected|, fails outside with the index and both numbers', () => {
    expectClose([1 + 1e-10, 100 + 1e-8], [1, 100], 1e-9, 1e-12);
    expect(() => expectClose([1, 2.001], [1, 2], 1e-9, 1e-12, 'w')).toThrow('w[1]: got 2.001, expected 2 (rtol 1e-9, atol 1e-12)');
    expect(() => expectClose([1e-11], [0], 0, 1e-12)).toThrow(/got 1e-11, expected 0/);
  });

  it('matches NaN with NaN and an infinity with itself, and nothing else with them', () => {
    expectClose([NaN, Infinity, -Infinity], [NaN, Infinity, -Infinity]);
    expect(() => expectClose([0], [NaN])).toThrow(/got 0, expected NaN/);
    expect(() => expectClose([Infinity], [-Infinity])).toThrow(/got Infinity, expected -Infinity/);
    expect(() => expectClose([5], [Infinity])).toThrow(/got 5, expected Infinity/);
    expect(() => expectClose([Infinity], [5])).toThrow(/got Infinity, expected 5/);
  });

  it('fails on a length mismatch', () => {
    expect(() => expectClose([1, 2], [1])).toThrow(/length/);
  });
});

describe('loadFixture', () => {
  it('reads JSON relative to the calling file', () => {
    const cases = loadFixture<{ name: string; x: FixtureTensor }[]>(import.meta.url, 'fixtures/tiny.json');
    expect(cases).toEqual([{ name: 'a', x: { shape: [2], data: [1, 2] } }]);
  });
});
