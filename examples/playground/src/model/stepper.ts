/**
 * The "backprop step" mode: one training step on one minibatch, cut into the phases a textbook
 * draws. Each layer runs on its own small graph whose input is a fresh leaf holding the previous
 * layer's output, so the backward pass really does go layer by layer: layer l's backward()
 * receives the gradient that layer l+1's backward() left on its input (the chain rule, one
 * layer at a time), and fills layer l's weight and bias gradients. The result equals one
 * backward() through the whole network (the tests check it).
 */
import { MLArray, type Optimizer } from '@smolml/core';
import { type Network, dataLoss } from './network.js';
import { type Gradients, type StepOptions, DivergenceError, applyUpdate, copyGradients, penalty } from './train.js';

export type Phase =
  | { kind: 'forward'; layer: number }
  | { kind: 'loss' }
  | { kind: 'backward'; layer: number }
  | { kind: 'update' };

/** The phases of one step, in order: forward through each layer, the loss, backward through each layer, the update. */
export function phasesOf(layers: number): Phase[] {
  const phases: Phase[] = [];
  for (let l = 0; l < layers; l++) phases.push({ kind: 'forward', layer: l });
  phases.push({ kind: 'loss' });
  for (let l = layers - 1; l >= 0; l--) phases.push({ kind: 'backward', layer: l });
  phases.push({ kind: 'update' });
  return phases;
}

export class BackpropStepper {
  readonly phases: Phase[];
  /** Index of the next phase to run (phases.length when done). */
  next = 0;
  /** inputs[l]: layer l's input (the batch for l = 0, else a leaf holding post[l-1]). */
  readonly inputs: MLArray[] = [];
  readonly pre: MLArray[] = [];
  readonly post: MLArray[] = [];
  loss = NaN;
  /** Weight and bias gradients, filled layer by layer as the backward phases run. */
  readonly gradients: Gradients;
  /** Weights before the update (to show what the update changed). */
  weightsBefore: Float64Array[] = [];
  private total: MLArray | null = null;

  constructor(
    readonly net: Network,
    private readonly optimizer: Optimizer,
    readonly x: MLArray,
    readonly y: MLArray,
    private readonly options: StepOptions,
  ) {
    this.phases = phasesOf(net.weights.length);
    this.gradients = {
      weights: net.weights.map((w) => new Float64Array(w.size)),
      biases: net.biases.map((b) => new Float64Array(b.size)),
    };
    optimizer.zeroGrad(net.parameters()); // the step starts from clean gradients
  }

  get done(): boolean {
    return this.next >= this.phases.length;
  }

  /** The phase the last call to step() ran, or null before the first. */
  get current(): Phase | null {
    return this.next === 0 ? null : this.phases[this.next - 1]!;
  }

  /** Runs the next phase; throws DivergenceError when the numbers blow up. */
  step(): Phase {
    const phase = this.phases[this.next];
    if (phase === undefined) throw new Error('BackpropStepper: the step is complete');
    this.next++;
    const net = this.net;
    const last = net.weights.length - 1;
    switch (phase.kind) {
      case 'forward': {
        const l = phase.layer;
        const input = l === 0 ? this.x : MLArray.from(this.post[l - 1]!.data, { shape: this.post[l - 1]!.shape, requiresGrad: true });
        const { pre, post } = net.layer(l, input);
        this.inputs[l] = input;
        this.pre[l] = pre;
        this.post[l] = post;
        break;
      }
      case 'loss': {
        const loss = dataLoss(net.spec.task, this.post[last]!, this.y);
        this.loss = loss.item();
        if (!Number.isFinite(this.loss)) throw new DivergenceError(`the loss became ${this.loss}`);
        this.total = loss;
        break;
      }
      case 'backward': {
        const l = phase.layer;
        // The penalty of this layer's weights joins here; summed over layers it is the whole penalty.
        const p = penalty([net.weights[l]!], this.options.reg, this.options.regRate);
        if (l === last) {
          const total = this.total!;
          (p === null ? total : total.add(p)).backward();
        } else {
          const upstream = this.inputs[l + 1]!.grad!; // dL/d(output of layer l), left by layer l+1
          this.post[l]!.backward(upstream);
          p?.backward();
        }
        const copied = copyGradients(net);
        this.gradients.weights[l] = copied.weights[l]!;
        this.gradients.biases[l] = copied.biases[l]!;
        break;
      }
      case 'update':
        this.weightsBefore = net.weights.map((w) => Float64Array.from(w.data));
        applyUpdate(net, this.optimizer);
        break;
    }
    return phase;
  }
}

/** Words for the page: what the phase just did. */
export function describePhase(phase: Phase, layers: number): string {
  const name = (l: number): string => (l === layers - 1 ? 'the output layer' : `hidden layer ${l + 1}`);
  switch (phase.kind) {
    case 'forward':
      return `Forward: ${name(phase.layer)} computes act(x·W + b) from the values on its left.`;
    case 'loss':
      return 'Loss: the output is compared with the targets of the batch.';
    case 'backward':
      return `Backward: ${name(phase.layer)} receives ∂L/∂(its output) and computes ∂L/∂W and ∂L/∂b (the chain rule), then passes ∂L/∂(its input) to the left.`;
    case 'update':
      return 'Update: the optimizer moves every weight against its gradient.';
  }
}
