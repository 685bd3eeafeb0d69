/**
 * The network diagram (SVG): input features, hidden neurons and the output, each drawn as a small
 * heat map of its output over the input plane; every weight a curve whose colour and width show
 * its sign and size, or, in the gradient view, its gradient of the last step. Hovering a weight
 * or a neuron shows its numbers. The structure is built once per architecture; every frame only
 * updates attributes, so hover and tooltips survive training.
 */
import { type FeatureName, features as featureInfo } from '../features.js';
import type { Gradients } from '../model/train.js';
import { GRAD_NEGATIVE, GRAD_POSITIVE, css, diverging } from './colors.js';
import { formatValue } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';
const TOP = 58; // column titles and the +/- buttons
const LEFT = 62; // feature labels
const WIDTH = 600;

/** What the backprop-step mode overlays on the diagram. */
export interface StepView {
  kind: 'forward' | 'loss' | 'backward' | 'update';
  /** The neuron layer in focus (1 = first hidden layer, last = output). */
  focus: number;
  /** Values of the batch's first example, per neuron layer (null where not computed yet). */
  values: (Float64Array | null)[];
  /** ∂L/∂b per neuron layer (layer >= 1), null where not computed yet. */
  biasGrads: (Float64Array | null)[];
  /** Weight matrices drawn by gradient (their gradients are known). */
  gradientLayers: ReadonlySet<number>;
  /** Weight matrices drawn faded (not reached yet in this phase). */
  fadedLayers: ReadonlySet<number>;
}

export interface DiagramState {
  weights: readonly Float64Array[];
  biases: readonly Float64Array[];
  gradients: Gradients | null;
  gradientView: boolean;
  /** Heat-map data URLs per neuron layer and neuron (null keeps the current images). */
  maps: string[][] | null;
  step: StepView | null;
}

interface Handles {
  weights: { g: SVGGElement; line: SVGPathElement; l: number; i: number; j: number }[];
  neurons: { g: SVGGElement; image: SVGImageElement; ring: SVGRectElement; label: SVGTextElement; layer: number; index: number }[];
}

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, parent?: Element): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  parent?.appendChild(node);
  return node;
}

export class NetworkDiagram {
  private handles: Handles = { weights: [], neurons: [] };
  private state: DiagramState | null = null;
  private featureNames: readonly FeatureName[] = [];
  private sizes: readonly number[] = [];

  constructor(
    readonly svg: SVGSVGElement,
    private readonly tooltip: HTMLElement,
    /** Called by the per-layer +/- buttons with the hidden layer (0-based) and +1 or -1. */
    private readonly onUnits: (hiddenLayer: number, delta: 1 | -1) => void,
  ) {
    svg.addEventListener('mousemove', (e) => this.hover(e));
    svg.addEventListener('mouseleave', () => (this.tooltip.hidden = true));
  }

  /** Neurons per layer, features first. */
  build(features: readonly FeatureName[], sizes: readonly number[], maxHiddenUnits: number): void {
    this.featureNames = features;
    this.sizes = sizes;
    const svg = this.svg;
    svg.replaceChildren();
    const tallest = Math.max(...sizes, 1);
    // bigger squares when few neurons: the heat maps are the point of the picture
    const NODE = tallest <= 6 ? 38 : tallest <= 9 ? 32 : 26;
    const GAP = tallest <= 6 ? 14 : 9;
    const height = TOP + tallest * (NODE + GAP) + 8;
    svg.setAttribute('viewBox', `0 0 ${WIDTH} ${height}`);
    svg.style.height = `${height}px`;
    const xs = sizes.map((_, l) => LEFT + (l / Math.max(sizes.length - 1, 1)) * (WIDTH - LEFT - NODE - 16));
    const y = (l: number, i: number): number => TOP + ((tallest - sizes[l]!) * (NODE + GAP)) / 2 + i * (NODE + GAP);
    const weightsLayer = el('g', { class: 'weights' }, svg);
    const neuronsLayer = el('g', { class: 'neurons' }, svg);
    const handles: Handles = { weights: [], neurons: [] };
    for (let l = 0; l + 1 < sizes.length; l++) {
      for (let i = 0; i < sizes[l]!; i++) {
        for (let j = 0; j < sizes[l + 1]!; j++) {
          const [x0, y0, x1, y1] = [xs[l]! + NODE, y(l, i) + NODE / 2, xs[l + 1]!, y(l + 1, j) + NODE / 2];
          const mid = (x0 + x1) / 2;
          const d = `M${x0},${y0} C${mid},${y0} ${mid},${y1} ${x1},${y1}`;
          const g = el('g', { 'data-weight': `${l}:${i}:${j}`, class: 'weight' }, weightsLayer);
          el('path', { d, class: 'hit' }, g); // a wide invisible stroke: easy to hover
          const line = el('path', { d, class: 'line' }, g);
          handles.weights.push({ g, line, l, i, j });
        }
      }
    }
    sizes.forEach((n, l) => {
      const title = l === 0 ? 'Features' : l === sizes.length - 1 ? 'Output' : `Hidden ${l}`;
      const header = el('text', { x: xs[l]! + NODE / 2, y: 14, 'text-anchor': 'middle', class: 'column-title' }, svg);
      header.textContent = title;
      if (l > 0 && l < sizes.length - 1) {
        const count = el('text', { x: xs[l]! + NODE / 2, y: 48, 'text-anchor': 'middle', class: 'column-count' }, svg);
        count.textContent = `${n} neuron${n === 1 ? '' : 's'}`;
        this.button(xs[l]! + NODE / 2 - 13, 30, '+', `add-neuron-${l}`, n < maxHiddenUnits, () => this.onUnits(l - 1, 1));
        this.button(xs[l]! + NODE / 2 + 13, 30, '−', `remove-neuron-${l}`, n > 1, () => this.onUnits(l - 1, -1));
      }
      for (let i = 0; i < n; i++) {
        const g = el('g', { 'data-neuron': `${l}:${i}`, class: 'neuron', transform: `translate(${xs[l]},${y(l, i)})` }, neuronsLayer);
        if (l === 0) g.setAttribute('data-feature', features[i]!);
        const image = el('image', { width: NODE, height: NODE, preserveAspectRatio: 'none' }, g);
        el('rect', { width: NODE, height: NODE, class: 'frame' }, g);
        const ring = el('rect', { x: -3, y: -3, width: NODE + 6, height: NODE + 6, class: 'ring' }, g);
        const label = el('text', { x: NODE / 2, y: NODE + 9, 'text-anchor': 'middle', class: 'value' }, g);
        if (l === 0) {
          const name = el('text', { x: -8, y: NODE / 2, 'text-anchor': 'end', 'dominant-baseline': 'middle', class: 'feature-label' }, g);
          name.textContent = featureInfo[features[i]!].label;
        }
        handles.neurons.push({ g, image, ring, label, layer: l, index: i });
      }
    });
    this.handles = handles;
    svg.dataset.neurons = String(handles.neurons.length);
    svg.dataset.weights = String(handles.weights.length);
  }

  private button(cx: number, cy: number, text: string, testid: string, enabled: boolean, onClick: () => void): void {
    const g = el('g', { class: `svg-button${enabled ? '' : ' disabled'}`, 'data-testid': testid, role: 'button', 'aria-label': testid.replace(/-/g, ' '), transform: `translate(${cx},${cy})` }, this.svg);
    el('circle', { r: 9 }, g);
    const t = el('text', { 'text-anchor': 'middle', 'dominant-baseline': 'central' }, g);
    t.textContent = text;
    if (enabled) g.addEventListener('click', onClick);
  }

  update(state: DiagramState): void {
    this.state = state;
    const { weights, gradients, gradientView, step } = state;
    let maxGrad = 0;
    if (gradients !== null) for (const g of gradients.weights) for (const v of g) maxGrad = Math.max(maxGrad, Math.abs(v));
    for (const h of this.handles.weights) {
      const w = weights[h.l]![h.i * this.sizes[h.l + 1]! + h.j]!;
      const g = gradients?.weights[h.l]?.[h.i * this.sizes[h.l + 1]! + h.j] ?? NaN;
      h.g.dataset.value = String(w);
      h.g.dataset.grad = Number.isNaN(g) ? '' : String(g);
      const byGradient = step === null ? gradientView : step.gradientLayers.has(h.l);
      let stroke: string;
      let width: number;
      let opacity = 1;
      if (byGradient) {
        const share = maxGrad > 0 && Number.isFinite(g) ? Math.abs(g) / maxGrad : 0;
        stroke = g > 0 ? GRAD_POSITIVE : GRAD_NEGATIVE;
        width = 0.5 + 6 * share;
        opacity = 0.2 + 0.8 * share;
      } else {
        stroke = css(diverging(w));
        width = 0.6 + Math.min(6, 1.5 * Math.abs(w));
      }
      if (step?.fadedLayers.has(h.l) === true) opacity = 0.12;
      h.line.setAttribute('stroke', stroke);
      h.line.setAttribute('stroke-width', width.toFixed(2));
      h.line.setAttribute('stroke-opacity', opacity.toFixed(2));
    }
    this.svg.dataset.view = step !== null ? 'backprop-step' : gradientView ? 'gradient' : 'weights';
    this.svg.dataset.maxGrad = String(maxGrad);
    for (const n of this.handles.neurons) {
      if (state.maps !== null) {
        const url = state.maps[n.layer]?.[n.index];
        if (url !== undefined) n.image.setAttribute('href', url);
      }
      const value = step?.values[n.layer]?.[n.index];
      const bgrad = step?.biasGrads[n.layer]?.[n.index];
      n.label.textContent = step === null ? '' : bgrad !== undefined && step.kind === 'backward' ? `∇${formatValue(bgrad, 2)}` : value !== undefined ? formatValue(value, 2) : '';
      n.ring.classList.toggle('focus', step !== null && n.layer === step.focus);
    }
  }

  /** The tooltip text for a weight or a neuron. */
  describe(target: Element): string | null {
    const state = this.state;
    if (state === null) return null;
    const weight = target.closest<SVGGElement>('[data-weight]');
    if (weight) {
      const [l, i, j] = weight.dataset.weight!.split(':').map(Number) as [number, number, number];
      const k = i * this.sizes[l + 1]! + j;
      const g = state.gradients?.weights[l]?.[k];
      return `Weight ${this.neuronName(l, i)} → ${this.neuronName(l + 1, j)}\nw = ${formatValue(state.weights[l]![k]!)}\n∂L/∂w = ${g === undefined ? '– (no step yet)' : `${formatValue(g)} (last step)`}`;
    }
    const neuron = target.closest<SVGGElement>('[data-neuron]');
    if (neuron) {
      const [l, i] = neuron.dataset.neuron!.split(':').map(Number) as [number, number];
      if (l === 0) return `${this.neuronName(0, i)}: an input feature`;
      const g = state.gradients?.biases[l - 1]?.[i];
      return `${this.neuronName(l, i)}\nbias b = ${formatValue(state.biases[l - 1]![i]!)}\n∂L/∂b = ${g === undefined ? '– (no step yet)' : `${formatValue(g)} (last step)`}`;
    }
    return null;
  }

  private neuronName(l: number, i: number): string {
    if (l === 0) return `feature ${featureInfo[this.featureNames[i]!].label}`;
    if (l === this.sizes.length - 1) return 'output';
    return `hidden ${l}, neuron ${i + 1}`;
  }

  private hover(e: MouseEvent): void {
    const text = e.target instanceof Element ? this.describe(e.target) : null;
    if (text === null) {
      this.tooltip.hidden = true;
      return;
    }
    this.tooltip.textContent = text;
    this.tooltip.hidden = false;
    const box = this.tooltip.parentElement!.getBoundingClientRect();
    this.tooltip.style.left = `${Math.min(e.clientX - box.left + 14, box.width - 220)}px`;
    this.tooltip.style.top = `${e.clientY - box.top + 14}px`;
  }
}
