/**
 * The playground's network, written out with MLArray so that every number the page draws is a
 * field you can point at: weights[l] is (fanIn, fanOut), biases[l] is (1, fanOut), and layer l
 * computes act(x·W + b) (the output layer has no activation: a logit for classification, the
 * prediction itself for regression).
 */
import { type Initializer, MLArray, createRng, noGrad } from '@smolml/core';
import { HeUniform, XavierUniform } from '@smolml/init';
import { binaryCrossEntropyWithLogits, mseLoss } from '@smolml/losses';
import type { Task } from '../datasets.js';

export const activationNames = ['tanh', 'relu', 'sigmoid', 'leakyRelu', 'elu', 'linear'] as const;
export type ActivationName = (typeof activationNames)[number];

export const activations: Record<ActivationName, (z: MLArray) => MLArray> = {
  tanh: (z) => z.tanh(),
  relu: (z) => z.relu(),
  sigmoid: (z) => z.sigmoid(),
  leakyRelu: (z) => z.leakyRelu(0.01),
  elu: (z) => z.elu(1),
  linear: (z) => z,
};

export interface NetworkSpec {
  inputs: number;
  hidden: readonly number[];
  activation: ActivationName;
  task: Task;
  /** Seed of the initial weights. */
  seed: number;
}

/** Layer outputs of one forward pass: pre[l] = x·W + b, post[l] = act(pre[l]) (post of the output layer = pre). */
export interface Activations {
  pre: MLArray[];
  post: MLArray[];
}

export class Network {
  readonly weights: MLArray[];
  readonly biases: MLArray[];

  constructor(readonly spec: NetworkSpec) {
    const rng = createRng(spec.seed);
    const sizes = [spec.inputs, ...spec.hidden, 1];
    // He initialization keeps ReLU-like units alive; Xavier suits tanh, sigmoid and linear.
    const relu = spec.activation === 'relu' || spec.activation === 'leakyRelu' || spec.activation === 'elu';
    this.weights = [];
    this.biases = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const init: Initializer = relu && l + 2 < sizes.length ? new HeUniform() : new XavierUniform();
      const w = init.initialize([sizes[l]!, sizes[l + 1]!], rng);
      this.weights.push(MLArray.from(w.data, { shape: w.shape, requiresGrad: true }));
      // TensorFlow Playground starts biases at 0.1; zeros would do as well.
      this.biases.push(MLArray.full([1, sizes[l + 1]!], 0.1, { requiresGrad: true }));
    }
  }

  /** Neurons per layer, inputs first: [inputs, ...hidden, 1]. */
  get sizes(): number[] {
    return [this.spec.inputs, ...this.spec.hidden, 1];
  }

  parameters(): MLArray[] {
    return this.weights.flatMap((w, l) => [w, this.biases[l]!]);
  }

  /** One layer: act(x·W + b), no activation on the output layer. */
  layer(l: number, x: MLArray): { pre: MLArray; post: MLArray } {
    const pre = x.matmul(this.weights[l]!).add(this.biases[l]!);
    const post = l === this.weights.length - 1 ? pre : activations[this.spec.activation](pre);
    return { pre, post };
  }

  /** The output (n, 1): logits or predictions. Records a graph when the parameters require gradients. */
  forward(x: MLArray): MLArray {
    let h = x;
    for (let l = 0; l < this.weights.length; l++) h = this.layer(l, h).post;
    return h;
  }

  /** Every layer's output, without recording a graph (heat maps, the backprop-step view). */
  activations(x: MLArray): Activations {
    return noGrad(() => {
      const result: Activations = { pre: [], post: [] };
      let h = x;
      for (let l = 0; l < this.weights.length; l++) {
        const { pre, post } = this.layer(l, h);
        result.pre.push(pre);
        result.post.push(post);
        h = post;
      }
      return result;
    });
  }
}

/** The data loss of the task: binary cross-entropy on the logit, or mean squared error. */
export function dataLoss(task: Task, output: MLArray, y: MLArray): MLArray {
  return task === 'classification' ? binaryCrossEntropyWithLogits(output, y) : mseLoss(output, y);
}

/** Mean data loss on a whole set, without a graph (the numbers and chart of the page). */
export function evaluateLoss(net: Network, x: MLArray, y: MLArray): number {
  return noGrad(() => dataLoss(net.spec.task, net.forward(x), y).item());
}
