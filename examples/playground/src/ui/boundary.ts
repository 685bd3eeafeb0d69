/**
 * The output over the input plane (the decision boundary for classification, the predicted
 * surface for regression), with the training points on top and, when asked, the test points
 * (outlined in black). Axis ticks sit in a margin of the same canvas so nothing is clipped.
 */
import { DOMAIN, type Dataset } from '../datasets.js';
import { classColour, css, diverging } from './colors.js';

export const BOUNDARY_GRID = 72;
const SIZE = 300; // plot area, CSS pixels
const MARGIN = { left: 26, bottom: 20, top: 6, right: 8 };

export interface BoundaryView {
  /** Output shades in [-1, 1] on the BOUNDARY_GRID grid (row-major from the top), or null before a network exists. */
  shades: Float64Array | null;
  data: Dataset;
  train: readonly number[];
  test: readonly number[];
  showTest: boolean;
}

export function setupBoundary(canvas: HTMLCanvasElement): void {
  const dpr = Math.max(1, Math.min(3, globalThis.devicePixelRatio || 1));
  const w = SIZE + MARGIN.left + MARGIN.right;
  const h = SIZE + MARGIN.top + MARGIN.bottom;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  canvas.style.width = `${w}px`;
  canvas.style.height = `${h}px`;
  canvas.getContext('2d')!.setTransform(dpr, 0, 0, dpr, 0, 0);
}

const small = document.createElement('canvas');
small.width = BOUNDARY_GRID;
small.height = BOUNDARY_GRID;

export function drawBoundary(canvas: HTMLCanvasElement, view: BoundaryView): void {
  const ctx = canvas.getContext('2d')!;
  const toPx = (x1: number, x2: number): [number, number] => [MARGIN.left + ((x1 + DOMAIN) / (2 * DOMAIN)) * SIZE, MARGIN.top + ((DOMAIN - x2) / (2 * DOMAIN)) * SIZE];
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, SIZE + MARGIN.left + MARGIN.right, SIZE + MARGIN.top + MARGIN.bottom);
  if (view.shades !== null) {
    const image = new ImageData(BOUNDARY_GRID, BOUNDARY_GRID);
    for (let i = 0; i < view.shades.length; i++) {
      const [r, g, b] = diverging(0.85 * view.shades[i]!); // a touch lighter than the points
      image.data.set([r, g, b, 255], 4 * i);
    }
    small.getContext('2d')!.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(small, MARGIN.left, MARGIN.top, SIZE, SIZE);
  } else {
    ctx.fillStyle = '#f3f4f5';
    ctx.fillRect(MARGIN.left, MARGIN.top, SIZE, SIZE);
  }
  const { data } = view;
  const colourOf = (i: number): string => (data.task === 'classification' ? classColour(data.y[i]!) : css(diverging(data.y[i]!)));
  const dot = (i: number, stroke: string, width: number): void => {
    const [px, py] = toPx(data.x[i]![0], data.x[i]![1]);
    ctx.beginPath();
    ctx.arc(px, py, 3.6, 0, 2 * Math.PI);
    ctx.fillStyle = colourOf(i);
    ctx.fill();
    ctx.lineWidth = width;
    ctx.strokeStyle = stroke;
    ctx.stroke();
  };
  for (const i of view.train) dot(i, '#fff', 1);
  if (view.showTest) for (const i of view.test) dot(i, '#111', 1.4);
  // frame and ticks
  ctx.strokeStyle = '#9aa0a6';
  ctx.lineWidth = 1;
  ctx.strokeRect(MARGIN.left + 0.5, MARGIN.top + 0.5, SIZE - 1, SIZE - 1);
  ctx.fillStyle = '#5f6368';
  ctx.font = '10px system-ui, "DejaVu Sans", sans-serif';
  for (let v = -DOMAIN; v <= DOMAIN; v += 2) {
    const [px] = toPx(v, 0);
    const [, py] = toPx(0, v);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.fillText(String(v), px, MARGIN.top + SIZE + 5);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    ctx.fillText(String(v), MARGIN.left - 4, py);
  }
  canvas.dataset.draws = String(Number(canvas.dataset.draws ?? 0) + 1);
  canvas.dataset.trainPoints = String(view.train.length);
  canvas.dataset.testPoints = String(view.showTest ? view.test.length : 0);
  canvas.dataset.task = data.task;
}
