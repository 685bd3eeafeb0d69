/**
 * Which smolml API the workloads train with: the public @smolml/nn API by default;
 * SMOLML_BENCH_API=core selects the hand-written loop on core ops (to profile core alone).
 */
import { buildHandwritten } from './smolml-handwritten.js';
import type { ModelSpec, SmolModel } from './smolml-model.js';
import { buildNn } from './smolml-nn.js';

export function buildModel(spec: ModelSpec): SmolModel {
  return process.env.SMOLML_BENCH_API === 'core' ? buildHandwritten(spec) : buildNn(spec);
}
