/**
 * The playground: settings (restored from and written to location.hash) build the data and the
 * network; Play trains in slices of about 8 ms per animation frame, so the page keeps drawing
 * and answering clicks; Step trains one epoch; the backprop-step mode walks one training step
 * phase by phase. Drawing: numbers and the loss chart every frame, heat maps and the boundary a
 * few times a second.
 */
import { type Dataset, makeDataset, splitIndices } from './datasets.js';
import { Controls, type ChangeKind } from './controls.js';
import { byTestId, show } from './dom.js';
import { featurize } from './features.js';
import { Network } from './model/network.js';
import type { BackpropStepper } from './model/stepper.js';
import { DivergenceError } from './model/train.js';
import { MAX_EPOCHS, Trainer, toArrays } from './model/trainer.js';
import { type Settings, MAX_UNITS, decodeHash, encodeHash } from './state.js';
import { BOUNDARY_GRID, drawBoundary, setupBoundary } from './ui/boundary.js';
import { classColour, css, diverging } from './ui/colors.js';
import { formatLoss, formatValue } from './ui/format.js';
import { GraphTab } from './ui/graph-tab.js';
import { gridPoints, neuronMaps, outputShade, paintMap } from './ui/heatmaps.js';
import { drawLossChart } from './ui/loss-chart.js';
import { NetworkDiagram } from './ui/network-diagram.js';
import { stepText, stepView } from './ui/step-view.js';

const FRAME_BUDGET_MS = 8;
const HEAVY_EVERY_MS = 120;
const MAP_GRID = 24;
const PLAY_ICON = '<svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true"><path d="M8 5v14l11-7z" fill="currentColor"/></svg>';
const PAUSE_ICON = '<svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true"><path d="M6 5h4v14H6zM14 5h4v14h-4z" fill="currentColor"/></svg>';

const el = {
  play: byTestId('play', HTMLButtonElement),
  step: byTestId('step', HTMLButtonElement),
  reset: byTestId('reset', HTMLButtonElement),
  epoch: byTestId('epoch', HTMLOutputElement),
  task: byTestId('task', HTMLOutputElement),
  trainLoss: byTestId('train-loss', HTMLOutputElement),
  testLoss: byTestId('test-loss', HTMLOutputElement),
  chart: byTestId('loss-chart', SVGSVGElement),
  boundary: byTestId('boundary', HTMLCanvasElement),
  boundaryLegend: byTestId('boundary-legend', HTMLElement),
  network: byTestId('network', SVGSVGElement),
  networkLegend: byTestId('network-legend', HTMLElement),
  tooltip: byTestId('tooltip', HTMLElement),
  divergence: byTestId('divergence', HTMLElement),
  divergenceMessage: byTestId('divergence-message', HTMLElement),
  divergenceReset: byTestId('divergence-reset', HTMLButtonElement),
  hashProblems: byTestId('hash-problems', HTMLElement),
  backpropStep: byTestId('backprop-step', HTMLButtonElement),
  backpropNext: byTestId('backprop-next', HTMLButtonElement),
  backpropPhase: byTestId('backprop-phase', HTMLElement),
  tabNetwork: byTestId('tab-network', HTMLButtonElement),
  tabGraph: byTestId('tab-graph', HTMLButtonElement),
  networkTab: document.getElementById('network-tab')!,
  graphTab: document.getElementById('graph-tab')!,
};

const initial = decodeHash(location.hash);
let settings: Settings = initial.settings;
let data: Dataset;
let split: { train: number[]; test: number[] };
let trainer: Trainer;
let playing = false;
let backpropMode = false;
let stepper: BackpropStepper | null = null;
let lastHeavy = -Infinity;
let heavyTurn = 0;
const mapPoints = gridPoints(MAP_GRID);
const boundaryPoints = gridPoints(BOUNDARY_GRID);

const controls = new Controls(() => settings, applyChange);
const diagram = new NetworkDiagram(el.network, el.tooltip, (layer, delta) => controls.changeUnits(layer, delta));
const graphTab = new GraphTab(
  { expression: byTestId('expression', HTMLInputElement), variables: byTestId('variables', HTMLElement), forward: byTestId('graph-forward', HTMLButtonElement), backward: byTestId('graph-backward', HTMLButtonElement), status: byTestId('graph-status', HTMLElement), output: byTestId('graph', HTMLElement) },
  settings.expression,
  settings.variables,
  (expression, variables) => {
    settings = { ...settings, expression, variables };
    writeHash();
  },
);
setupBoundary(el.boundary);

function writeHash(): void {
  history.replaceState(null, '', encodeHash(settings));
}

/** A settings patch from the form: start over, update live, or just redraw. */
function applyChange(patch: Partial<Settings>, kind: ChangeKind): void {
  settings = { ...settings, ...patch };
  controls.write(settings);
  writeHash();
  if (kind === 'data') buildData();
  else if (kind === 'network') buildNetwork();
  else render(true);
}

function buildData(): void {
  data = makeDataset(settings.dataset, { noise: settings.noise, seed: settings.dataSeed });
  split = splitIndices(data.x.length, settings.trainRatio, settings.dataSeed);
  el.task.textContent = data.task;
  el.boundaryLegend.innerHTML =
    data.task === 'classification'
      ? `<span><i style="background:${classColour(0)}"></i>class 0</span><span><i style="background:${classColour(1)}"></i>class 1</span><span><i class="ring-white"></i>training point</span><span><i class="ring-black"></i>test point</span>`
      : `<span>target</span><span class="bar" style="background:linear-gradient(90deg, ${css(diverging(-1))}, ${css(diverging(0))}, ${css(diverging(1))})"></span><span class="bar-labels"><b>−1</b><b>0</b><b>1</b></span><span><i class="ring-black"></i>test point</span>`;
  buildNetwork();
}

/** Fresh weights for the current settings (also Reset): epoch 0, paused. */
function buildNetwork(): void {
  pause();
  leaveBackprop();
  const all = featurize(data.x, settings.features);
  const train = toArrays(all, data.y, split.train);
  const test = toArrays(all, data.y, split.test);
  const net = new Network({ inputs: settings.features.length, hidden: settings.hidden, activation: settings.activation, task: data.task, seed: settings.seed });
  trainer = new Trainer(net, settings.optimizer, { xTrain: train.x, yTrain: train.y, xTest: test.x, yTest: test.y }, () => settings, settings.seed);
  diagram.build(settings.features, net.sizes, MAX_UNITS);
  el.divergence.hidden = true;
  render(true);
}

function pause(): void {
  playing = false;
  el.play.dataset.state = 'paused';
  el.play.innerHTML = PLAY_ICON;
  el.play.setAttribute('aria-label', 'Play');
}

function play(): void {
  if (trainer.diverged !== null) return;
  leaveBackprop();
  playing = true;
  el.play.dataset.state = 'playing';
  el.play.innerHTML = PAUSE_ICON;
  el.play.setAttribute('aria-label', 'Pause');
  requestAnimationFrame(frame);
}

/** One animation frame while playing: train for about FRAME_BUDGET_MS, then draw. */
function frame(): void {
  if (!playing) return;
  const deadline = performance.now() + FRAME_BUDGET_MS;
  guard(() => {
    do trainer.runBatch();
    while (performance.now() < deadline);
  });
  if (trainer.epoch >= MAX_EPOCHS) pause(); // a forgotten tab stops using the CPU
  render(false);
  if (playing) requestAnimationFrame(frame);
}

/** Runs training work; a divergence pauses and offers a reset. */
function guard(work: () => void): void {
  try {
    work();
  } catch (e) {
    if (!(e instanceof DivergenceError)) throw e;
    pause();
    stepper = null;
    el.divergenceMessage.textContent = `${e.message[0]!.toUpperCase()}${e.message.slice(1)} (learning rate ${settings.lr} with ${settings.optimizer}). Lower the learning rate, then reset the model.`;
    el.divergence.hidden = false;
    render(true);
  }
}

function render(heavy: boolean): void {
  const now = performance.now();
  const diverged = trainer.diverged !== null;
  el.play.disabled = diverged;
  el.step.disabled = diverged;
  el.backpropNext.disabled = diverged;
  show(el.epoch, trainer.epoch, trainer.epoch.toLocaleString('en-US'));
  const { train, test } = trainer.history;
  const last = (xs: number[]): number | null => (xs.length > 0 ? xs[xs.length - 1]! : null);
  const current = train.length > 0 ? { train: last(train)!, test: last(test)! } : diverged ? null : trainer.losses();
  show(el.trainLoss, current?.train ?? '', current === null ? '–' : formatLoss(current.train));
  show(el.testLoss, current?.test ?? '', current === null ? '–' : formatLoss(current.test));
  drawLossChart(el.chart, train, test, settings.logScale);
  // The heat maps and the boundary cost a forward pass over a grid each: while playing they are
  // drawn in turns, every HEAVY_EVERY_MS, so no frame pays for both.
  let maps: string[][] | null = null;
  const due = heavy || now - lastHeavy >= HEAVY_EVERY_MS;
  if (due) {
    lastHeavy = now;
    heavyTurn = heavy ? 2 : (heavyTurn + 1) % 2;
    if (heavyTurn !== 1) maps = neuronMaps(trainer.net, settings.features, mapPoints).map((layer) => layer.map((values) => paintMap(values, MAP_GRID)));
    if (heavyTurn !== 0) {
      const out = trainer.net.activations(featurize(boundaryPoints, settings.features)).post.at(-1)!;
      const shades = out.data.map((v) => outputShade(data.task, v));
      drawBoundary(el.boundary, { shades, data, train: split.train, test: split.test, showTest: settings.showTest });
    }
  }
  const view = stepper === null ? null : stepView(stepper);
  diagram.update({
    weights: trainer.net.weights.map((w) => w.data),
    biases: trainer.net.biases.map((b) => b.data),
    gradients: view !== null && stepper !== null ? stepper.gradients : trainer.lastGradients,
    gradientView: settings.gradientView,
    maps,
    step: view,
  });
  el.networkLegend.innerHTML = legendText(view !== null);
}

function legendText(stepping: boolean): string {
  const gradient = `<b class="grad-pos">pink</b>: ∂L/∂w &gt; 0 (the update lowers w), <b class="grad-neg">green</b>: ∂L/∂w &lt; 0; width ∝ |∂L/∂w|`;
  if (stepping) return `Backprop step: weight lines as usual until their layer's gradients are computed, then ${gradient}.`;
  if (settings.gradientView) {
    return trainer.lastGradients === null ? 'Gradient view: no step yet — press ▶ or ⏭.' : `Gradient view, last step: ${gradient} (scaled to the largest, ${formatValue(Number(el.network.dataset.maxGrad))}).`;
  }
  return 'Weights: <b class="w-pos">blue</b> positive, <b class="w-neg">orange</b> negative, width ∝ |w|. Each square: that neuron’s output over the input plane. Hover a line or a square for its numbers.';
}

function enterBackprop(): void {
  pause();
  backpropMode = true;
  stepper = null;
  el.backpropStep.setAttribute('aria-pressed', 'true');
  el.backpropStep.textContent = 'Leave backprop step mode';
  el.backpropNext.hidden = false;
  el.backpropPhase.hidden = false;
  guard(() => {
    stepper = trainer.stepper();
    el.backpropPhase.textContent = stepText(stepper);
  });
  render(true);
}

function leaveBackprop(): void {
  if (!backpropMode) return;
  backpropMode = false;
  if (stepper !== null && !stepper.done) trainer.optimizer.zeroGrad(trainer.net.parameters()); // drop a half-done step's gradients
  stepper = null;
  el.backpropStep.setAttribute('aria-pressed', 'false');
  el.backpropStep.textContent = 'Backprop step mode';
  el.backpropNext.hidden = true;
  el.backpropPhase.hidden = true;
  el.backpropPhase.textContent = '';
}

function nextPhase(): void {
  guard(() => {
    if (stepper === null || stepper.done) stepper = trainer.stepper();
    const s = stepper;
    s.step();
    if (s.done) trainer.finishStepper(s);
    el.backpropPhase.textContent = stepText(s);
    el.backpropPhase.dataset.phase = s.current === null ? '' : s.current.kind;
    el.backpropPhase.dataset.layer = s.current !== null && 'layer' in s.current ? String(s.current.layer) : '';
  });
  render(true);
}

function selectTab(tab: Settings['tab']): void {
  settings = { ...settings, tab };
  writeHash();
  el.networkTab.hidden = tab !== 'network';
  el.graphTab.hidden = tab !== 'graph';
  el.tabNetwork.setAttribute('aria-selected', String(tab === 'network'));
  el.tabGraph.setAttribute('aria-selected', String(tab === 'graph'));
  if (tab === 'graph') {
    pause();
    if (byTestId('graph', HTMLElement).dataset.state === 'empty') void graphTab.draw(false);
  }
}

el.play.addEventListener('click', () => (playing ? pause() : play()));
el.step.addEventListener('click', () => {
  pause();
  leaveBackprop();
  guard(() => trainer.runEpoch());
  render(true);
});
el.reset.addEventListener('click', buildNetwork);
el.divergenceReset.addEventListener('click', buildNetwork);
el.backpropStep.addEventListener('click', () => (backpropMode ? (leaveBackprop(), render(true)) : enterBackprop()));
el.backpropNext.addEventListener('click', nextPhase);
el.tabNetwork.addEventListener('click', () => selectTab('network'));
el.tabGraph.addEventListener('click', () => selectTab('graph'));
window.addEventListener('hashchange', () => {
  const next = decodeHash(location.hash);
  settings = next.settings;
  controls.write(settings);
  buildData();
  selectTab(settings.tab);
});

controls.write(settings);
if (initial.problems.length > 0) {
  el.hashProblems.textContent = `Some settings in the address were not understood and kept their defaults: ${initial.problems.join('; ')}.`;
  el.hashProblems.hidden = false;
}
buildData();
selectTab(settings.tab);
writeHash();
