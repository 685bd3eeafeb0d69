/**
 * PENDING (issue 11): the mappings between issue 11's layers and layer specs, written against
 * the API that `/work/shared/SPEC.md` ("Layers beyond Dense") fixes, for when those layers land
 * in @smolml/nn. Nothing imports this file yet and it is left out of the build
 * (tsconfig.build.json); `pnpm typecheck` keeps it compiling.
 *
 * Until then the classes are described structurally below (`*Like` / `*Class`). To finish:
 *  1. Replace the `*Like` interfaces and `*Class` types with the classes from '@smolml/nn'
 *     (Conv2D, MaxPool2D, AvgPool2D, Flatten, Dropout, BatchNorm, LayerNorm, Activation, Layer)
 *     and drop the `classes` parameters. Check the points marked ASSUMED (SPEC fixes the
 *     constructors and the array fields, not the `type` strings or the names of the other fields).
 *  2. In ./network.ts: spread `pendingToSpecs` into `toSpecs`; in specsToLayers replace the
 *     `pending(where, kind)` branches with these builders (conv takes the activation after it,
 *     as dense does; a flatten of a 4-D input becomes Flatten; a dropout becomes Dropout instead
 *     of being left out; a lone activation becomes Activation); type the result `Layer[]`.
 *  3. Remove this file from tsconfig.build.json's exclude, and LAYER_CLASS's "does not have" message.
 *  4. Tests: turn test/import/read-onnx.test.ts's "fromOnnx of models whose layers @smolml/nn
 *     does not have yet" into prediction tests against PyTorch (cnn, cnn_fused_view,
 *     mlp_batchnorm_dropout, mlp_layernorm at opset 17: fixtures and outputs are committed), and
 *     add toOnnx -> ONNX Runtime tests for a CNN with BatchNorm trained a little (batches 1, 5).
 */
import { type MLArray, ValueError } from '@smolml/core';
import type { ActivationFunction as Activation, ActivationName } from '@smolml/nn';
import type { LayerSpec, Pair, SpecOf } from '../ir.js';
import { activationFor, activationSpecs } from './activations.js';

type Size = number | readonly [number, number];
const pair = (s: Size): Pair => (typeof s === 'number' ? [s, s] : [s[0], s[1]]);

/** What the new layers look like from here (SPEC fields; ASSUMED where SPEC leaves names open). */
interface Conv2DLike {
  readonly type: string; // ASSUMED 'conv2d'
  readonly weights: MLArray; // (out, in, kH, kW)
  readonly biases: MLArray | null; // (out), null with bias: false
  readonly stride: Size; // ASSUMED field names stride/padding/activation/activationName, as DenseLayer's
  readonly padding: Size;
  readonly activation: Activation;
  readonly activationName: string;
}
interface PoolLike {
  readonly type: string; // ASSUMED 'maxPool2d' / 'avgPool2d'
  readonly kernelSize: Size; // ASSUMED
  readonly stride: Size; // ASSUMED
}
interface DropoutLike {
  readonly type: string; // ASSUMED 'dropout'
  readonly p: number; // ASSUMED
}
interface BatchNormLike {
  readonly type: string; // ASSUMED 'batchNorm'
  readonly gamma: MLArray;
  readonly beta: MLArray;
  readonly runningMean: MLArray;
  readonly runningVar: MLArray;
  readonly eps: number; // ASSUMED
}
interface LayerNormLike {
  readonly type: string; // ASSUMED 'layerNorm'
  readonly gamma: MLArray;
  readonly beta: MLArray;
  readonly eps: number; // ASSUMED
}
interface ActivationLayerLike {
  readonly type: string; // ASSUMED 'activation'
  readonly activation: Activation; // ASSUMED
  readonly activationName: string; // ASSUMED
}

/** Export side, by layer `type` (ASSUMED type strings): the specs of each new layer. */
export const pendingToSpecs: Readonly<Record<string, (layer: unknown, where: string) => LayerSpec[]>> = {
  conv2d: (l, where) => {
    const c = l as Conv2DLike;
    const conv: LayerSpec = { kind: 'conv', weights: c.weights.detach(), bias: c.biases?.detach() ?? null, stride: pair(c.stride), padding: pair(c.padding) };
    return [conv, ...activationSpecs(c.activationName, c.activation, where)];
  },
  maxPool2d: (l) => {
    const p = l as PoolLike;
    return [{ kind: 'maxpool', kernel: pair(p.kernelSize), stride: pair(p.stride), padding: [0, 0] }];
  },
  avgPool2d: (l) => {
    const p = l as PoolLike;
    return [{ kind: 'avgpool', kernel: pair(p.kernelSize), stride: pair(p.stride) }];
  },
  flatten: () => [{ kind: 'flatten' }],
  dropout: (l) => [{ kind: 'dropout', p: (l as DropoutLike).p }],
  batchNorm: (l) => {
    const b = l as BatchNormLike;
    return [{ kind: 'batchnorm', gamma: b.gamma.detach(), beta: b.beta.detach(), mean: b.runningMean.detach(), variance: b.runningVar.detach(), eps: b.eps }];
  },
  layerNorm: (l) => {
    const n = l as LayerNormLike;
    return [{ kind: 'layernorm', gamma: n.gamma.detach(), beta: n.beta.detach(), eps: n.eps }];
  },
  activation: (l, where) => {
    const a = l as ActivationLayerLike;
    return activationSpecs(a.activationName, a.activation, where);
  },
};

/** The constructors, as SPEC.md fixes them. */
export interface PendingClasses {
  Conv2D: new (inChannels: number, outChannels: number, kernelSize: Size, opts: { stride: Size; padding: Size; activation: Activation | ActivationName; bias: boolean; weightInitializer: { initialize(): MLArray } }) => Conv2DLike;
  MaxPool2D: new (kernelSize: Size, opts: { stride: Size }) => PoolLike;
  AvgPool2D: new (kernelSize: Size, opts: { stride: Size }) => PoolLike;
  Flatten: new () => object;
  Dropout: new (p: number) => DropoutLike;
  BatchNorm: new (numFeatures: number, opts: { eps: number }) => BatchNormLike;
  LayerNorm: new (normalizedShape: number[], opts: { eps: number }) => LayerNormLike;
  Activation: new (nameOrFunction: Activation | ActivationName) => ActivationLayerLike;
}

/** Import side: the smolml layer of each spec kind (conv with the activation that follows it, like dense). */
export function convFromSpecs(spec: SpecOf<'conv'>, activation: SpecOf<'activation'> | undefined, { Conv2D }: PendingClasses): Conv2DLike {
  const [outC = 0, inC = 0, kh = 0, kw = 0] = spec.weights.shape;
  const layer = new Conv2D(inC, outC, [kh, kw], {
    stride: spec.stride,
    padding: spec.padding,
    activation: activation === undefined ? 'linear' : activationFor(activation).fn,
    bias: spec.bias !== null,
    weightInitializer: { initialize: () => spec.weights },
  });
  if (spec.bias !== null) layer.biases!.data.set(spec.bias.data);
  return layer;
}

export function maxPoolFromSpec(spec: SpecOf<'maxpool'>, where: string, { MaxPool2D }: PendingClasses): PoolLike {
  // SPEC's MaxPool2D has no padding option (core's maxPool2d has one): refuse rather than drop it.
  if (spec.padding[0] !== 0 || spec.padding[1] !== 0) {
    throw new ValueError(`${where}: max pooling with padding ${JSON.stringify(spec.padding)} has no smolml layer (MaxPool2D takes no padding)`);
  }
  return new MaxPool2D([spec.kernel[0], spec.kernel[1]], { stride: spec.stride });
}

export function avgPoolFromSpec(spec: SpecOf<'avgpool'>, { AvgPool2D }: PendingClasses): PoolLike {
  return new AvgPool2D([spec.kernel[0], spec.kernel[1]], { stride: spec.stride });
}

export function batchNormFromSpec(spec: SpecOf<'batchnorm'>, { BatchNorm }: PendingClasses): BatchNormLike {
  // ONNX's momentum attribute is not read: BatchNorm's default (PyTorch's 0.1) applies to further training.
  const layer = new BatchNorm(spec.gamma.shape[0]!, { eps: spec.eps });
  layer.gamma.data.set(spec.gamma.data);
  layer.beta.data.set(spec.beta.data);
  layer.runningMean.data.set(spec.mean.data);
  layer.runningVar.data.set(spec.variance.data);
  return layer;
}

export function layerNormFromSpec(spec: SpecOf<'layernorm'>, { LayerNorm }: PendingClasses): LayerNormLike {
  const layer = new LayerNorm([...spec.gamma.shape], { eps: spec.eps });
  layer.gamma.data.set(spec.gamma.data);
  layer.beta.data.set(spec.beta.data);
  return layer;
}

export function dropoutFromSpec(spec: SpecOf<'dropout'>, { Dropout }: PendingClasses): DropoutLike {
  return new Dropout(spec.p);
}

export function activationFromSpec(spec: SpecOf<'activation'>, { Activation }: PendingClasses): ActivationLayerLike {
  return new Activation(activationFor(spec).fn);
}

export function flattenFromSpec({ Flatten }: PendingClasses): object {
  return new Flatten();
}
