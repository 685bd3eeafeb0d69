/**
 * conv2d, maxPool2d and avgPool2d against PyTorch float64: forward output and the gradients of
 * sum(out * upstream) for every case of
 *  - fixtures/image-ops.json: the image-op cases of the shared layers.json, copied verbatim;
 *  - fixtures/image-ops-extra.json: written by fixtures/generate_conv.py (asymmetric stride and
 *    padding, 1x1 kernels, batches with several channels, kernels as large as the input,
 *    max-pool ties).
 * `null` in a case means "option left at its default", so it is passed as undefined.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MLArray, Size2d } from '../src/index.js';
import { expectClose, type FixtureTensor } from '@smolml/test-utils';
import { fromFixture } from './helpers.js';

interface Case {
  name: string;
  kernel: Size2d;
  stride: Size2d | null;
  padding?: Size2d | null;
  x: FixtureTensor;
  w?: FixtureTensor;
  out: FixtureTensor;
  upstream: FixtureTensor;
  grad_x: FixtureTensor;
  grad_w?: FixtureTensor;
}
interface File {
  conv2d: Case[];
  max_pool2d: Case[];
  avg_pool2d: Case[];
}

const load = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as File;
const shared = load('image-ops.json');
const extra = load('image-ops-extra.json');

const opt = <T>(v: T | null | undefined): T | undefined => v ?? undefined;

const runners: Record<keyof File, (c: Case, x: MLArray, w: MLArray | null) => MLArray> = {
  conv2d: (c, x, w) => x.conv2d(w!, { stride: opt(c.stride), padding: opt(c.padding) } as object),
  max_pool2d: (c, x) => x.maxPool2d(c.kernel, { stride: opt(c.stride), padding: opt(c.padding) } as object),
  avg_pool2d: (c, x) => x.avgPool2d(c.kernel, { stride: opt(c.stride) } as object),
};

function check(op: keyof File, c: Case): void {
  const x = fromFixture(c.x, true);
  const w = c.w ? fromFixture(c.w, true) : null;
  const out = runners[op](c, x, w);
  expect([...out.shape]).toEqual(c.out.shape);
  expectClose(out.data, c.out.data, 1e-9, 1e-12, `${c.name} out`);
  out.backward(fromFixture(c.upstream));
  expectClose(x.grad!.data, c.grad_x.data, 1e-9, 1e-12, `${c.name} grad_x`);
  if (w) expectClose(w.grad!.data, c.grad_w!.data, 1e-9, 1e-12, `${c.name} grad_w`);
}

describe('image ops against PyTorch float64 (shared layers.json cases)', () => {
  it('holds exactly the published cases', () => {
    expect([shared.conv2d.length, shared.max_pool2d.length, shared.avg_pool2d.length]).toEqual([7, 4, 3]);
  });
  for (const op of ['conv2d', 'max_pool2d', 'avg_pool2d'] as const) {
    it.each(shared[op].map((c) => [c.name, c] as const))(`${op} %s`, (_n, c) => check(op, c));
  }
});

describe('image ops against PyTorch float64 (generate_conv.py cases)', () => {
  it('holds exactly the generated cases', () => {
    expect([extra.conv2d.length, extra.max_pool2d.length, extra.avg_pool2d.length]).toEqual([8, 8, 4]);
  });
  for (const op of ['conv2d', 'max_pool2d', 'avg_pool2d'] as const) {
    it.each(extra[op].map((c) => [c.name, c] as const))(`${op} %s`, (_n, c) => check(op, c));
  }
});
