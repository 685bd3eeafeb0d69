/**
 * What the backprop-step mode shows after each phase of a BackpropStepper: the values of the
 * batch's first example layer by layer going forward, then ∂L/∂b and the weight gradients layer
 * by layer going backward, then the updated weights.
 */
import type { BackpropStepper } from '../model/stepper.js';
import { describePhase } from '../model/stepper.js';
import { formatValue } from './format.js';
import type { StepView } from './network-diagram.js';

/** The first row of a 2-d array. */
const firstRow = (a: { data: Float64Array; shape: readonly number[] }): Float64Array => a.data.slice(0, a.shape[1]!);

export function stepView(s: BackpropStepper): StepView | null {
  const phase = s.current;
  if (phase === null) return null;
  const layers = s.net.weights.length;
  const ran = s.phases.slice(0, s.next);
  const backwardDone = new Set(ran.flatMap((p) => (p.kind === 'backward' ? [p.layer] : [])));
  const values: (Float64Array | null)[] = [firstRow(s.x)];
  const biasGrads: (Float64Array | null)[] = [null];
  for (let l = 0; l < layers; l++) {
    values.push(s.post[l] === undefined ? null : firstRow(s.post[l]!));
    biasGrads.push(backwardDone.has(l) ? s.gradients.biases[l]! : null);
  }
  const all = Array.from({ length: layers }, (_, l) => l);
  switch (phase.kind) {
    case 'forward':
      return { kind: 'forward', focus: phase.layer + 1, values, biasGrads, gradientLayers: new Set(), fadedLayers: new Set(all.filter((l) => l > phase.layer)) };
    case 'loss':
      return { kind: 'loss', focus: layers, values, biasGrads, gradientLayers: new Set(), fadedLayers: new Set() };
    case 'backward':
      return { kind: 'backward', focus: phase.layer + 1, values, biasGrads, gradientLayers: backwardDone, fadedLayers: new Set(all.filter((l) => !backwardDone.has(l))) };
    case 'update':
      return { kind: 'update', focus: -1, values, biasGrads, gradientLayers: new Set(), fadedLayers: new Set() };
  }
}

/** The text under the diagram for the phase just run. */
export function stepText(s: BackpropStepper): string {
  const phase = s.current;
  const batch = s.x.shape[0]!;
  if (phase === null) return `One training step on the next batch of ${batch} training points: press "Next phase" to run it phase by phase.`;
  const layers = s.net.weights.length;
  let text = `Phase ${s.next} of ${s.phases.length}. ${describePhase(phase, layers)}`;
  if (phase.kind === 'forward') text += ' Numbers under the neurons: the values for the first point of the batch.';
  if (phase.kind === 'loss') text += ` Loss of the batch: ${formatValue(s.loss)}.`;
  if (phase.kind === 'backward') text += ' Lines of the finished layers now show ∂L/∂w; ∇ under a neuron is ∂L/∂b.';
  if (phase.kind === 'update') {
    let largest = 0;
    s.net.weights.forEach((w, l) => w.data.forEach((v, i) => (largest = Math.max(largest, Math.abs(v - s.weightsBefore[l]![i]!)))));
    text += ` Largest change of a weight: ${formatValue(largest)}. "Next phase" starts the next batch.`;
  }
  return text;
}
