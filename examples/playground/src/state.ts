/**
 * Every setting of the page, its default, and its text form in `location.hash`
 * (`#dataset=spiral&hidden-layers=8,8&learning-rate=0.01&...`): a shared URL opens the same
 * playground. Reading a hash never throws: each unknown or invalid entry falls back to its
 * default and is reported, so a hand-edited URL still opens.
 */
import { type DatasetName, MAX_NOISE, isDatasetName } from './datasets.js';
import { type FeatureName, isFeatureName, orderFeatures } from './features.js';
import { type ActivationName, activationNames } from './model/network.js';
import { type OptimizerName, type Regularization, optimizerNames, regularizationNames } from './model/train.js';

export interface Settings {
  dataset: DatasetName;
  /** In [0, 0.5]. */
  noise: number;
  /** Share of the points used for training, in [0.1, 0.9]. */
  trainRatio: number;
  /** Seed of the data ("regenerate" draws a new one). */
  dataSeed: number;
  features: FeatureName[];
  hidden: number[];
  activation: ActivationName;
  optimizer: OptimizerName;
  lr: number;
  reg: Regularization;
  regRate: number;
  batchSize: number;
  /** Seed of the initial weights and of the shuffles. */
  seed: number;
  showTest: boolean;
  gradientView: boolean;
  logScale: boolean;
  tab: 'network' | 'graph';
  /** The graph tab's expression and its variables' values. */
  expression: string;
  variables: Record<string, number>;
}

export const defaults: Settings = {
  dataset: 'circles',
  noise: 0,
  trainRatio: 0.5,
  dataSeed: 1,
  features: ['x1', 'x2'],
  hidden: [4, 2],
  activation: 'tanh',
  optimizer: 'SGD',
  lr: 0.03,
  reg: 'none',
  regRate: 0.001,
  batchSize: 10,
  seed: 1,
  showTest: false,
  gradientView: false,
  logScale: false,
  tab: 'network',
  expression: 'tanh(a*b + c)',
  variables: { a: 2, b: -1, c: 1.5 },
};

/** Limits the page enforces (the diagram must stay readable and the tab responsive). */
export const MAX_LAYERS = 6;
export const MAX_UNITS = 12;
export const MAX_BATCH = 50;

/**
 * Parses "4, 2" into [4, 2] (empty: no hidden layer). Returns an error message for the page
 * instead of throwing.
 */
export function parseHidden(text: string): number[] | string {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const parts = trimmed.split(/\s*[,\s]\s*/);
  if (parts.length > MAX_LAYERS) return `at most ${MAX_LAYERS} hidden layers, got ${parts.length}`;
  const sizes: number[] = [];
  for (const p of parts) {
    const n = Number(p);
    if (p === '' || !Number.isInteger(n) || n < 1 || n > MAX_UNITS) return `layer sizes are whole numbers from 1 to ${MAX_UNITS}, got "${p.slice(0, 20)}"`;
    sizes.push(n);
  }
  return sizes;
}

const num = (x: number): string => String(x);

/** The hash for `s`: every setting, in a fixed order. */
export function encodeHash(s: Settings): string {
  const p = new URLSearchParams();
  p.set('dataset', s.dataset);
  p.set('noise', num(Math.round(s.noise * 100)));
  p.set('train-ratio', num(Math.round(s.trainRatio * 100)));
  p.set('data-seed', num(s.dataSeed));
  p.set('features', s.features.join(','));
  p.set('hidden-layers', s.hidden.join(','));
  p.set('activation', s.activation);
  p.set('optimizer', s.optimizer);
  p.set('learning-rate', num(s.lr));
  p.set('regularization', s.reg);
  p.set('reg-rate', num(s.regRate));
  p.set('batch-size', num(s.batchSize));
  p.set('seed', num(s.seed));
  p.set('show-test', s.showTest ? '1' : '0');
  p.set('gradient-view', s.gradientView ? '1' : '0');
  p.set('log-scale', s.logScale ? '1' : '0');
  p.set('tab', s.tab);
  p.set('expression', s.expression);
  p.set('variables', Object.entries(s.variables).map(([k, v]) => `${k}:${v}`).join(','));
  return `#${p.toString()}`;
}

type Reader<T> = (text: string) => T | undefined;

const oneOf =
  <T extends string>(names: readonly T[]): Reader<T> =>
  (t) =>
    (names as readonly string[]).includes(t) ? (t as T) : undefined;
const numberIn =
  (lo: number, hi: number, integer = false): Reader<number> =>
  (t) => {
    const n = t.trim() === '' ? NaN : Number(t);
    return Number.isFinite(n) && n >= lo && n <= hi && (!integer || Number.isInteger(n)) ? n : undefined;
  };
/** Percent in the hash, a fraction in the settings. */
const percent =
  (read: Reader<number>): Reader<number> =>
  (t) => {
    const v = read(t);
    return v === undefined ? undefined : v / 100;
  };
const flag: Reader<boolean> = (t) => (t === '1' ? true : t === '0' ? false : undefined);

const readers: { [K in keyof Settings]: [string, Reader<Settings[K]>] } = {
  dataset: ['dataset', (t) => (isDatasetName(t) ? t : undefined)],
  noise: ['noise', percent(numberIn(0, MAX_NOISE * 100))],
  trainRatio: ['train-ratio', percent(numberIn(10, 90))],
  dataSeed: ['data-seed', numberIn(0, 2 ** 31, true)],
  features: [
    'features',
    (t) => {
      const names = t.split(',').filter((f) => f !== '');
      return names.length > 0 && names.every(isFeatureName) ? orderFeatures(names) : undefined;
    },
  ],
  hidden: [
    'hidden-layers',
    (t) => {
      const sizes = parseHidden(t);
      return typeof sizes === 'string' ? undefined : sizes;
    },
  ],
  activation: ['activation', oneOf(activationNames)],
  optimizer: ['optimizer', oneOf(optimizerNames)],
  lr: ['learning-rate', numberIn(Number.MIN_VALUE, 1e6)],
  reg: ['regularization', oneOf(regularizationNames)],
  regRate: ['reg-rate', numberIn(0, 1e3)],
  batchSize: ['batch-size', numberIn(1, MAX_BATCH, true)],
  seed: ['seed', numberIn(0, 2 ** 31, true)],
  showTest: ['show-test', flag],
  gradientView: ['gradient-view', flag],
  logScale: ['log-scale', flag],
  tab: ['tab', oneOf(['network', 'graph'] as const)],
  expression: ['expression', (t) => (t.length <= 200 ? t : undefined)],
  variables: [
    'variables',
    (t) => {
      const entries: [string, number][] = [];
      for (const entry of t.split(',').filter((e) => e !== '')) {
        const m = /^([A-Za-z_]\w{0,19}):(.+)$/.exec(entry);
        const v = m ? Number(m[2]) : NaN;
        if (!m || !Number.isFinite(v)) return undefined;
        entries.push([m[1]!, v]);
      }
      return Object.fromEntries(entries); // own properties only, even for a name like __proto__
    },
  ],
};

/** Settings from a hash (with or without '#'), defaults for what is missing, and the entries that were invalid. */
export function decodeHash(hash: string): { settings: Settings; problems: string[] } {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const settings: Settings = { ...defaults, features: [...defaults.features], hidden: [...defaults.hidden], variables: { ...defaults.variables } };
  const problems: string[] = [];
  const known = new Set(Object.values(readers).map(([key]) => key));
  for (const key of params.keys()) if (!known.has(key)) problems.push(`unknown setting "${key.slice(0, 30)}"`);
  for (const field of Object.keys(readers) as (keyof Settings)[]) {
    const [key, read] = readers[field];
    const text = params.get(key);
    if (text === null) continue;
    const value = read(text);
    if (value === undefined) problems.push(`invalid ${key} "${text.slice(0, 30)}"`);
    else (settings as unknown as Record<string, unknown>)[field] = value;
  }
  return { settings, problems };
}
