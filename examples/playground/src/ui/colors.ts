/**
 * TensorFlow Playground's palette: orange for negative values (and class 0), blue for positive
 * (class 1), a light grey at 0. Weight lines use the same two colours; the gradient view uses
 * its own pair so that the mode is visible at a glance.
 */
export const ORANGE = [245, 147, 34] as const;
export const BLUE = [8, 119, 189] as const;
export const NEUTRAL = [232, 234, 235] as const;
export const GRAD_POSITIVE = '#c2185b';
export const GRAD_NEGATIVE = '#2e7d32';

export type RGB = readonly [number, number, number];

/** The colour of v in [-1, 1] (clipped): orange at -1, grey at 0, blue at 1. */
export function diverging(v: number): RGB {
  const t = Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0));
  const end = t < 0 ? ORANGE : BLUE;
  const a = Math.abs(t);
  return [NEUTRAL[0] + (end[0] - NEUTRAL[0]) * a, NEUTRAL[1] + (end[1] - NEUTRAL[1]) * a, NEUTRAL[2] + (end[2] - NEUTRAL[2]) * a];
}

export function css([r, g, b]: RGB): string {
  return `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`;
}

export const classColour = (label: number): string => css(label === 1 ? BLUE : ORANGE);
