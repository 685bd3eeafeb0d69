import { describe, expect, it } from 'vitest';
import { formatNumber } from '../../src/plot/loss-curve.js';

describe('formatNumber (loss-curve axis labels)', () => {
  it('keeps labels short at any magnitude', () => {
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(0.693147)).toBe('0.693');
    expect(formatNumber(12.345)).toBe('12.3');
    expect(formatNumber(1234.5)).toBe('1.23e+3');
    expect(formatNumber(456789)).toBe('4.57e+5');
    expect(formatNumber(1.96e300)).toBe('1.96e+300');
  });
});
