/**
 * The form: fills every control from the settings and turns user input into settings patches.
 * Each patch is tagged with what it needs: new data, a new network, nothing but a live update
 * (learning rate, regularisation, batch size), or only a redraw.
 */
import { datasetLabels, datasetNames } from './datasets.js';
import { byTestId, fillSelect } from './dom.js';
import { type FeatureName, featureNames, features, orderFeatures } from './features.js';
import { activationNames } from './model/network.js';
import { optimizerNames, regularizationNames } from './model/train.js';
import { MAX_LAYERS, MAX_UNITS, type Settings, parseHidden } from './state.js';

export type ChangeKind = 'data' | 'network' | 'live' | 'view';
export type OnChange = (patch: Partial<Settings>, kind: ChangeKind) => void;

const optimizerLabels: Record<string, string> = { SGD: 'SGD', SGDMomentum: 'SGD + momentum', Adam: 'Adam', RMSProp: 'RMSProp', AdaGrad: 'AdaGrad' };

export class Controls {
  readonly el = {
    dataset: byTestId('dataset', HTMLSelectElement),
    noise: byTestId('noise', HTMLInputElement),
    noiseValue: byTestId('noise-value', HTMLElement),
    trainRatio: byTestId('train-ratio', HTMLInputElement),
    trainRatioValue: byTestId('train-ratio-value', HTMLElement),
    batchSize: byTestId('batch-size', HTMLInputElement),
    batchSizeValue: byTestId('batch-size-value', HTMLElement),
    regenerate: byTestId('regenerate', HTMLButtonElement),
    features: byTestId('features', HTMLFieldSetElement),
    hidden: byTestId('hidden-layers', HTMLInputElement),
    hiddenError: byTestId('hidden-layers-error', HTMLElement),
    addLayer: byTestId('add-layer', HTMLButtonElement),
    removeLayer: byTestId('remove-layer', HTMLButtonElement),
    activation: byTestId('activation', HTMLSelectElement),
    optimizer: byTestId('optimizer', HTMLSelectElement),
    lr: byTestId('learning-rate', HTMLInputElement),
    reg: byTestId('regularization', HTMLSelectElement),
    regRate: byTestId('reg-rate', HTMLInputElement),
    seed: byTestId('seed', HTMLInputElement),
    showTest: byTestId('show-test', HTMLInputElement),
    gradientView: byTestId('gradient-view', HTMLInputElement),
    logScale: byTestId('log-scale', HTMLInputElement),
  };
  private readonly checkboxes = new Map<FeatureName, HTMLInputElement>();

  constructor(
    private readonly settings: () => Settings,
    private readonly onChange: OnChange,
  ) {
    const el = this.el;
    fillSelect(el.dataset, datasetNames.map((d) => [d, datasetLabels[d]]), 'circles');
    fillSelect(el.activation, activationNames.map((a) => [a, a === 'leakyRelu' ? 'leaky ReLU' : a === 'elu' ? 'ELU' : a === 'relu' ? 'ReLU' : a]), 'tanh');
    fillSelect(el.optimizer, optimizerNames.map((o) => [o, optimizerLabels[o] ?? o]), 'SGD');
    fillSelect(el.reg, regularizationNames.map((r) => [r, r]), 'none');
    for (const f of featureNames) {
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.dataset.testid = `feature-${f}`;
      box.addEventListener('change', () => this.featuresChanged());
      label.append(box, ` ${features[f].label}`);
      el.features.append(label);
      this.checkboxes.set(f, box);
    }
    const on = (node: HTMLElement, handler: () => void): void => {
      node.addEventListener('input', handler);
      node.addEventListener('change', handler);
    };
    on(el.dataset, () => this.emit({ dataset: el.dataset.value as Settings['dataset'] }, 'data'));
    on(el.noise, () => this.emit({ noise: Number(el.noise.value) / 100 }, 'data'));
    on(el.trainRatio, () => this.emit({ trainRatio: Number(el.trainRatio.value) / 100 }, 'data'));
    on(el.batchSize, () => this.emit({ batchSize: Number(el.batchSize.value) }, 'live'));
    el.regenerate.addEventListener('click', () => this.onChange({ dataSeed: this.settings().dataSeed + 1 }, 'data'));
    on(el.activation, () => this.emit({ activation: el.activation.value as Settings['activation'] }, 'network'));
    on(el.optimizer, () => this.emit({ optimizer: el.optimizer.value as Settings['optimizer'] }, 'network'));
    on(el.reg, () => this.emit({ reg: el.reg.value as Settings['reg'] }, 'live'));
    on(el.lr, () => this.number(el.lr, (v) => v > 0 && v <= 1e6, 'a number > 0', (lr) => this.emit({ lr }, 'live')));
    on(el.regRate, () => this.number(el.regRate, (v) => v >= 0 && v <= 1e3, 'a number ≥ 0', (regRate) => this.emit({ regRate }, 'live')));
    on(el.seed, () => this.number(el.seed, (v) => Number.isInteger(v) && v >= 0 && v <= 2 ** 31, 'a whole number ≥ 0', (seed) => this.emit({ seed }, 'network')));
    el.hidden.addEventListener('input', () => this.hiddenTyped(false));
    el.hidden.addEventListener('change', () => this.hiddenTyped(true));
    el.addLayer.addEventListener('click', () => {
      const h = this.settings().hidden;
      if (h.length < MAX_LAYERS) this.emit({ hidden: [...h, h[h.length - 1] ?? 4] }, 'network');
    });
    el.removeLayer.addEventListener('click', () => {
      const h = this.settings().hidden;
      if (h.length > 0) this.emit({ hidden: h.slice(0, -1) }, 'network');
    });
    on(el.showTest, () => this.emit({ showTest: el.showTest.checked }, 'view'));
    on(el.gradientView, () => this.emit({ gradientView: el.gradientView.checked }, 'view'));
    on(el.logScale, () => this.emit({ logScale: el.logScale.checked }, 'view'));
  }

  /** Changes the neurons of one hidden layer by +1 or -1 (the diagram's buttons). */
  changeUnits(layer: number, delta: 1 | -1): void {
    const hidden = [...this.settings().hidden];
    const n = (hidden[layer] ?? 0) + delta;
    if (n < 1 || n > MAX_UNITS) return;
    hidden[layer] = n;
    this.emit({ hidden }, 'network');
  }

  /** Emits a patch only when it changes something (input and change events both fire). */
  private emit(patch: Partial<Settings>, kind: ChangeKind): void {
    const current = this.settings() as unknown as Record<string, unknown>;
    const changed = Object.entries(patch).some(([k, v]) => JSON.stringify(current[k]) !== JSON.stringify(v));
    if (changed) this.onChange(patch, kind);
  }

  private number(input: HTMLInputElement, ok: (v: number) => boolean, what: string, apply: (v: number) => void): void {
    const v = Number(input.value);
    const valid = input.value.trim() !== '' && Number.isFinite(v) && ok(v);
    input.setCustomValidity(valid ? '' : `must be ${what}`);
    input.classList.toggle('invalid', !valid);
    if (valid) apply(v);
  }

  private hiddenTyped(final: boolean): void {
    const parsed = parseHidden(this.el.hidden.value);
    if (typeof parsed === 'string') {
      this.el.hiddenError.textContent = final ? '' : parsed;
      this.el.hidden.classList.toggle('invalid', !final);
      if (final) this.el.hidden.value = this.settings().hidden.join(', ');
      return;
    }
    this.el.hiddenError.textContent = '';
    this.el.hidden.classList.remove('invalid');
    this.emit({ hidden: parsed }, 'network');
  }

  private featuresChanged(): void {
    const chosen = featureNames.filter((f) => this.checkboxes.get(f)!.checked);
    if (chosen.length === 0) {
      this.write(this.settings()); // keep at least one input
      return;
    }
    this.emit({ features: orderFeatures(chosen) }, 'data');
  }

  /** Shows `s` in every control. */
  write(s: Settings): void {
    const el = this.el;
    el.dataset.value = s.dataset;
    el.noise.value = String(Math.round(s.noise * 100));
    el.noiseValue.textContent = String(Math.round(s.noise * 100));
    el.trainRatio.value = String(Math.round(s.trainRatio * 100));
    el.trainRatioValue.textContent = `${Math.round(s.trainRatio * 100)}%`;
    el.batchSize.value = String(s.batchSize);
    el.batchSizeValue.textContent = String(s.batchSize);
    for (const [f, box] of this.checkboxes) box.checked = s.features.includes(f);
    if (parseHidden(el.hidden.value).toString() !== s.hidden.toString()) el.hidden.value = s.hidden.join(', ');
    el.addLayer.disabled = s.hidden.length >= MAX_LAYERS;
    el.removeLayer.disabled = s.hidden.length === 0;
    el.activation.value = s.activation;
    el.optimizer.value = s.optimizer;
    if (Number(el.lr.value) !== s.lr || el.lr.value === '') el.lr.value = String(s.lr);
    el.reg.value = s.reg;
    if (Number(el.regRate.value) !== s.regRate || el.regRate.value === '') el.regRate.value = String(s.regRate);
    if (Number(el.seed.value) !== s.seed || el.seed.value === '') el.seed.value = String(s.seed);
    el.showTest.checked = s.showTest;
    el.gradientView.checked = s.gradientView;
    el.logScale.checked = s.logScale;
  }
}
