import { describe, expect, it } from 'vitest';
import { featureNames, featurize, isFeatureName, orderFeatures } from '../src/features.js';

describe('features', () => {
  it('computes x1, x2, x1², x2², x1·x2, sin x1, sin x2 for each point', () => {
    const x = featurize([[2, -3], [0.5, 1]], featureNames);
    expect(x.shape).toEqual([2, 7]);
    expect(x.toArray()).toEqual([
      [2, -3, 4, 9, -6, Math.sin(2), Math.sin(-3)],
      [0.5, 1, 0.25, 1, 0.5, Math.sin(0.5), Math.sin(1)],
    ]);
  });

  it('keeps the selected features in canonical order', () => {
    expect(orderFeatures(['sinx2', 'x1', 'x1sq', 'x1'])).toEqual(['x1', 'x1sq', 'sinx2']);
    expect(featurize([[3, 4]], orderFeatures(['x2sq', 'x1x2'])).toArray()).toEqual([[16, 12]]);
    expect(featurize([[3, 4]], []).shape).toEqual([1, 0]);
  });

  it('isFeatureName', () => {
    expect(isFeatureName('x1x2')).toBe(true);
    expect(isFeatureName('x3')).toBe(false);
    expect(isFeatureName('constructor')).toBe(false);
  });
});
