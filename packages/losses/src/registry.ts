/**
 * Losses by name, so a model can save its loss as a string and get the same function back, and a
 * network can be given a loss by name. Canonical names are the export names (`'mseLoss'`, ...); a
 * `huber(delta)` loss is named `'huber(<delta>)'` (String(delta) is the shortest decimal that
 * parses back to the same double). Short aliases (`'mse'`) and deprecated names
 * (`'binaryCrossEntropyWithLogits'`, which old saved models hold) are accepted too.
 */
import { ValueError } from '@smolml/core';
import { closestName, describeValue, ownEntry } from '@smolml/core/internal';
import { binaryCrossEntropy, binaryCrossEntropyFromLogits } from './binary.js';
import {
  categoricalCrossEntropy,
  categoricalCrossEntropyFromLogits,
  sparseCategoricalCrossEntropy,
  sparseCategoricalCrossEntropyFromLogits,
} from './categorical.js';
import type { Loss } from './loss.js';
import { huber, huberDelta, huberLoss, maeLoss, mseLoss } from './regression.js';

/** The canonical name of a built-in loss: its export name. */
export type CanonicalLossName =
  | 'mseLoss'
  | 'maeLoss'
  | 'huberLoss'
  | 'binaryCrossEntropy'
  | 'binaryCrossEntropyFromLogits'
  | 'categoricalCrossEntropy'
  | 'categoricalCrossEntropyFromLogits'
  | 'sparseCategoricalCrossEntropy'
  | 'sparseCategoricalCrossEntropyFromLogits';

const builtIn: Readonly<Record<CanonicalLossName, Loss>> = {
  mseLoss,
  maeLoss,
  huberLoss,
  binaryCrossEntropy,
  binaryCrossEntropyFromLogits,
  categoricalCrossEntropy,
  categoricalCrossEntropyFromLogits,
  sparseCategoricalCrossEntropy,
  sparseCategoricalCrossEntropyFromLogits,
};

/**
 * Every built-in loss that takes no parameters, by its canonical (export) name.
 * @example
 * losses['mseLoss'] === mseLoss; // true
 */
export const losses: Readonly<Record<string, Loss>> = Object.freeze(builtIn);

/** A short or deprecated name `getLoss` accepts besides the canonical ones. */
export type LossAlias = 'mse' | 'mae' | 'huber' | 'binaryCrossEntropyWithLogits';

const aliases: Readonly<Record<LossAlias, CanonicalLossName>> = {
  mse: 'mseLoss',
  mae: 'maeLoss',
  huber: 'huberLoss',
  // the name of binaryCrossEntropyFromLogits before the logits losses were named alike (deprecated)
  binaryCrossEntropyWithLogits: 'binaryCrossEntropyFromLogits',
};

/**
 * Other names `getLoss` accepts, and the canonical name each stands for: short forms (`'mse'`)
 * and deprecated names kept so that old code and saved models keep working.
 * @example
 * lossAliases.mse; // 'mseLoss'
 */
export const lossAliases: Readonly<Record<string, CanonicalLossName>> = Object.freeze(aliases);

/** A name `getLoss` (and `new NeuralNetwork(layers, name)`) accepts: canonical or alias. */
export type LossName = CanonicalLossName | LossAlias | `huber(${number})`;

/**
 * Names from other libraries (TF.js/Keras, PyTorch), compared without case, `_` or `-`, that
 * are not close enough in spelling to be found by edit distance: suggested, never accepted.
 */
const foreign: Readonly<Record<string, CanonicalLossName>> = Object.freeze({
  meansquarederror: 'mseLoss',
  meanabsoluteerror: 'maeLoss',
  l1loss: 'maeLoss',
  smoothl1loss: 'huberLoss',
  bceloss: 'binaryCrossEntropy',
  bcewithlogitsloss: 'binaryCrossEntropyFromLogits',
  crossentropyloss: 'sparseCategoricalCrossEntropyFromLogits',
  crossentropy: 'sparseCategoricalCrossEntropyFromLogits',
  nllloss: 'sparseCategoricalCrossEntropy',
});

const HUBER = /^huber\((.+)\)$/;
const known = [...Object.keys(builtIn), ...Object.keys(aliases)];

/**
 * The canonical name under which `getLoss` finds `fn` again, or undefined for a function that is
 * not a built-in loss (a custom loss cannot be saved by name: pass it again after loading).
 * @example
 * lossName(mseLoss); // 'mseLoss'
 * lossName(huber(0.5)); // 'huber(0.5)'
 */
export function lossName(fn: unknown): string | undefined {
  for (const [name, f] of Object.entries(builtIn)) if (f === fn) return name;
  const delta = huberDelta(fn);
  return delta === undefined ? undefined : `huber(${String(delta)})`;
}

/** `; did you mean 'mseLoss'?` for a likely typo or another library's name, else ''. */
function suggestion(text: string): string {
  const name = text.slice(0, 64).trim(); // only the start of a (possibly huge) string can be a typo of a name
  const norm = name.toLowerCase().replace(/[_\-\s]/g, '');
  const hit = ownEntry(foreign, norm) ?? closestName(name, known);
  return hit === undefined ? '' : `; did you mean '${hit}'?`;
}

/**
 * The loss named `name`: a canonical name, an alias (`lossAliases`) or `'huber(<delta>)'`. An
 * unknown name throws a ValueError that suggests the closest known name (also for TF.js and
 * PyTorch spellings such as `'binaryCrossentropy'` or `'MSELoss'`); `op` names the operation in
 * that message.
 * @example
 * getLoss('categoricalCrossEntropyFromLogits'); // the function itself
 * getLoss('mse') === mseLoss; // true
 * getLoss('huber(2)'); // a new huber(2) loss
 */
export function getLoss(name: LossName | string, op = 'getLoss'): Loss {
  if (typeof name === 'string') {
    const found = ownEntry<Loss>(builtIn, name) ?? ownEntry<Loss>(builtIn, ownEntry<string>(aliases, name));
    if (found !== undefined) return found;
    const m = HUBER.exec(name);
    if (m) {
      const delta = Number(m[1]);
      if (Number.isFinite(delta) && delta > 0) return huber(delta);
    }
  }
  const hint = typeof name === 'string' ? suggestion(name) : '';
  throw new ValueError(
    `${op}: unknown loss ${describeValue(name)}${hint}; known: ${Object.keys(builtIn).join(', ')}, ` +
      `the short names ${Object.keys(aliases).slice(0, 3).join(', ')}, or huber(<delta>) with delta > 0`,
  );
}
