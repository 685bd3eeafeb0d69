/**
 * Learning-rate schedules: functions `step => lr`, where `step` is the 0-based number of updates
 * the parameter has already received (the optimizer evaluates them per parameter array).
 * The built-in ones remember a JSON description, so an optimizer using them can be saved.
 */
import { ValueError } from '@smolml/core';
import { checkInteger, checkNumber, describeValue, interval, nonNegative, positive } from '@smolml/core/internal';

/** (0, 1]: a decay factor (1 keeps the rate constant; 0 would stop learning). */
const decayFactor = interval('(0, 1]');

/** `step => lr`: the learning rate of a parameter's update number `step` (0-based). */
export type Schedule = (step: number) => number;
/** A constant learning rate or a schedule. */
export type LearningRate = number | Schedule;

/** The JSON description of a built-in schedule (its factory's name and arguments). */
export type ScheduleJSON =
  | { type: 'stepDecay'; initialLr: number; dropEvery: number; factor: number }
  | { type: 'exponentialDecay'; initialLr: number; decayRate: number; decaySteps: number }
  | { type: 'cosineDecay'; initialLr: number; totalSteps: number; minLr: number };

const descriptions = new WeakMap<Schedule, ScheduleJSON>();

function make(json: ScheduleJSON, lrAt: (step: number) => number): Schedule {
  const fn = (step: number): number => {
    return lrAt(checkNumber(json.type, 'step', step, nonNegative));
  };
  Object.defineProperty(fn, 'name', { value: json.type });
  descriptions.set(fn, Object.freeze({ ...json }));
  return fn;
}

/**
 * Multiplies the rate by `factor` every `dropEvery` steps: lr = initialLr * factor^floor(step / dropEvery).
 * @example
 * const lr = stepDecay(0.1, 10, 0.5); // 0.1 for steps 0-9, 0.05 for 10-19, ...
 */
export function stepDecay(initialLr: number, dropEvery: number, factor = 0.5): Schedule {
  checkNumber('stepDecay', 'initialLr', initialLr, positive);
  checkInteger('stepDecay', 'dropEvery', dropEvery, 1);
  checkNumber('stepDecay', 'factor', factor, decayFactor);
  return make({ type: 'stepDecay', initialLr, dropEvery, factor }, (step) => initialLr * factor ** Math.floor(step / dropEvery));
}

/**
 * Smooth exponential decay: lr = initialLr * decayRate^(step / decaySteps), i.e. the rate is
 * multiplied by `decayRate` over every `decaySteps` steps (default 1: every step).
 * @example
 * const lr = exponentialDecay(0.01, 0.5, 100); // halves every 100 steps
 */
export function exponentialDecay(initialLr: number, decayRate: number, decaySteps = 1): Schedule {
  checkNumber('exponentialDecay', 'initialLr', initialLr, positive);
  checkNumber('exponentialDecay', 'decayRate', decayRate, decayFactor);
  checkNumber('exponentialDecay', 'decaySteps', decaySteps, positive);
  return make({ type: 'exponentialDecay', initialLr, decayRate, decaySteps }, (step) => initialLr * decayRate ** (step / decaySteps));
}

/**
 * Half a cosine from initialLr down to minLr over totalSteps steps, then minLr:
 * lr = minLr + (initialLr - minLr) * (1 + cos(pi * min(step, totalSteps) / totalSteps)) / 2
 * (Loshchilov & Hutter's SGDR without restarts). It starts flat, decays fastest mid-way and
 * lands gently.
 * @example
 * const lr = cosineDecay(0.1, 1000); // 0.1 at step 0, 0.05 at step 500, 0 from step 1000 on
 */
export function cosineDecay(initialLr: number, totalSteps: number, minLr = 0): Schedule {
  checkNumber('cosineDecay', 'initialLr', initialLr, positive);
  checkNumber('cosineDecay', 'totalSteps', totalSteps, positive);
  checkNumber('cosineDecay', 'minLr', minLr, interval(`[0, ${initialLr}]`));
  return make({ type: 'cosineDecay', initialLr, totalSteps, minLr }, (step) =>
    minLr + ((initialLr - minLr) * (1 + Math.cos((Math.PI * Math.min(step, totalSteps)) / totalSteps))) / 2,
  );
}

/**
 * The description of a schedule made by stepDecay/exponentialDecay/cosineDecay, else undefined.
 * @example
 * scheduleToJSON(stepDecay(0.1, 10, 0.5)); // { type: 'stepDecay', initialLr: 0.1, dropEvery: 10, factor: 0.5 }
 * scheduleToJSON((step) => 0.1); // undefined
 */
export function scheduleToJSON(schedule: Schedule): ScheduleJSON | undefined {
  const d = descriptions.get(schedule);
  return d === undefined ? undefined : { ...d };
}

/**
 * Rebuilds a schedule from `scheduleToJSON`'s description. Throws ValueError if it is malformed.
 * @example
 * scheduleFromJSON({ type: 'stepDecay', initialLr: 0.1, dropEvery: 10, factor: 0.5 })(10); // 0.05
 */
export function scheduleFromJSON(json: unknown): Schedule {
  const j = json as Record<string, unknown> | null;
  const keys = (...names: string[]): boolean => Object.keys(j!).length === names.length + 1 && names.every((n) => typeof j![n] === 'number');
  if (j !== null && typeof j === 'object') {
    if (j.type === 'stepDecay' && keys('initialLr', 'dropEvery', 'factor')) return stepDecay(j.initialLr as number, j.dropEvery as number, j.factor as number);
    if (j.type === 'exponentialDecay' && keys('initialLr', 'decayRate', 'decaySteps')) {
      return exponentialDecay(j.initialLr as number, j.decayRate as number, j.decaySteps as number);
    }
    if (j.type === 'cosineDecay' && keys('initialLr', 'totalSteps', 'minLr')) return cosineDecay(j.initialLr as number, j.totalSteps as number, j.minLr as number);
  }
  throw new ValueError(
    `scheduleFromJSON: expected {type: 'stepDecay' | 'exponentialDecay' | 'cosineDecay', ...its numeric arguments}, got ${describeValue(json)}`,
  );
}
