/**
 * Training and test loss per epoch as an SVG chart: linear or log y axis with ticks, epochs on
 * x, a legend, and margins wide enough that no label is clipped.
 */
import { formatTick } from './format.js';

const W = 340;
const H = 180;
const PAD = { left: 46, right: 12, top: 24, bottom: 32 };
export const TRAIN_COLOUR = '#202124';
export const TEST_COLOUR = '#9334e6';

/** About `count` round tick values covering [lo, hi] (steps of 1, 2 or 5 times a power of ten). */
export function niceTicks(lo: number, hi: number, count = 4): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** Decades 10^a .. 10^b covering [lo, hi] (lo > 0). */
export function logTicks(lo: number, hi: number): number[] {
  const a = Math.floor(Math.log10(lo));
  const b = Math.max(a + 1, Math.ceil(Math.log10(hi)));
  const step = Math.max(1, Math.ceil((b - a) / 5));
  const ticks: number[] = [];
  for (let e = a; e <= b; e += step) ticks.push(10 ** e);
  return ticks;
}

/** At most `max` points of a series, evenly spaced, always keeping the last. */
function thin(values: readonly number[], max = 500): [number, number][] {
  const every = Math.max(1, Math.ceil(values.length / max));
  const out: [number, number][] = [];
  for (let i = 0; i < values.length; i += every) out.push([i + 1, values[i]!]);
  if (values.length > 0 && out[out.length - 1]![0] !== values.length) out.push([values.length, values[values.length - 1]!]);
  return out;
}

export function drawLossChart(svg: SVGSVGElement, train: readonly number[], test: readonly number[], logScale: boolean): void {
  const finite = [...train, ...test].filter((v) => Number.isFinite(v));
  const epochs = Math.max(train.length, 1);
  const floor = 1e-6;
  let yLo = 0;
  let yHi = Math.max(...finite, 0) || 1;
  let yTicks: number[];
  if (logScale) {
    const positive = finite.map((v) => Math.max(v, floor));
    yLo = 10 ** Math.floor(Math.log10(Math.min(...positive, 1)));
    yHi = 10 ** Math.ceil(Math.log10(Math.max(...positive, yLo * 10)));
    yTicks = logTicks(yLo, yHi);
  } else {
    yTicks = niceTicks(0, yHi);
    yHi = Math.max(yHi, yTicks[yTicks.length - 1]!);
  }
  const xTicks = [1, ...niceTicks(1, Math.max(epochs, 2), 4).filter((t) => Number.isInteger(t) && t > 1)];
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const px = (epoch: number): number => PAD.left + ((epoch - 1) / Math.max(epochs - 1, 1)) * plotW;
  const py = (v: number): number => {
    const t = logScale ? (Math.log10(Math.max(v, floor)) - Math.log10(yLo)) / (Math.log10(yHi) - Math.log10(yLo)) : v / yHi;
    return PAD.top + (1 - Math.max(0, Math.min(1, t))) * plotH;
  };
  const line = (values: readonly number[], colour: string, dash: string): string => {
    const pts = thin(values.map((v) => (Number.isFinite(v) ? v : yHi))).map(([e, v]) => `${px(e).toFixed(1)},${py(v).toFixed(1)}`);
    if (pts.length === 0) return '';
    // a dot on the latest value: visible even when there is only one epoch
    const [lx, ly] = pts[pts.length - 1]!.split(',');
    return `<polyline points="${pts.join(' ')}" fill="none" stroke="${colour}" stroke-width="1.8" stroke-dasharray="${dash}" stroke-linejoin="round" /><circle cx="${lx}" cy="${ly}" r="2.6" fill="${colour}" />`;
  };
  const yGrid = yTicks
    .map((t) => {
      const y = py(t).toFixed(1);
      return `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}" class="grid" /><text x="${PAD.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${formatTick(t)}</text>`;
    })
    .join('');
  const xGrid = xTicks.filter((t, k) => k === 0 || px(t) - px(xTicks[0]!) > 24).map((t) => `<text x="${px(t).toFixed(1)}" y="${H - PAD.bottom + 14}" text-anchor="middle">${t}</text>`).join('');
  const legendX = W - PAD.right - 150;
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.innerHTML = `
    ${yGrid}
    <line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${H - PAD.bottom}" class="axis" />
    <line x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}" class="axis" />
    ${xGrid}
    <text x="${PAD.left + plotW / 2}" y="${H - 4}" text-anchor="middle" class="axis-label">epoch</text>
    <text x="${PAD.left}" y="12" class="axis-label">loss${logScale ? ' (log scale)' : ''}</text>
    <g class="legend" data-testid="loss-legend">
      <line x1="${legendX}" x2="${legendX + 18}" y1="9" y2="9" stroke="${TRAIN_COLOUR}" stroke-width="2" />
      <text x="${legendX + 22}" y="9" dominant-baseline="middle">training</text>
      <line x1="${legendX + 80}" x2="${legendX + 98}" y1="9" y2="9" stroke="${TEST_COLOUR}" stroke-width="2" stroke-dasharray="4 3" />
      <text x="${legendX + 102}" y="9" dominant-baseline="middle">test</text>
    </g>
    ${train.length === 0 ? `<text x="${PAD.left + plotW / 2}" y="${PAD.top + plotH / 2}" text-anchor="middle" class="empty">no epoch yet: press ▶ or ⏭</text>` : ''}
    ${line(train, TRAIN_COLOUR, '')}
    ${line(test, TEST_COLOUR, '4 3')}`;
  svg.dataset.epochs = String(train.length);
  svg.dataset.scale = logScale ? 'log' : 'linear';
  svg.dataset.firstTrain = train.length > 0 ? String(train[0]) : '';
  svg.dataset.lastTrain = train.length > 0 ? String(train[train.length - 1]) : '';
  svg.dataset.lastTest = test.length > 0 ? String(test[test.length - 1]) : '';
}
