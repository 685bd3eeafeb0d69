/**
 * softplus(z) = log(1 + e^z) and a way to give a composed graph an exactly computed value.
 *
 * core has no log1p/softplus primitive, so the losses on logits compose one:
 * softplus(z) = logsumexp([0, z]), whose gradient (core's logsumexp rule) is the softmax weight
 * e^(z - softplus(z)) = sigmoid(z): exact for every z, 1/2 at z = 0, never overflowing. Its
 * value, though, is max(z, 0) + log(1 + e^-|z|) with 1 + e^-|z| rounded, so tiny results
 * (e^-|z| < 1e-16) are lost: a confidently right logit would get loss 0 instead of e^-|z|.
 * `withExactValue` fixes that: the graph supplies the gradient, a constant (gradient-free) term
 * moves the value to one computed with Math.log1p.
 */
import { MLArray } from '@smolml/core';

const STACK = MLArray.from([0, 1]);

/** log(1 + e^z) elementwise as logsumexp over the pair [0, z]: gradient sigmoid(z), exactly. */
export function softplus(z: MLArray): MLArray {
  return z.reshape([...z.shape, 1]).mul(STACK).logsumexp(-1);
}

/**
 * `graph` with its value replaced by `exact` (same shape): graph + (exact - graph), where the
 * second term is a constant, so the gradient is graph's. Use only when both compute the same
 * function and differ by rounding.
 */
export function withExactValue(graph: MLArray, exact: Float64Array): MLArray {
  const correction = new Float64Array(exact.length);
  for (let i = 0; i < exact.length; i++) correction[i] = exact[i]! - graph.data[i]!;
  return graph.add(new MLArray(correction, graph.shape));
}
