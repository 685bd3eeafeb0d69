/**
 * Losses by name, so a model can save its loss as a string and get the same function back.
 * Names are the export names (`'mseLoss'`, ...); a `huber(delta)` loss is named `'huber(<delta>)'`
 * (String(delta) is the shortest decimal that parses back to the same double).
 */
import { ValueError, type LossFunction } from '@smolml/core';
import { binaryCrossEntropy, binaryCrossEntropyWithLogits } from './binary.js';
import { categoricalCrossEntropy, categoricalCrossEntropyFromLogits, sparseCategoricalCrossEntropyFromLogits } from './categorical.js';
import { huber, huberDelta, huberLoss, maeLoss, mseLoss } from './regression.js';

/**
 * Every built-in loss that takes no parameters, by its export name.
 * @example
 * losses['mseLoss'] === mseLoss; // true
 */
export const losses: Readonly<Record<string, LossFunction>> = Object.freeze({
  mseLoss,
  maeLoss,
  huberLoss,
  binaryCrossEntropy,
  categoricalCrossEntropy,
  binaryCrossEntropyWithLogits,
  categoricalCrossEntropyFromLogits,
  sparseCategoricalCrossEntropyFromLogits,
});

const HUBER = /^huber\((.+)\)$/;

/**
 * The name under which `getLoss` finds `fn` again, or undefined for a function that is not a
 * built-in loss (a custom loss cannot be saved by name: pass it again after loading).
 * @example
 * lossName(mseLoss); // 'mseLoss'
 * lossName(huber(0.5)); // 'huber(0.5)'
 */
export function lossName(fn: LossFunction): string | undefined {
  for (const [name, f] of Object.entries(losses)) if (f === fn) return name;
  const delta = huberDelta(fn);
  return delta === undefined ? undefined : `huber(${String(delta)})`;
}

/**
 * The loss named `name` (see `lossName`). Throws ValueError for an unknown name.
 * @example
 * getLoss('categoricalCrossEntropyFromLogits'); // the function itself
 * getLoss('huber(2)'); // a new huber(2) loss
 */
export function getLoss(name: string): LossFunction {
  if (typeof name === 'string') {
    if (Object.hasOwn(losses, name)) return losses[name]!;
    const m = HUBER.exec(name);
    if (m) {
      const delta = Number(m[1]);
      if (Number.isFinite(delta) && delta > 0) return huber(delta);
    }
  }
  throw new ValueError(
    `getLoss: unknown loss ${JSON.stringify(name)}; known: ${Object.keys(losses).join(', ')}, or huber(<delta>) with delta > 0`,
  );
}
