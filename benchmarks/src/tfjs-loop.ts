/**
 * TF.js's fastest training path for W1 and W2: a hand-written loop of tf ops with
 * `optimizer.minimize` inside `tf.tidy` (no tf.sequential, no model.fit), as TF.js's own
 * low-level examples train. Same networks, optimizers and data as tfjs.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { XOR, accuracy, loadMnist, type Dataset } from './data.js';
import { type Bench, type WorkloadId, MNIST_BATCH, XOR_EPOCHS, timed } from './workloads.js';

type Act = 'relu' | 'tanh' | 'linear';

/** Glorot-uniform weights and zero biases, as tf.layers.dense creates them. */
function denseParams(sizes: number[]): { w: tf.Variable; b: tf.Variable }[] {
  return sizes.slice(1).map((out, i) => ({
    w: tf.variable(tf.initializers.glorotUniform({}).apply([sizes[i]!, out]) as tf.Tensor2D),
    b: tf.variable(tf.zeros([out])),
  }));
}

function forward(x: tf.Tensor2D, params: { w: tf.Variable; b: tf.Variable }[], acts: Act[]): tf.Tensor2D {
  let h: tf.Tensor2D = x;
  params.forEach(({ w, b }, i) => {
    const z = tf.add(tf.matMul(h, w as tf.Tensor2D), b) as tf.Tensor2D;
    h = acts[i] === 'relu' ? tf.relu(z) : acts[i] === 'tanh' ? tf.tanh(z) : z;
  });
  return h;
}

function f32(d: Dataset): [tf.Tensor2D, tf.Tensor2D] {
  return [tf.tensor2d(Float32Array.from(d.x), [d.rows, d.features]), tf.tensor2d(Float32Array.from(d.y), [d.rows, d.classes])];
}

function release(params: { w: tf.Variable; b: tf.Variable }[], optimizer: tf.Optimizer): void {
  for (const p of params) tf.dispose([p.w, p.b]);
  optimizer.dispose();
}

export async function tfjsLoopBench(workload: WorkloadId, info: Record<string, string | number | boolean>): Promise<Bench> {
  const api = 'hand-written loop: optimizer.minimize in tf.tidy';
  switch (workload) {
    case 'w1-xor': {
      const [x, y] = f32(XOR);
      return {
        info: { ...info, api },
        async rep() {
          const params = denseParams([2, 16, 1]);
          const optimizer = tf.train.adagrad(0.1);
          const loss = () => tf.losses.meanSquaredError(y, forward(x, params, ['relu', 'tanh'])) as tf.Scalar;
          let last = 0;
          const seconds = await timed(() => {
            for (let e = 0; e < XOR_EPOCHS - 1; e++) tf.tidy(() => void optimizer.minimize(loss));
            last = tf.tidy(() => optimizer.minimize(loss, true)!.dataSync()[0]!);
          });
          release(params, optimizer);
          return { seconds, extra: { loss: last } };
        },
      };
    }
    case 'w2-mnist-mlp': {
      const { train, test } = await loadMnist();
      const [x, y] = f32(train);
      const [xTest] = f32(test);
      return {
        info: { ...info, api },
        async rep() {
          const params = denseParams([784, 128, 10]);
          const optimizer = tf.train.adam(1e-3);
          let last = 0;
          const seconds = await timed(() => {
            for (let start = 0; start < train.rows; start += MNIST_BATCH) {
              const rows = Math.min(MNIST_BATCH, train.rows - start);
              const final = start + rows >= train.rows;
              const cost = tf.tidy(() => {
                const xb = x.slice([start, 0], [rows, 784]);
                const yb = y.slice([start, 0], [rows, 10]);
                // softmax + categorical cross-entropy, fused as TF.js recommends for training
                const c = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, forward(xb, params, ['relu', 'linear'])) as tf.Scalar, final);
                return final ? c!.dataSync()[0]! : 0;
              });
              if (final) last = cost;
            }
          });
          const scores = tf.tidy(() => tf.softmax(forward(xTest, params, ['relu', 'linear'])).dataSync());
          release(params, optimizer);
          return { seconds, extra: { loss: last, accuracy: accuracy(scores, test.labels, 10) } };
        },
      };
    }
    default:
      throw new Error(`the TF.js hand-written loop covers W1 and W2, not ${workload}`);
  }
}
