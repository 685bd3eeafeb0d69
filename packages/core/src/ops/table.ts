/**
 * The one table of gradient rules. Its type requires a rule for every primitive in
 * `PrimitiveParams`: adding a primitive without its gradient does not compile.
 */
import { normRules } from './batch-norm.js';
import { convRules } from './conv.js';
import { elementwiseRules } from './elementwise.js';
import { layoutRules } from './layout.js';
import { matmulRules } from './matmul.js';
import { poolRules } from './pool.js';
import { reduceRules } from './reduce.js';
import { softmaxRules } from './softmax.js';
import type { RuleTable } from './types.js';

export const RULES: RuleTable = {
  ...elementwiseRules,
  ...reduceRules,
  ...softmaxRules,
  ...matmulRules,
  ...layoutRules,
  ...convRules,
  ...poolRules,
  ...normRules,
};
