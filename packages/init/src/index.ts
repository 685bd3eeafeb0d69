/**
 * @smolml/init — weight initializers implementing core's `Initializer`. Weights are laid out
 * `(in, out)`; see `computeFans` for the fan rule of 0-d, 1-d and n-d shapes.
 * @packageDocumentation
 */
export type { Initializer } from '@smolml/core';
export { computeFans, type Fans, type SeedOptions } from './fans.js';
export { RandomUniform, type RandomUniformOptions } from './uniform.js';
export { XavierUniform, XavierNormal, type XavierOptions } from './xavier.js';
export { HeInitialization, HeUniform, type HeOptions } from './he.js';
export { Zeros, Ones } from './constant.js';
