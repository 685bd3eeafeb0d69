/**
 * @smolml/init — weight initializers implementing core's `Initializer`. Dense weights are laid out
 * `(in, out)`, convolution kernels `(out, in, kH, kW)`; see `computeFans` for every rank.
 * @packageDocumentation
 */
export type { Initializer } from '@smolml/core';
export { computeFans, type Fans, type FanMode } from './fans.js';
export type { SeedOptions } from './random.js';
export { RandomUniform, type RandomUniformOptions } from './uniform.js';
export {
  VarianceScaling,
  VarianceScalingPreset,
  XavierUniform,
  XavierNormal,
  HeInitialization,
  HeUniform,
  type Distribution,
  type VarianceScalingConfig,
  type VarianceScalingOptions,
  type Preset,
  type PresetOptions,
  type XavierOptions,
  type HeOptions,
} from './variance-scaling.js';
export { Zeros, Ones } from './constant.js';
