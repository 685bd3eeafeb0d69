/**
 * Argument checks shared by every smolml package (exported through `@smolml/core/internal`), so
 * that an option typo, an out-of-range hyperparameter or a wrong-typed value gets the same clear
 * message wherever it is made. Every message names the operation and shows the offending value,
 * bounded in length: a hostile 50 MB string or a cyclic object never ends up in a message whole.
 */
import { ValueError } from './errors.js';

const MAX_SHOWN = 60;

/**
 * A short, safe description of any value for an error message: its text (cut to `max`
 * characters) and, for anything but a plain number, its type, e.g. `[2] (array)`,
 * `"relu" (string)`, `null`. Never throws (cycles, deep nesting, hostile `toString`).
 * @example
 * describeValue([2]); // '[2] (array)'
 */
export function describeValue(v: unknown, max = MAX_SHOWN): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return `${String(v)}${typeof v === 'number' ? '' : ` (${typeof v})`}`;
  if (typeof v === 'string') return `${clip(JSON.stringify(clip(v, max + 1)), max)} (string)`;
  if (typeof v === 'function') return `${clip(v.name || 'anonymous', max)} (function)`;
  if (typeof v === 'symbol') return `${clip(String(v), max)} (symbol)`;
  if (Array.isArray(v)) return `${clip(showArray(v, max), max)} (array)`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name} of ${(v as unknown as ArrayLike<unknown>).length ?? v.byteLength} elements`;
  let name = 'object';
  try {
    const proto: unknown = Object.getPrototypeOf(v);
    const ctor = proto === null ? undefined : (proto as { constructor?: { name?: unknown } }).constructor;
    if (ctor !== undefined && ctor !== Object && typeof ctor.name === 'string' && ctor.name !== '') name = `${clip(ctor.name, 40)} instance`;
  } catch {
    // a Proxy may throw from getPrototypeOf: keep 'object'
  }
  let keys: string[] = [];
  try {
    keys = Object.keys(v as object);
  } catch {
    // as above
  }
  const shown = keys.slice(0, 5).map((k) => clip(k, 20)).join(', ');
  return `${name} {${shown}${keys.length > 5 ? ', ...' : ''}}`;
}

/** `[1, 2, [..]]`: the first elements of an array, one level deep, never recursing further. */
function showArray(a: readonly unknown[], max: number): string {
  const parts: string[] = [];
  let len = 2;
  for (let i = 0; i < a.length && len < max; i++) {
    const x = a[i];
    const s = typeof x === 'number' ? String(x) : Array.isArray(x) ? '[..]' : typeof x === 'string' ? clip(JSON.stringify(clip(x, 21)), 20) : x === null ? 'null' : typeof x;
    parts.push(s);
    len += s.length + 2;
  }
  const more = parts.length < a.length ? `, ... ${a.length - parts.length} more` : '';
  return `[${parts.join(', ')}${more}]`;
}

/** Cuts `s` to at most `max` characters, marking the cut with an ellipsis. */
export function clip(s: string, max = MAX_SHOWN): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1))}…`;
}

/** Edit distance (insertions, deletions, substitutions), case-insensitive, capped for long input. */
function distance(a: string, b: string): number {
  const x = a.slice(0, 64).toLowerCase();
  const y = b.slice(0, 64).toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length]!;
}

/**
 * The candidate closest to `name` (ignoring case, `_` and `-`), if it is close enough to be a
 * likely typo: `closestName('epoch', ['epochs', 'batchSize'])` is `'epochs'`.
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  // Only the first 64 characters matter: a hostile 50 MB name costs no more than a short one.
  const norm = (s: string) => s.slice(0, 64).replace(/[_-]/g, '');
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(norm(name), norm(c));
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(Math.min(name.length, 64) / 3)) ? best : undefined;
}

/** `; did you mean 'epochs'?` or an empty string. */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const c = closestName(name, candidates);
  return c === undefined ? '' : `; did you mean '${c}'?`;
}

/**
 * Checks an options object: `undefined` and `null` mean "all defaults" (returns `{}`); anything
 * else must be a plain object whose own keys are all in `known`. An unknown key throws a
 * ValueError with a "did you mean" hint (`{ epoch: 5 }` suggests `epochs`).
 * @example
 * const o = checkOptions('train', options, ['epochs', 'batchSize']);
 */
export function checkOptions<T extends object>(op: string, options: T | null | undefined, known: readonly string[]): Partial<T> {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new ValueError(`${op}: options must be an object, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new ValueError(`${op}: unknown option '${clip(key, 40)}'${didYouMean(key, known)}; known options: ${known.join(', ')}`);
    }
  }
  return options;
}

/**
 * An interval of allowed numbers, with each end open or closed. Build one with `interval`, or
 * use a named one: `positive` (0, ∞), `nonNegative` [0, ∞), `unitOpenRight` [0, 1), `real` (-∞, ∞).
 */
export interface Interval {
  readonly lo: number;
  readonly hi: number;
  readonly loOpen: boolean;
  readonly hiOpen: boolean;
}

/**
 * An interval from its notation: `interval('[0, 1)')`, `interval('(0, inf)')`.
 * @example
 * const beta = interval('[0, 1)');
 */
export function interval(notation: string): Interval {
  const m = /^\s*([[(])\s*(-?(?:inf|[\d.e+-]+))\s*,\s*(-?(?:inf|[\d.e+-]+))\s*([\])])\s*$/.exec(notation);
  if (m === null) throw new ValueError(`interval: cannot parse ${JSON.stringify(notation)}; write e.g. '[0, 1)'`);
  const num = (s: string) => (s === 'inf' ? Infinity : s === '-inf' ? -Infinity : Number(s));
  return { lo: num(m[2]!), hi: num(m[3]!), loOpen: m[1] === '(', hiOpen: m[4] === ')' };
}

/** (0, ∞) */
export const positive: Interval = interval('(0, inf)');
/** [0, ∞) */
export const nonNegative: Interval = interval('[0, inf)');
/** [0, 1) */
export const unitOpenRight: Interval = interval('[0, 1)');
/** (-∞, ∞): any finite number (checkNumber then says just "must be a finite number"). */
export const real: Interval = interval('(-inf, inf)');

/** `[0, 1)`, `(0, inf)`: the interval in the usual notation. */
export function formatInterval(r: Interval): string {
  const end = (x: number) => (x === Infinity ? 'inf' : x === -Infinity ? '-inf' : String(x));
  return `${r.loOpen ? '(' : '['}${end(r.lo)}, ${end(r.hi)}${r.hiOpen ? ')' : ']'}`;
}

/** Whether `x` is a finite number inside `r`. */
export function inInterval(x: unknown, r: Interval): x is number {
  return typeof x === 'number' && Number.isFinite(x) && (r.loOpen ? x > r.lo : x >= r.lo) && (r.hiOpen ? x < r.hi : x <= r.hi);
}

/**
 * Returns `x` if it is a finite number in `r`, else throws a ValueError naming `op`, `name`,
 * the interval and the value received.
 * @example
 * checkNumber('Adam', 'beta1', 0.9, unitOpenRight); // 0.9
 */
export function checkNumber(op: string, name: string, x: unknown, r: Interval): number {
  if (!inInterval(x, r)) {
    const where = r.lo === -Infinity && r.hi === Infinity ? '' : ` in ${formatInterval(r)}`;
    throw new ValueError(`${op}: ${name} must be a finite number${where}, got ${describeValue(x)}`);
  }
  return x;
}

/**
 * Returns `x` if it is an integer >= `min` (default 1), else throws a ValueError.
 * @example
 * checkInteger('train', 'epochs', 10, 0); // 10
 */
export function checkInteger(op: string, name: string, x: unknown, min = 1): number {
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < min) {
    throw new ValueError(`${op}: ${name} must be an integer >= ${min}, got ${describeValue(x)}`);
  }
  return x;
}

/** Whether `v` is a non-null, non-array object (a JSON object). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Own-property lookup in a name table: never finds `constructor`, `__proto__` or other inherited keys. */
export function ownEntry<T>(table: Readonly<Record<string, T>>, name: unknown): T | undefined {
  return typeof name === 'string' && Object.hasOwn(table, name) ? table[name] : undefined;
}
