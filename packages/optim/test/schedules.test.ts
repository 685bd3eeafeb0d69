import { describe, expect, it } from 'vitest';
import { MLArray, ValueError } from '@smolml/core';
import { SGD, cosineDecay, exponentialDecay, scheduleFromJSON, scheduleToJSON, stepDecay } from '../src/index.js';

describe('stepDecay(initialLr, dropEvery, factor = 0.5)', () => {
  it('multiplies by factor every dropEvery steps', () => {
    const lr = stepDecay(0.1, 10, 0.5);
    expect([0, 9, 10, 19, 20, 25].map(lr)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
    expect(stepDecay(1, 2)(4)).toBe(0.25);
  });
});

describe('exponentialDecay(initialLr, decayRate, decaySteps = 1)', () => {
  it('decays smoothly by decayRate per decaySteps steps', () => {
    const lr = exponentialDecay(0.1, 0.5, 100);
    expect(lr(0)).toBe(0.1);
    expect(lr(100)).toBe(0.05);
    expect(lr(200)).toBe(0.025);
    expect(lr(50)).toBeCloseTo(0.1 * Math.SQRT1_2, 15);
    expect(exponentialDecay(1, 0.9)(3)).toBeCloseTo(0.729, 15);
  });
});

describe('cosineDecay(initialLr, totalSteps, minLr = 0)', () => {
  it('follows half a cosine from initialLr to minLr, then stays at minLr', () => {
    const lr = cosineDecay(0.1, 100, 0.01);
    expect(lr(0)).toBe(0.1);
    expect(lr(50)).toBeCloseTo(0.055, 15);
    expect(lr(25)).toBeCloseTo(0.01 + 0.09 * (1 + Math.SQRT1_2) / 2, 15);
    expect(lr(100)).toBeCloseTo(0.01, 15);
    expect(lr(1000)).toBeCloseTo(0.01, 15);
    expect(cosineDecay(1, 10)(10)).toBe(0);
  });
});

describe('schedules in an optimizer', () => {
  it("are evaluated at each parameter's own 0-based step", () => {
    // lr = 1, 0.5, 0.25, ...; g = 1 each step, theta starts at 0.
    const opt = new SGD({ lr: stepDecay(1, 1, 0.5) });
    const a = MLArray.from([0], { requiresGrad: true });
    const b = MLArray.from([0], { requiresGrad: true });
    const trace: number[][] = [];
    for (let t = 0; t < 3; t++) {
      a.grad = MLArray.from([1]);
      opt.step([a]);
      trace.push([a.data[0]!]);
    }
    expect(trace).toEqual([[-1], [-1.5], [-1.75]]);
    // b joins later: its first update uses lr(0) = 1, not lr(3)
    a.grad = MLArray.from([1]);
    b.grad = MLArray.from([1]);
    opt.step([a, b]);
    expect([a.data[0], b.data[0]]).toEqual([-1.875, -1]);
  });

  it('an lr of 0 from a schedule is allowed (cosine end point)', () => {
    const w = MLArray.from([3], { requiresGrad: true });
    const opt = new SGD({ lr: cosineDecay(1, 1) });
    w.grad = MLArray.from([1]);
    opt.step([w]);
    w.grad = MLArray.from([1]);
    opt.step([w]);
    expect(w.data[0]).toBe(2);
  });
});

describe('JSON descriptions', () => {
  it.each([
    [stepDecay(0.1, 7, 0.3), { type: 'stepDecay', initialLr: 0.1, dropEvery: 7, factor: 0.3 }],
    [exponentialDecay(0.2, 0.96, 1000), { type: 'exponentialDecay', initialLr: 0.2, decayRate: 0.96, decaySteps: 1000 }],
    [cosineDecay(0.3, 500, 0.001), { type: 'cosineDecay', initialLr: 0.3, totalSteps: 500, minLr: 0.001 }],
  ])('%o round-trips', (schedule, json) => {
    expect(scheduleToJSON(schedule)).toEqual(json);
    const back = scheduleFromJSON(JSON.parse(JSON.stringify(json)));
    for (const s of [0, 1, 13, 499, 2000]) expect(back(s)).toBe(schedule(s));
  });

  it('a custom function has no description', () => {
    expect(scheduleToJSON((s) => 0.1 / (1 + s))).toBeUndefined();
  });

  it.each([
    null,
    { type: 'linear', initialLr: 0.1 },
    { type: 'stepDecay', initialLr: 0.1, dropEvery: 10 },
    { type: 'stepDecay', initialLr: 0.1, dropEvery: 10, factor: '0.5' },
    { type: 'stepDecay', initialLr: 0.1, dropEvery: 10, factor: 0.5, extra: 1 },
  ])('scheduleFromJSON(%j) throws ValueError', (json) => {
    expect(() => scheduleFromJSON(json)).toThrow(ValueError);
  });
});

describe('argument validation', () => {
  it.each([
    () => stepDecay(0, 10),
    () => stepDecay(0.1, 0),
    () => stepDecay(0.1, 2.5),
    () => stepDecay(0.1, 10, 0),
    () => stepDecay(0.1, 10, 1.5),
    () => exponentialDecay(0.1, 0),
    () => exponentialDecay(0.1, 0.9, 0),
    () => exponentialDecay(Number.NaN, 0.9),
    () => cosineDecay(0.1, 0),
    () => cosineDecay(0.1, 10, 0.2),
    () => cosineDecay(0.1, 10, -0.1),
  ])('bad arguments throw ValueError (%#)', (make) => {
    expect(make).toThrow(ValueError);
  });

  it('messages name the schedule and the argument', () => {
    expect(() => stepDecay(0.1, 0)).toThrow('stepDecay: dropEvery must be an integer >= 1, got 0');
    expect(() => cosineDecay(0.1, 10, 0.2)).toThrow('cosineDecay: minLr must be a finite number in [0, 0.1], got 0.2');
    expect(() => stepDecay(0.1, 10)(-1)).toThrow('stepDecay: step must be a finite number in [0, inf), got -1');
    expect(() => stepDecay(0.1, 10, 0)).toThrow('stepDecay: factor must be a finite number in (0, 1], got 0');
    expect(() => exponentialDecay(0.1, 1.5)).toThrow('exponentialDecay: decayRate must be a finite number in (0, 1], got 1.5');
    expect(() => cosineDecay(1e-7, 10, 2e-7)).toThrow('cosineDecay: minLr must be a finite number in [0, 1e-7], got 2e-7');
  });
});
