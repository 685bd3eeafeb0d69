/** Number formats of the page. */

/** Short, readable: 0.1235, 12.35, 1.235e+5, 1.2e-5. */
export function formatValue(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) return x.toExponential(digits - 2);
  return String(Number(x.toPrecision(digits)));
}

/** A loss for the numbers above the chart: three decimals, or exponent form when large or tiny. */
export function formatLoss(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (x >= 1e4 || x < 1e-3)) return x.toExponential(2);
  return x.toFixed(3);
}

/** An axis tick: 0, 0.5, 12, 1e+4, 1e-3. */
export function formatTick(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e4 || a < 1e-3) return x.toExponential(0);
  return String(Number(x.toPrecision(3)));
}
