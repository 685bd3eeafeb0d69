/**
 * Wires the page: the settings build a network, Train/Stop runs the Trainer, every epoch updates
 * the numbers and the loss curve, every few epochs the decision boundary is redrawn.
 */
import type { NeuralNetwork } from '@smolml/nn';
import { type Dataset, N_POINTS, datasetNames, isDatasetName, makeDataset } from './datasets.js';
import { type ModelConfig, activationNames, buildNetwork, optimizerNames, optimizers, parseLayers } from './model.js';
import { drawBoundary } from './plot/boundary.js';
import { drawLossCurve } from './plot/loss-curve.js';
import { Trainer } from './trainer.js';
import { byId, fillSelect, show } from './dom.js';

/** Redraw the boundary every this many epochs (it costs one predict over a 100x100 grid). */
const DRAW_EVERY = 5;
const DATA_SEED = 7;

const el = {
  fields: byId('settings-fields', HTMLFieldSetElement),
  dataset: byId('dataset', HTMLSelectElement),
  layers: byId('layers', HTMLInputElement),
  activation: byId('activation', HTMLSelectElement),
  optimizer: byId('optimizer', HTMLSelectElement),
  lr: byId('lr', HTMLInputElement),
  batchSize: byId('batch-size', HTMLSelectElement),
  seed: byId('seed', HTMLInputElement),
  train: byId('train', HTMLButtonElement),
  reset: byId('reset', HTMLButtonElement),
  error: byId('error', HTMLElement),
  status: byId('status', HTMLOutputElement),
  epoch: byId('epoch', HTMLOutputElement),
  loss: byId('loss', HTMLOutputElement),
  accuracy: byId('accuracy', HTMLOutputElement),
  curve: byId('loss-curve', SVGSVGElement),
  boundary: byId('boundary', HTMLCanvasElement),
  frames: byId('frames', HTMLOutputElement),
  maxGap: byId('max-gap', HTMLOutputElement),
  ping: byId('ping', HTMLButtonElement),
  pongs: byId('pongs', HTMLOutputElement),
};

fillSelect(el.dataset, datasetNames, 'xor');
fillSelect(el.activation, activationNames, 'tanh');
fillSelect(el.optimizer, optimizerNames, 'Adam');
el.lr.value = String(optimizers.Adam.lr);

let data: Dataset = makeDataset('xor', N_POINTS, DATA_SEED);
let trainer: Trainer | null = null;
let losses: number[] = [];
// The heartbeat (see the end of this file): frames drawn, and the longest gap between two
// frames while training.
let frames = 0;
let maxGap = 0;
let lastFrame = performance.now();

/** Reads the form; throws a message for the page when a field is invalid. */
function readConfig(): ModelConfig {
  const lr = Number(el.lr.value);
  if (!(lr > 0) || !Number.isFinite(lr)) throw new Error('learning rate must be a positive number');
  const seed = Number(el.seed.value);
  if (!Number.isInteger(seed)) throw new Error('seed must be a whole number');
  return {
    hidden: parseLayers(el.layers.value),
    activation: activationNames.find((a) => a === el.activation.value) ?? 'tanh',
    optimizer: optimizerNames.find((o) => o === el.optimizer.value) ?? 'Adam',
    lr,
    seed,
  };
}

function setStatus(status: 'idle' | 'training' | 'stopped' | 'error'): void {
  show(el.status, status, status);
  el.train.textContent = status === 'training' ? 'Stop' : 'Train';
  el.fields.disabled = status === 'training';
  el.reset.disabled = status === 'training';
}

/** Starts over: new data if the data set changed, fresh weights, empty curve. */
function reset(): void {
  const name = el.dataset.value;
  data = makeDataset(isDatasetName(name) ? name : 'xor', N_POINTS, DATA_SEED);
  losses = [];
  show(el.epoch, 0, '0');
  show(el.loss, '', '–');
  show(el.accuracy, '', '–');
  drawLossCurve(el.curve, losses);
  let net: NeuralNetwork | null = null;
  try {
    const config = readConfig();
    net = buildNetwork(config);
    const batchSize = el.batchSize.value === 'all' ? data.x.length : Number(el.batchSize.value);
    trainer = new Trainer(net, data, batchSize, config.seed);
    el.error.textContent = '';
  } catch (e) {
    trainer = null;
    el.error.textContent = e instanceof Error ? e.message : String(e);
  }
  drawBoundary(el.boundary, net, data);
  setStatus('idle');
}

async function train(t: Trainer): Promise<void> {
  setStatus('training');
  maxGap = 0;
  try {
    await t.run(({ epoch, loss, accuracy }) => {
      losses.push(loss);
      show(el.epoch, epoch, String(epoch));
      show(el.loss, loss, loss < 1e4 ? loss.toFixed(4) : loss.toExponential(3));
      show(el.accuracy, accuracy, accuracy.toFixed(3));
      drawLossCurve(el.curve, losses);
      if (epoch % DRAW_EVERY === 0) drawBoundary(el.boundary, t.net, data);
    });
    setStatus('stopped');
  } catch (e) {
    // e.g. a TrainingError when a too-large learning rate makes the loss overflow
    el.error.textContent = e instanceof Error ? e.message : String(e);
    setStatus('error');
  }
  drawBoundary(el.boundary, t.net, data);
}

el.train.addEventListener('click', () => {
  if (trainer === null) return;
  if (trainer.running) trainer.stop();
  else void train(trainer);
});
el.reset.addEventListener('click', reset);
el.optimizer.addEventListener('change', () => {
  const name = optimizerNames.find((o) => o === el.optimizer.value);
  if (name !== undefined) el.lr.value = String(optimizers[name].lr);
});
el.fields.addEventListener('change', reset);

// The heartbeat: a requestAnimationFrame counter and a button, to show that training leaves
// the page free to draw frames and answer clicks.
function tick(now: number): void {
  frames++;
  if (trainer?.running === true) maxGap = Math.max(maxGap, now - lastFrame);
  lastFrame = now;
  show(el.frames, frames, String(frames));
  show(el.maxGap, Math.round(maxGap), String(Math.round(maxGap)));
  requestAnimationFrame(tick);
}
requestAnimationFrame(tick);

let pongs = 0;
el.ping.addEventListener('click', () => {
  pongs++;
  show(el.pongs, pongs, String(pongs));
  el.pongs.dataset.duringTraining = String(trainer?.running === true);
});

reset();
