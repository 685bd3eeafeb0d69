/**
 * smolml networks <-> model specs: which smolml layer becomes which specs on export, and which
 * specs become which smolml layers on import (the mappings themselves are in ./dense.ts and
 * ./nn-layers.ts).
 */
import { ValueError } from '@smolml/core';
import { describeValue, ownEntry } from '@smolml/core/internal';
import { Activation, AvgPool2D, BatchNorm, Conv2D, DenseLayer, Dropout, Flatten, type Layer, LayerNorm, MaxPool2D } from '@smolml/nn';
import { type LayerKind, type LayerSpec, type ModelSpec, type SpecOf, inferShapes } from '../ir.js';
import { denseFromSpecs, denseToSpecs } from './dense.js';
import * as m from './nn-layers.js';

/** Export side: a smolml layer (by its `type`) to specs. */
type ToSpecs = (layer: unknown, where: string) => LayerSpec[] | null;

/** `map` for instances of `cls` only: a layer that merely claims the type string has no mapping. */
function only<T>(cls: abstract new (...args: never[]) => T, map: (layer: T, where: string) => LayerSpec[]): ToSpecs {
  return (layer, where) => (layer instanceof cls ? map(layer, where) : null);
}

/** By the layer's `type` (the names @smolml/nn's registry uses). */
const toSpecs: Readonly<Record<string, ToSpecs>> = {
  dense: only(DenseLayer, denseToSpecs),
  conv2d: only(Conv2D, m.convToSpecs),
  maxPool2d: only(MaxPool2D, m.maxPoolToSpecs),
  avgPool2d: only(AvgPool2D, m.avgPoolToSpecs),
  flatten: only(Flatten, m.flattenToSpecs),
  dropout: only(Dropout, m.dropoutToSpecs),
  batchNorm: only(BatchNorm, m.batchNormToSpecs),
  layerNorm: only(LayerNorm, m.layerNormToSpecs),
  activation: only(Activation, m.activationLayerToSpecs),
};

function typeOf(layer: unknown): string {
  const type = typeof layer === 'object' && layer !== null ? (layer as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? `'${type}'` : describeValue(layer);
}

/** A spec and the smolml layer it comes from: `layer` is its index, `where` names it in messages. */
export interface LabelledSpec {
  spec: LayerSpec;
  layer: number;
  where: string;
}

/** The specs of a network's layers, in order. A layer without an ONNX mapping throws a ValueError naming it. */
export function networkToSpecs(layers: readonly unknown[], op: string): LabelledSpec[] {
  return layers.flatMap((layer, i) => {
    const type = typeof layer === 'object' && layer !== null ? (layer as { type?: unknown }).type : undefined;
    const map = ownEntry(toSpecs, type);
    const where = `layer ${i} (${map === undefined ? `type ${typeOf(layer)}` : String(layer)})`;
    const specs = map === undefined ? null : map(layer, `${op}: ${where}`);
    if (specs === null) {
      throw new ValueError(
        `${op}: ${where} has no ONNX mapping; @smolml/onnx exports ${Object.keys(toSpecs).join(', ')} layers. ` +
          'Replace the layer with built-in ones, or export the parts before and after it separately',
      );
    }
    return specs.map((spec) => ({ spec, layer: i, where }));
  });
}

/** The layer of each kind that maps to one layer by itself (dense, conv and flatten depend on their neighbours). */
const FROM_SPEC: { [K in Exclude<LayerKind, 'dense' | 'conv' | 'flatten'>]: (spec: SpecOf<K>) => Layer } = {
  maxpool: m.maxPoolFromSpec,
  avgpool: m.avgPoolFromSpec,
  batchnorm: m.batchNormFromSpec,
  layernorm: m.layerNormFromSpec,
  dropout: m.dropoutFromSpec,
  activation: m.activationFromSpec,
};

/** The activation spec right after spec `i`, which a dense or conv layer takes as its own. */
function activationAfter(specs: readonly LayerSpec[], i: number): SpecOf<'activation'> | undefined {
  const next = specs[i + 1];
  return next?.kind === 'activation' ? next : undefined;
}

/**
 * The smolml layers computing a model spec, in order: each dense or conv spec, with the
 * activation right after it (if any), becomes a DenseLayer or Conv2D; every other spec becomes
 * its layer (a lone activation an Activation layer, a dropout a Dropout, which predicts as the
 * identity and drops units when the network trains further). A flatten of an input that is
 * already `(batch, features)` is left out.
 */
export function specsToLayers(model: ModelSpec, op: string): Layer[] {
  const shapes = inferShapes(model, op);
  const layers: Layer[] = [];
  const specs = model.layers;
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i]!;
    switch (spec.kind) {
      case 'dense':
      case 'conv': {
        const activation = activationAfter(specs, i);
        layers.push(spec.kind === 'dense' ? denseFromSpecs(spec, activation) : m.convFromSpecs(spec, activation));
        if (activation !== undefined) i++;
        break;
      }
      case 'flatten':
        if (shapes[i]!.length !== 2) layers.push(m.flattenFromSpec());
        break;
      default:
        layers.push((FROM_SPEC[spec.kind] as (s: LayerSpec) => Layer)(spec));
    }
  }
  if (!layers.some((l) => l.parameters().length > 0)) {
    throw new ValueError(`${op}: the model has no layer with weights (only ${specs.map((s) => s.kind).join(', ') || 'nothing'})`);
  }
  return layers;
}
