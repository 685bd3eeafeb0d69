import { describe, expect, it } from 'vitest';
import { logTicks, niceTicks } from '../../src/ui/loss-chart.js';
import { formatLoss, formatTick, formatValue } from '../../src/ui/format.js';

describe('chart ticks', () => {
  it('niceTicks: round steps of 1, 2 or 5 times a power of ten covering the range', () => {
    expect(niceTicks(0, 0.7)).toEqual([0, 0.2, 0.4, 0.6]);
    expect(niceTicks(0, 1)).toEqual([0, 0.5, 1]);
    expect(niceTicks(1, 60)).toEqual([20, 40, 60]);
    expect(niceTicks(0, 275)).toEqual([0, 100, 200]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });

  it('logTicks: decades covering [lo, hi]', () => {
    expect(logTicks(0.001, 1)).toEqual([0.001, 0.01, 0.1, 1]);
    expect(logTicks(0.5, 0.7)).toEqual([0.1, 1]);
    expect(logTicks(1e-6, 1e6)).toEqual([1e-6, 1e-3, 1, 1e3, 1e6]); // at most about 5 labels
  });
});

describe('formats', () => {
  it('formatValue: 4 significant digits, exponent form when tiny or huge', () => {
    expect(formatValue(0.78641)).toBe('0.7864');
    expect(formatValue(-2)).toBe('-2');
    expect(formatValue(123456)).toBe('1.23e+5');
    expect(formatValue(0.000123)).toBe('1.23e-4');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(Infinity)).toBe('Infinity');
  });

  it('formatLoss and formatTick', () => {
    expect(formatLoss(0.69314)).toBe('0.693');
    expect(formatLoss(12345)).toBe('1.23e+4');
    expect(formatLoss(0.0001)).toBe('1.00e-4');
    expect(formatTick(0.001)).toBe('0.001');
    expect(formatTick(1e-4)).toBe('1e-4');
    expect(formatTick(100000)).toBe('1e+5');
    expect(formatTick(0.6)).toBe('0.6');
  });
});
