import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NeuralNetwork } from '@smolml/nn';
import { fromOnnx } from '@smolml/onnx';
import { availableDigits, loadMnist } from '../src/data.js';
import { downsample, sparkline, trainingCurvesSvg } from '../src/charts.js';
import { run } from '../src/mnist.js';

const dir = mkdtempSync(join(tmpdir(), 'smolml-mnist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mnist data', () => {
  it('loads disjoint, seeded, one-hot sets of 28x28 images in [0, 1]', () => {
    expect(availableDigits()).toBe(10000);
    const a = loadMnist({ trainSize: 50, testSize: 20, seed: 1 });
    const b = loadMnist({ trainSize: 50, testSize: 20, seed: 1 });
    expect(a.train.X.shape).toEqual([50, 784]);
    expect(a.test.y.shape).toEqual([20, 10]);
    expect(Array.from(a.train.labels.data)).toEqual(Array.from(b.train.labels.data));
    expect(a.train.X.data.every((v) => v >= 0 && v <= 1)).toBe(true);
    for (let i = 0; i < 20; i++) expect(a.test.y.data[i * 10 + a.test.labels.data[i]!]).toBe(1);
    expect(new Set(a.train.labels.data).size).toBe(10);
    expect(() => loadMnist({ trainSize: 9000, testSize: 2000 })).toThrow(/has 10000/);
  });
});

describe('charts', () => {
  it('downsample averages buckets, sparkline scales to 8 levels', () => {
    expect(downsample([1, 3, 5, 7], 2)).toEqual([2, 6]);
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
    const svg = trainingCurvesSvg([2, 1, 0.5, 0.4], { loss: [1.5, 0.45], accuracy: [0.8, 0.9], valAccuracy: [0.85, 0.92] });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(4);
  });
});

describe('mnist example', () => {
  it('a short run on a subset reaches >= 85% test accuracy and saves a reloadable model (JSON and ONNX)', async () => {
    const r = await run({ trainSize: 3000, testSize: 1000, epochs: 2, quiet: true, outDir: dir, onnx: join(dir, 'onnx', 'model.onnx') });
    // the ONNX model holds the weights in float32: the same digits, logits to float32 precision
    const fromFile = fromOnnx(readFileSync(r.files.onnx!));
    const [a, b] = [fromFile.predict(r.test.X), r.net.predict(r.test.X)];
    expect(Array.from(a.argmax(1).data)).toEqual(Array.from(b.argmax(1).data));
    expect(a.data.every((v, i) => Math.abs(v - b.data[i]!) <= 1e-4 * (1 + Math.abs(b.data[i]!)))).toBe(true);
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.85);
    expect(r.history.valAccuracy).toHaveLength(2);
    expect(r.batchLosses).toHaveLength(2 * Math.ceil(2700 / 64));
    expect(existsSync(r.files.svg!)).toBe(true);
    const reloaded = NeuralNetwork.fromJSON(readFileSync(r.files.model!, 'utf8'));
    expect(Array.from(reloaded.predict(r.test.X).data)).toEqual(Array.from(r.net.predict(r.test.X).data));
  });
});

describe('displayPath', () => {
  it('shows paths relative to the folder the command was run from', async () => {
    const { displayPath } = await import('../src/mnist.js');
    expect(displayPath('/repo/examples/mnist/out/m.json', '/repo')).toBe(join('examples', 'mnist', 'out', 'm.json'));
    expect(displayPath('/repo/examples/mnist/out/m.json', '/repo/examples/mnist')).toBe(join('out', 'm.json'));
    expect(displayPath('/repo', '/repo')).toBe('.');
  });
});
