/**
 * The decision boundary: the network's class-1 probability on a grid over the view, painted as a
 * blend of the two class colours (stronger where the network is surer), with the data on top.
 */
import { MLArray } from '@smolml/core';
import type { NeuralNetwork } from '@smolml/nn';
import { DOMAIN, type Dataset } from '../datasets.js';

/** Grid cells per side (one predict over RES * RES points); the small image is scaled up smoothly. */
const RES = 100;
export const classColours = [
  [245, 147, 34], // class 0: orange
  [8, 119, 189], // class 1: blue
] as const;

/** Cell centres, row by row from the top of the view (x1 = +DOMAIN) down. */
const grid = (() => {
  const xy = new Float64Array(RES * RES * 2);
  const step = (2 * DOMAIN) / RES;
  for (let row = 0; row < RES; row++) {
    for (let col = 0; col < RES; col++) {
      const i = 2 * (row * RES + col);
      xy[i] = -DOMAIN + (col + 0.5) * step;
      xy[i + 1] = DOMAIN - (row + 0.5) * step;
    }
  }
  return MLArray.from(xy, { shape: [RES * RES, 2] });
})();

/** Canvas pixel of a data point. */
function toPixel(canvas: HTMLCanvasElement, x0: number, x1: number): [number, number] {
  return [((x0 + DOMAIN) / (2 * DOMAIN)) * canvas.width, ((DOMAIN - x1) / (2 * DOMAIN)) * canvas.height];
}

/** Paints the boundary of `net` (none when null) and the data points. */
export function drawBoundary(canvas: HTMLCanvasElement, net: NeuralNetwork | null, data: Dataset): void {
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#f4f4f4';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  if (net !== null) {
    const logits = net.predict(grid).data; // predict records no graph
    const image = new ImageData(RES, RES);
    for (let i = 0; i < RES * RES; i++) {
      const p = 1 / (1 + Math.exp(-logits[i]!)); // probability of class 1
      const strength = 0.15 + 0.55 * Math.abs(2 * p - 1); // tinted even at 0.5, so the boundary shows
      const tint = (channel: number): number => Math.round(255 + (channel - 255) * strength); // white -> colour
      const [r, g, b] = classColours[p > 0.5 ? 1 : 0];
      image.data.set([tint(r), tint(g), tint(b), 255], 4 * i);
    }
    const small = document.createElement('canvas');
    small.width = RES;
    small.height = RES;
    small.getContext('2d')!.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
  }
  ctx.lineWidth = 1;
  ctx.strokeStyle = '#fff';
  data.x.forEach(([x0, x1], i) => {
    const [px, py] = toPixel(canvas, x0!, x1!);
    const [r, g, b] = classColours[data.y[i] === 1 ? 1 : 0];
    ctx.fillStyle = `rgb(${r}, ${g}, ${b})`;
    ctx.beginPath();
    ctx.arc(px, py, 4, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  });
  canvas.dataset.draws = String(Number(canvas.dataset.draws ?? 0) + 1);
}
