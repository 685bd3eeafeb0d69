/**
 * Every built-in layer against PyTorch (float64): outputs, and the gradients of
 * sum(out * upstream) with respect to the input and the layer's parameters. Cases from
 * test/fixtures/layers.json (the shared fixtures) and layers-extra.json (gen_layers_extra.py).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MLArray } from '@smolml/core';
import { Activation, AvgPool2D, BatchNorm, Conv2D, Flatten, type Layer, LayerNorm, MaxPool2D } from '../../src/index.js';
import { type FixtureTensor, expectClose, fromFixture } from '../helpers.js';

interface LayerCase {
  name: string;
  kind: string;
  args: unknown[];
  options: Record<string, unknown> | null;
  activation?: string | null;
  params: Record<string, FixtureTensor>;
  x?: FixtureTensor;
  out?: FixtureTensor;
  upstream: FixtureTensor;
  grads: Record<string, FixtureTensor>;
  x_train?: FixtureTensor[];
  out_train?: FixtureTensor[];
  running_mean?: FixtureTensor;
  running_var?: FixtureTensor;
  x_eval?: FixtureTensor;
  out_eval?: FixtureTensor;
}

const read = (file: string): LayerCase[] => {
  const json = JSON.parse(readFileSync(new URL(`../fixtures/${file}`, import.meta.url), 'utf8')) as { layers?: LayerCase[]; cases?: LayerCase[] };
  return (json.layers ?? json.cases!).filter((c) => c.kind !== 'train');
};
const cases = [...read('layers.json'), ...read('layers-extra.json')];

const RTOL = 1e-9;
const ATOL = 1e-11;

function build(c: LayerCase): Layer {
  const a = c.args as never[];
  const options = { ...(c.options ?? {}) };
  switch (c.kind) {
    case 'conv2d':
      return new Conv2D(a[0]!, a[1]!, a[2]!, { ...options, activation: (c.activation ?? null) as 'relu' | null });
    case 'maxpool2d':
      return new MaxPool2D(a[0]!, options);
    case 'avgpool2d':
      return new AvgPool2D(a[0]!, options);
    case 'flatten':
      return new Flatten();
    case 'activation':
      return new Activation(a[0]!);
    case 'batchnorm':
      return new BatchNorm(a[0]!, options);
    case 'layernorm':
      return new LayerNorm(a[0]!, options);
    default:
      throw new Error(`unknown fixture kind ${c.kind}`);
  }
}

/** The layer's array named as in the fixture (`weights`, `biases`, `gamma`, `beta`). */
const field = (layer: Layer, name: string): MLArray => (layer as unknown as Record<string, MLArray>)[name]!;

function setParams(layer: Layer, c: LayerCase): void {
  for (const [name, t] of Object.entries(c.params)) {
    expect(field(layer, name).shape, name).toEqual(t.shape);
    field(layer, name).data.set(t.data);
  }
}

function checkGrads(layer: Layer, x: MLArray, out: MLArray, c: LayerCase): void {
  out.backward(fromFixture(c.upstream));
  for (const [name, g] of Object.entries(c.grads)) {
    const grad = name === 'x' ? x.grad : field(layer, name).grad;
    expect(grad, `grad of ${name}`).not.toBeNull();
    expect(grad!.shape).toEqual(g.shape);
    expectClose(grad!.data, g.data, RTOL, ATOL, `${c.name} grad ${name}`);
  }
}

describe('built-in layers equal PyTorch (float64)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const layer = build(c);
      setParams(layer, c);
      if (c.kind === 'batchnorm') {
        // three training passes (running statistics move), gradients of the last, then inference
        let x: MLArray | null = null;
        let out: MLArray | null = null;
        c.x_train!.forEach((t, i) => {
          x = fromFixture(t);
          if (i === 2) x = new MLArray(x.data, x.shape, true);
          out = layer.forward(x, { training: true });
          expectClose(out.data, c.out_train![i]!.data, RTOL, ATOL, `${c.name} out_train[${i}]`);
        });
        checkGrads(layer, x!, out!, c);
        const bn = layer as BatchNorm;
        expectClose(bn.runningMean.data, c.running_mean!.data, RTOL, ATOL, 'runningMean');
        expectClose(bn.runningVar.data, c.running_var!.data, RTOL, ATOL, 'runningVar');
        const [mean, variance] = [bn.runningMean.data.slice(), bn.runningVar.data.slice()];
        const evalOut = layer.forward(fromFixture(c.x_eval!));
        expectClose(evalOut.data, c.out_eval!.data, RTOL, ATOL, `${c.name} out_eval`);
        // inference leaves the running statistics alone
        expect(bn.runningMean.data).toEqual(mean);
        expect(bn.runningVar.data).toEqual(variance);
        return;
      }
      const x = fromFixture(c.x!);
      const leaf = new MLArray(x.data, x.shape, true);
      const out = layer.forward(leaf, { training: true });
      expect(out.shape).toEqual(c.out!.shape);
      expectClose(out.data, c.out!.data, RTOL, ATOL, `${c.name} out`);
      checkGrads(layer, leaf, out, c);
      // these layers compute the same in inference
      expectClose(layer.forward(x).data, out.data, 0, 0, `${c.name} inference`);
    });
  }
});
