/** Tiny charts without dependencies: a unicode sparkline for the terminal and an SVG file. */

const BLOCKS = '▁▂▃▄▅▆▇█';

/** Averages `values` into at most `width` buckets. */
export function downsample(values: readonly number[], width: number): number[] {
  if (values.length <= width) return [...values];
  const out: number[] = [];
  for (let b = 0; b < width; b++) {
    const from = Math.floor((b * values.length) / width);
    const to = Math.floor(((b + 1) * values.length) / width);
    let s = 0;
    for (let i = from; i < to; i++) s += values[i]!;
    out.push(s / (to - from));
  }
  return out;
}

/** `▇▅▄▃▂▂▁▁`: one block per bucket, scaled between the smallest and largest value. */
export function sparkline(values: readonly number[], width = 60): string {
  const v = downsample(values, width);
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  return v.map((x) => BLOCKS[hi > lo ? Math.round(((x - lo) / (hi - lo)) * (BLOCKS.length - 1)) : 0]).join('');
}

interface Series {
  label: string;
  colour: string;
  /** [x, y] points. */
  points: readonly (readonly [number, number])[];
}

/** `legend`: the corner the labels go in, the one the curves leave empty (a falling loss: top; a rising accuracy: bottom). */
function panel(x0: number, title: string, series: readonly Series[], yMin: number, yMax: number, xMax: number, xLabel: string, legend: 'top' | 'bottom'): string {
  const [w, h, top, left] = [300, 220, 40, 45];
  const sx = (x: number): number => x0 + left + (x / xMax) * w;
  const sy = (y: number): number => top + h - ((y - yMin) / (yMax - yMin)) * h;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => yMin + t * (yMax - yMin));
  const every = Math.ceil(xMax / 10);
  const xTicks = Array.from({ length: Math.floor(xMax / every) + 1 }, (_, i) => i * every);
  const parts = [
    `<text x="${x0 + left + w / 2}" y="24" text-anchor="middle" font-size="14" font-weight="bold">${title}</text>`,
    `<rect x="${x0 + left}" y="${top}" width="${w}" height="${h}" fill="none" stroke="#999"/>`,
    ...ticks.map((t) => `<text x="${x0 + left - 6}" y="${sy(t) + 4}" text-anchor="end" font-size="10">${t.toFixed(2)}</text>` +
      `<line x1="${x0 + left}" x2="${x0 + left + w}" y1="${sy(t)}" y2="${sy(t)}" stroke="#eee"/>`),
    ...xTicks.map((x) => `<text x="${sx(x)}" y="${top + h + 14}" text-anchor="middle" font-size="10">${x}</text>`),
    `<text x="${x0 + left + w / 2}" y="${top + h + 30}" text-anchor="middle" font-size="11">${xLabel}</text>`,
    ...series.map((s, i) => {
      const pts = s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(Math.min(Math.max(y, yMin), yMax)).toFixed(1)}`).join(' ');
      return `<polyline fill="none" stroke="${s.colour}" stroke-width="1.5" points="${pts}"/>` +
        `<text x="${x0 + left + w - 4}" y="${legend === 'top' ? top + 16 + 14 * i : top + h - 8 - 14 * (series.length - 1 - i)}" text-anchor="end" font-size="11" fill="${s.colour}">${s.label}</text>`;
    }),
  ];
  return parts.join('\n');
}

/**
 * Two panels: the training loss of every batch (and each epoch's mean) against epochs, and the
 * training and validation accuracy of each epoch.
 */
export function trainingCurvesSvg(
  batchLosses: readonly number[],
  history: { loss: readonly number[]; accuracy?: readonly number[]; valAccuracy?: readonly number[] },
): string {
  const epochs = history.loss.length;
  const perEpoch = batchLosses.length / epochs;
  const lossSeries: Series[] = [
    { label: 'batch loss', colour: '#9ecae1', points: batchLosses.map((l, i) => [(i + 1) / perEpoch, l]) },
    { label: 'epoch mean', colour: '#08519c', points: history.loss.map((l, e) => [e + 1, l]) },
  ];
  const accSeries: Series[] = [];
  if (history.accuracy) accSeries.push({ label: 'train', colour: '#31a354', points: history.accuracy.map((a, e) => [e + 1, a]) });
  if (history.valAccuracy) accSeries.push({ label: 'validation', colour: '#e6550d', points: history.valAccuracy.map((a, e) => [e + 1, a]) });
  const accMin = Math.floor(Math.min(...accSeries.flatMap((s) => s.points.map((p) => p[1]))) * 10) / 10;
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="760" height="300" font-family="sans-serif">',
    '<rect width="100%" height="100%" fill="white"/>',
    panel(0, 'Training loss', lossSeries, 0, Math.max(...batchLosses), epochs, 'epoch', 'top'),
    panel(380, 'Accuracy', accSeries, Math.min(accMin, 0.9), 1, epochs, 'epoch', 'bottom'),
    '</svg>',
    '',
  ].join('\n');
}
