/**
 * Variance scaling (Keras' `VarianceScaling`): weights with mean 0 and variance scale / fan, where
 * fan is fanIn, fanOut or their mean (see `computeFans`), drawn from a normal or a uniform
 * distribution. Xavier/Glorot and He/Kaiming are presets of it:
 *
 * | preset | scale | mode | distribution |
 * | --- | --- | --- | --- |
 * | XavierUniform, XavierNormal | 1 | fanAvg | uniform, normal |
 * | HeUniform, HeInitialization | 2 | fanIn | uniform, normal |
 *
 * Xavier (Glorot & Bengio, 2010) keeps the variance of activations (1 / fanIn) and of
 * back-propagated gradients (1 / fanOut) equal across a layer as well as both allow: 1 / fanAvg.
 * He (He et al., 2015): a ReLU zeroes half of its inputs on average, halving the second moment it
 * passes on; scale 2 restores it, so activations keep their scale through deep ReLU stacks.
 */
import { ValueError, type Initializer, type MLArray, type Rng, type Shape } from '@smolml/core';
import { checkNumber, checkOptions, checkShape, describeValue, didYouMean, positive } from '@smolml/core/internal';
import { fanOf, type FanMode } from './fans.js';
import { normalArray, pickRng, seededRng, uniformArray, type SeedOptions } from './random.js';

/** The distribution of a variance-scaling initializer: N(0, σ²) or U[-limit, limit) of the same variance. */
export type Distribution = 'normal' | 'uniform';

/** What a variance-scaling initializer draws: variance `scale / fan(mode)` from `distribution`. */
export interface VarianceScalingConfig {
  /** Multiplies the variance, > 0 (default 1). */
  scale?: number;
  /** Which fan to divide by: `'fanIn'` (default), `'fanOut'` or `'fanAvg'` (their mean). */
  mode?: FanMode;
  /** `'normal'` (default; N(0, scale / fan), not truncated) or `'uniform'` (U[-l, l), l = sqrt(3 scale / fan)). */
  distribution?: Distribution;
}

/** Options of `VarianceScaling`. */
export interface VarianceScalingOptions extends VarianceScalingConfig, SeedOptions {}

/** A preset: a public class name and the configuration it stands for. */
export interface Preset extends Required<VarianceScalingConfig> {
  readonly name: string;
}

const MODES: readonly FanMode[] = ['fanIn', 'fanOut', 'fanAvg'];
const DISTRIBUTIONS: readonly Distribution[] = ['normal', 'uniform'];

function checkChoice<T extends string>(op: string, name: string, x: unknown, choices: readonly T[]): T {
  if (choices.includes(x as T)) return x as T;
  const hint = typeof x === 'string' ? didYouMean(x, choices) : '';
  throw new ValueError(`${op}: ${name} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${describeValue(x)}${hint}`);
}

/**
 * Weights of variance `scale / fan` (Keras' VarianceScaling; the Xavier and He classes are its
 * presets). Normal: N(0, scale / fan); uniform: U[-l, l) with l = sqrt(3 scale / fan), the uniform
 * of the same variance.
 * @example
 * // LeCun normal, N(0, 1 / fanIn):
 * const w = new VarianceScaling({ scale: 1, mode: 'fanIn', distribution: 'normal', seed: 1 }).initialize([64, 32]);
 */
export class VarianceScaling implements Initializer {
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: Distribution;
  readonly #name: string;
  readonly #rng: Rng | null;

  constructor(options: VarianceScalingOptions = {}) {
    const preset = this.preset;
    this.#name = preset?.name ?? 'VarianceScaling';
    // A preset fixes scale, mode and distribution: only the seed is an option.
    const o = checkOptions<VarianceScalingOptions>(this.#name, options, preset === undefined ? ['scale', 'mode', 'distribution', 'seed'] : ['seed']);
    this.scale = preset?.scale ?? checkNumber(this.#name, 'scale', o.scale ?? 1, positive);
    this.mode = preset?.mode ?? checkChoice(this.#name, 'mode', o.mode ?? 'fanIn', MODES);
    this.distribution = preset?.distribution ?? checkChoice(this.#name, 'distribution', o.distribution ?? 'normal', DISTRIBUTIONS);
    this.#rng = seededRng(this.#name, o.seed);
  }

  /** The configuration a preset subclass stands for (undefined for VarianceScaling itself). */
  protected get preset(): Preset | undefined {
    return undefined;
  }

  /** A new plain (requiresGrad false) array of `shape`; fans as in `computeFans`. */
  initialize(shape: Shape, rng?: Rng): MLArray {
    checkShape(`${this.#name}.initialize`, shape);
    const fan = fanOf(shape, this.mode);
    const r = pickRng(rng, this.#rng);
    if (this.distribution === 'normal') return normalArray(shape, Math.sqrt(this.scale / fan), r);
    const limit = Math.sqrt((3 * this.scale) / fan);
    return uniformArray(shape, -limit, limit, r);
  }
}

/** Options of the Xavier and He presets: only the seed (their scale, mode and distribution are fixed). */
export type PresetOptions = SeedOptions;
/** Options of the Xavier initializers. */
export type XavierOptions = PresetOptions;
/** Options of the He initializers. */
export type HeOptions = PresetOptions;

const XAVIER_UNIFORM: Preset = { name: 'XavierUniform', scale: 1, mode: 'fanAvg', distribution: 'uniform' };
const XAVIER_NORMAL: Preset = { name: 'XavierNormal', scale: 1, mode: 'fanAvg', distribution: 'normal' };
const HE_NORMAL: Preset = { name: 'HeInitialization', scale: 2, mode: 'fanIn', distribution: 'normal' };
const HE_UNIFORM: Preset = { name: 'HeUniform', scale: 2, mode: 'fanIn', distribution: 'uniform' };

/**
 * The base of the named presets: only a `seed` option (scale, mode and distribution are the
 * preset's). A subclass names its configuration by overriding `preset`.
 * @example
 * new HeUniform({ seed: 1 }) instanceof VarianceScalingPreset; // true
 */
export abstract class VarianceScalingPreset extends VarianceScaling {
  constructor(options: PresetOptions = {}) {
    super(options);
  }
}

/**
 * Xavier/Glorot uniform: U[-l, l) with l = sqrt(6 / (fanIn + fanOut)), since a uniform on [-a, a]
 * has variance a² / 3 = 2 / (fanIn + fanOut). VarianceScaling with scale 1, fanAvg, uniform.
 * Suited to tanh, sigmoid and linear layers.
 * @example
 * const w = new XavierUniform({ seed: 1 }).initialize([784, 128]); // plain (784, 128) array
 */
export class XavierUniform extends VarianceScalingPreset {
  protected override get preset(): Preset {
    return XAVIER_UNIFORM;
  }
}

/**
 * Xavier/Glorot normal: N(0, 2 / (fanIn + fanOut)) (not truncated). VarianceScaling with scale 1,
 * fanAvg, normal.
 * @example
 * const w = new XavierNormal({ seed: 1 }).initialize([64, 10]);
 */
export class XavierNormal extends VarianceScalingPreset {
  protected override get preset(): Preset {
    return XAVIER_NORMAL;
  }
}

/**
 * He/Kaiming normal: N(0, 2 / fanIn) (not truncated). VarianceScaling with scale 2, fanIn,
 * normal. Suited to the ReLU family.
 * @example
 * const w = new HeInitialization({ seed: 1 }).initialize([784, 128]);
 */
export class HeInitialization extends VarianceScalingPreset {
  protected override get preset(): Preset {
    return HE_NORMAL;
  }
}

/**
 * He/Kaiming uniform: U[-l, l) with l = sqrt(6 / fanIn), the uniform of variance 2 / fanIn.
 * VarianceScaling with scale 2, fanIn, uniform.
 * @example
 * const w = new HeUniform({ seed: 1 }).initialize([128, 64]);
 */
export class HeUniform extends VarianceScalingPreset {
  protected override get preset(): Preset {
    return HE_UNIFORM;
  }
}
