/**
 * smolml networks <-> model specs: which smolml layer becomes which specs on export, and which
 * specs become which smolml layers on import. Today @smolml/nn has DenseLayer only; the mappings
 * of issue 11's layers are written in ./pending.ts and join the two tables below when those
 * layers land (see the checklist there).
 */
import { ValueError } from '@smolml/core';
import { describeValue, ownEntry } from '@smolml/core/internal';
import { DenseLayer } from '@smolml/nn';
import { type LayerKind, type LayerSpec, type ModelSpec, type SpecOf, describeSpec, inferShapes } from '../ir.js';
import { denseFromSpecs, denseToSpecs } from './dense.js';

/** Export side: a smolml layer (by its `type`) to specs. */
type ToSpecs = (layer: unknown, where: string) => LayerSpec[] | null;

const toSpecs: Readonly<Record<string, ToSpecs>> = {
  dense: (layer, where) => (layer instanceof DenseLayer ? denseToSpecs(layer, where) : null),
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

/** The @smolml/nn class a spec kind maps to, for messages. */
const LAYER_CLASS: Record<LayerKind, string> = {
  dense: 'DenseLayer',
  conv: 'Conv2D',
  maxpool: 'MaxPool2D',
  avgpool: 'AvgPool2D',
  flatten: 'Flatten',
  batchnorm: 'BatchNorm',
  layernorm: 'LayerNorm',
  activation: 'Activation',
  dropout: 'Dropout',
};

function pending(where: string, kind: LayerKind): never {
  throw new ValueError(
    `${where} needs @smolml/nn's ${LAYER_CLASS[kind]} layer, which this version of @smolml/nn does not have; ` +
      'readOnnx(bytes) still reads the model into layer specs',
  );
}

/**
 * The smolml layers computing a model spec: each dense spec, with the activation right after it,
 * becomes a DenseLayer. Dropout is the identity at inference, so it is left out; a flatten of an
 * input that is already `(batch, features)` likewise. Every other kind throws until @smolml/nn
 * has its layer.
 */
export function specsToLayers(model: ModelSpec, op: string): DenseLayer[] {
  const shapes = inferShapes(model, op);
  const layers: DenseLayer[] = [];
  const specs = model.layers;
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i]!;
    const where = `${op}: ${describeSpec(spec, i)}`;
    switch (spec.kind) {
      case 'dense': {
        // The activation may come after dropouts, which are left out.
        let j = i + 1;
        while (specs[j]?.kind === 'dropout') j++;
        const next = specs[j];
        const activation = next?.kind === 'activation' ? (next as SpecOf<'activation'>) : undefined;
        if (activation !== undefined) i = j;
        layers.push(denseFromSpecs(spec, activation));
        break;
      }
      case 'dropout':
        break;
      case 'flatten':
        if (shapes[i]!.length !== 2) pending(where, spec.kind);
        break;
      default:
        pending(where, spec.kind);
    }
  }
  if (layers.length === 0) throw new ValueError(`${op}: the model has no layer with weights (only ${specs.map((s) => s.kind).join(', ') || 'nothing'})`);
  return layers;
}
