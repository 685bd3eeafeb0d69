/**
 * The loss curve as an SVG polyline: epoch on x, training loss on y from 0 to the largest loss.
 * The first and last losses are also written to data attributes, for tests and curious users.
 */
const W = 420;
const H = 220;
const PAD = { left: 48, right: 12, top: 12, bottom: 30 };

/** A short axis label: 0, 0.693, 12.3, 4.57e+5. */
export function formatNumber(x: number): string {
  if (x === 0) return '0';
  return Math.abs(x) >= 1e4 ? x.toExponential(2) : x.toPrecision(3);
}

export function drawLossCurve(svg: SVGSVGElement, losses: readonly number[]): void {
  const top = losses.reduce((m, l) => Math.max(m, l), 0) || 1;
  const lastEpoch = Math.max(losses.length, 2); // the x axis spans at least epochs 1..2
  const px = (epoch: number): number => PAD.left + ((epoch - 1) / (lastEpoch - 1)) * (W - PAD.left - PAD.right);
  const py = (loss: number): number => PAD.top + (1 - loss / top) * (H - PAD.top - PAD.bottom);
  const points = losses.map((l, i) => `${px(i + 1).toFixed(1)},${py(l).toFixed(1)}`).join(' ');
  const x0 = PAD.left;
  const y0 = H - PAD.bottom;
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.innerHTML = `
    <line x1="${x0}" y1="${PAD.top}" x2="${x0}" y2="${y0}" stroke="#999" />
    <line x1="${x0}" y1="${y0}" x2="${W - PAD.right}" y2="${y0}" stroke="#999" />
    <text x="${x0 - 6}" y="${PAD.top + 4}" text-anchor="end">${formatNumber(top)}</text>
    <text x="${x0 - 6}" y="${y0}" text-anchor="end">0</text>
    <text x="${W - PAD.right}" y="${PAD.top + 4}" text-anchor="end">training loss per epoch</text>
    <text x="${x0}" y="${H - 8}">1</text>
    <text x="${W - PAD.right}" y="${H - 8}" text-anchor="end">epoch ${lastEpoch}</text>
    <polyline points="${points}" fill="none" stroke="#c0392b" stroke-width="2" />`;
  svg.dataset.epochs = String(losses.length);
  svg.dataset.firstLoss = losses.length > 0 ? String(losses[0]) : '';
  svg.dataset.lastLoss = losses.length > 0 ? String(losses[losses.length - 1]) : '';
}
