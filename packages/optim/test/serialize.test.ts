/**
 * toJSON / loadState / optimizerFromJSON: save mid-run, restore into a fresh optimizer (through a
 * real JSON string), continue, and get exactly what an uninterrupted run gives.
 */
import { describe, expect, it } from 'vitest';
import { MLArray, ValueError } from '@smolml/core';
import {
  AdaGrad,
  Adam,
  AdamW,
  RMSProp,
  SGD,
  SGDMomentum,
  cosineDecay,
  exponentialDecay,
  optimizerFromJSON,
  stepDecay,
  type OptimizerJSON,
  type SerializableOptimizer,
} from '../src/index.js';
import { problemParams, setGrads, snapshot } from './helpers.js';

const cases: [string, () => SerializableOptimizer][] = [
  ['SGD', () => new SGD({ lr: 0.1, weightDecay: 0.01 })],
  ['SGDMomentum', () => new SGDMomentum({ lr: 0.1, momentum: 0.8, nesterov: true })],
  ['AdaGrad', () => new AdaGrad({ lr: stepDecay(0.1, 2, 0.5) })],
  ['RMSProp', () => new RMSProp({ lr: exponentialDecay(0.01, 0.9, 2), alpha: 0.95 })],
  ['Adam', () => new Adam({ lr: cosineDecay(0.01, 4, 0.001), beta1: 0.8 })],
  ['AdamW', () => new AdamW({ lr: 0.01, weightDecay: 0.1, eps: 1e-7 })],
];

const clone = (xs: MLArray[]) => xs.map((x) => new MLArray(x.data.slice(), x.shape, true));

describe('state round trip', () => {
  it.each(cases)('%s: save after 2 steps, load, continue 3 steps = uninterrupted run', (type, make) => {
    const params = problemParams();
    const opt = make();
    for (let t = 1; t <= 2; t++) {
      setGrads(params[0], params[1], t);
      opt.step(params);
    }
    const json = opt.toJSON(params);
    expect(json.type).toBe(type);
    const text = JSON.stringify(json);
    const restoredParams = clone(params);
    const viaFromJSON = optimizerFromJSON(JSON.parse(text) as OptimizerJSON, restoredParams);
    expect(viaFromJSON.type).toBe(type);
    expect(JSON.stringify(viaFromJSON.toJSON(restoredParams))).toBe(text);
    const loadedParams = clone(params);
    const viaLoadState = make();
    viaLoadState.loadState(loadedParams, JSON.parse(text) as OptimizerJSON);
    for (let t = 3; t <= 5; t++) {
      for (const ps of [params, restoredParams, loadedParams]) {
        setGrads(ps[0]!, ps[1]!, t);
      }
      opt.step(params);
      viaFromJSON.step(restoredParams);
      viaLoadState.step(loadedParams);
    }
    expect(snapshot(restoredParams)).toEqual(snapshot(params));
    expect(snapshot(loadedParams)).toEqual(snapshot(params));
  });

  it('stores config, per-parameter steps and buffers as plain JSON data', () => {
    const [W, b] = problemParams();
    const opt = new Adam({ lr: 0.01 });
    setGrads(W, b, 1);
    opt.step([W]);
    const json = opt.toJSON([W, b]);
    expect(json.type).toBe('Adam');
    expect(json.config).toEqual({ lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    expect(json.state[1]).toBeNull();
    expect(json.state[0]!.step).toBe(1);
    expect(Object.keys(json.state[0]!.buffers)).toEqual(['m', 'v']);
    expect(json.state[0]!.buffers.m).toHaveLength(6);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('a null entry clears existing state for that parameter', () => {
    const [W, b] = problemParams();
    const opt = new SGDMomentum();
    setGrads(W, b, 1);
    opt.step([W, b]);
    opt.loadState([W, b], { ...opt.toJSON([W, b]), state: [null, opt.toJSON([W, b]).state[1]!] });
    expect(opt.toJSON([W, b]).state[0]).toBeNull();
  });

  it('a custom lr function cannot be saved: toJSON explains why', () => {
    const [W] = problemParams();
    const opt = new SGD({ lr: (s) => 0.1 / (1 + s) });
    expect(() => opt.toJSON([W])).toThrow(ValueError);
    expect(() => opt.toJSON([W])).toThrow(/SGD.toJSON: lr is a custom function, which JSON cannot hold/);
  });
});

describe('malformed state', () => {
  const good = (): { opt: Adam; params: MLArray[]; json: OptimizerJSON } => {
    const params = problemParams();
    const opt = new Adam({ lr: 0.01 });
    setGrads(params[0], params[1], 1);
    opt.step(params);
    return { opt, params, json: opt.toJSON(params) };
  };

  const corruptions: [string, (j: OptimizerJSON) => unknown, RegExp][] = [
    ['null', () => null, /got null/],
    ['another type', (j) => ({ ...j, type: 'SGD' }), /saved by "SGD" \(string\), not Adam/],
    ['state not an array', (j) => ({ ...j, state: {} }), /state is not an array/],
    ['too few entries', (j) => ({ ...j, state: [j.state[0]] }), /holds 1 parameter entries for 2 parameters/],
    ['negative step', (j) => ({ ...j, state: [{ ...j.state[0]!, step: -1 }, j.state[1]] }), /entry 0 has step -1/],
    ['fractional step', (j) => ({ ...j, state: [j.state[0], { ...j.state[1]!, step: 1.5 }] }), /entry 1 has step 1.5/],
    ['missing buffer', (j) => ({ ...j, state: [{ step: 1, buffers: { m: j.state[0]!.buffers.m } }, j.state[1]] }), /has buffers \[m\], expected \[m, v\]/],
    ['extra buffer', (j) => ({ ...j, state: [{ step: 1, buffers: { ...j.state[0]!.buffers, x: [] } }, j.state[1]] }), /expected \[m, v\]/],
    ['short buffer', (j) => ({ ...j, state: [j.state[0], { step: 1, buffers: { m: [0], v: [0, 0] } }] }), /buffer 'm' of entry 1 must be an array of 2 numbers/],
    ['string in buffer', (j) => ({ ...j, state: [j.state[0], { step: 1, buffers: { m: ['0', 0], v: [0, 0] } }] }), /buffer 'm' of entry 1 holds "0" \(string\) at index 0; expected a number, "Infinity", "-Infinity" or "NaN"/],
    ['null in buffer (JSON NaN)', (j) => ({ ...j, state: [j.state[0], { step: 1, buffers: { m: [0, 0], v: [null, 0] } }] }), /buffer 'v' of entry 1 holds null at index 0/],
  ];

  it.each(corruptions)('%s: throws ValueError and leaves the optimizer unchanged', (_n, corrupt, msg) => {
    const { opt, params, json } = good();
    const other = good();
    const bad = corrupt(JSON.parse(JSON.stringify(json)) as OptimizerJSON) as OptimizerJSON;
    expect(() => opt.loadState(params, bad)).toThrow(ValueError);
    expect(() => opt.loadState(params, bad)).toThrow(msg);
    expect(opt.toJSON(params)).toEqual(json);
    // and it continues exactly like an optimizer that never saw the bad input
    setGrads(params[0]!, params[1]!, 2);
    setGrads(other.params[0]!, other.params[1]!, 2);
    opt.step(params);
    other.opt.step(other.params);
    expect(snapshot(params)).toEqual(snapshot(other.params));
  });

  it.each([
    ['unknown type', { type: 'Lion', config: {}, state: [] }, /unknown optimizer type "Lion" \(string\); known: SGD, SGDMomentum, AdaGrad, RMSProp, Adam, AdamW/],
    ['prototype key', { type: 'toString', config: {}, state: [] }, /unknown optimizer type/],
    ["type 'constructor'", { type: 'constructor', config: {}, state: [] }, /unknown optimizer type "constructor" \(string\); known: SGD, SGDMomentum, AdaGrad, RMSProp, Adam, AdamW/],
    ["type '__proto__'", JSON.parse('{"type": "__proto__", "config": {}, "state": []}') as object, /unknown optimizer type "__proto__" \(string\); known: SGD, /],
    ['misspelt type', { type: 'adamw', config: {}, state: [] }, /unknown optimizer type "adamw" \(string\); did you mean 'AdamW'\?; known: /],
    ['type not a string', { type: ['Adam'], config: {}, state: [] }, /unknown optimizer type \["Adam"\] \(array\); known: /],
    ['null hyperparameter', { type: 'Adam', config: { lr: 0.001, beta1: null, beta2: 0.999, eps: 1e-8 }, state: [] }, /optimizerFromJSON: Adam config has beta1 = null; expected the output of toJSON\(params\)/],
    ['null lr', { type: 'SGD', config: { lr: null, weightDecay: 0 }, state: [] }, /optimizerFromJSON: SGD config has lr = null/],
    ['null boolean', { type: 'SGDMomentum', config: { lr: 0.1, momentum: 0.9, nesterov: null }, state: [] }, /SGDMomentum config has nesterov = null/],
    ['config not an object', { type: 'SGD', config: null, state: [] }, /SGD config must be an object, got null/],
    ['unknown config key', { type: 'SGD', config: { lr: 0.1, momentum: 0.9 }, state: [] }, /SGD: unknown option 'momentum'.*is an option of SGDMomentum/],
    ['bad lr', { type: 'Adam', config: { lr: -1 }, state: [] }, /Adam: lr/],
    ['bad schedule', { type: 'Adam', config: { lr: { type: 'warmup' } }, state: [] }, /scheduleFromJSON/],
    ['missing hyperparameters', { type: 'Adam', config: { lr: 0.01 }, state: [] }, /optimizerFromJSON: Adam config lacks beta1, beta2, eps/],
    ['bad state', { type: 'SGD', config: { lr: 0.1, weightDecay: 0 }, state: [{ step: 1, buffers: { v: [] } }] }, /SGD.loadState: malformed state/],
  ])('optimizerFromJSON: %s throws ValueError', (_n, json, msg) => {
    const [W] = problemParams();
    const params = (json as { state: unknown[] }).state.length === 0 ? [] : [W];
    expect(() => optimizerFromJSON(json as unknown as OptimizerJSON, params)).toThrow(ValueError);
    expect(() => optimizerFromJSON(json as unknown as OptimizerJSON, params)).toThrow(msg);
  });
});

describe('shapes in the saved state', () => {
  const trained = (): { opt: Adam; params: MLArray[]; json: OptimizerJSON } => {
    const params = problemParams(); // W (3, 2), b (1, 2)
    const opt = new Adam({ lr: 0.01 });
    setGrads(params[0], params[1], 1);
    opt.step(params);
    return { opt, params, json: JSON.parse(JSON.stringify(opt.toJSON(params))) as OptimizerJSON };
  };

  it('each state entry records its parameter\'s shape', () => {
    const { json } = trained();
    expect(json.state.map((e) => e!.shape)).toEqual([[3, 2], [1, 2]]);
  });

  it('refuses a state saved for another shape of the same size, through loadState and optimizerFromJSON', () => {
    const { json } = trained();
    const [W, b] = problemParams();
    const Wt = new MLArray(W.data.slice(), [2, 3], true); // same 6 elements, transposed shape
    const fresh = new Adam({ lr: 0.01 });
    const msg = 'Adam.loadState: malformed state: entry 0 was saved for shape [3, 2] (array), but parameter 0 has shape (2, 3); expected the output of Adam.toJSON(params)';
    expect(() => fresh.loadState([Wt, b], json)).toThrow(ValueError);
    expect(() => fresh.loadState([Wt, b], json)).toThrow(msg);
    expect(fresh.toJSON([Wt, b]).state).toEqual([null, null]);
    expect(() => optimizerFromJSON(json, [Wt, b])).toThrow(msg);
    const flat = new MLArray(b.data.slice(), [2], true); // (1, 2) vs (2,)
    expect(() => optimizerFromJSON(json, [W, flat])).toThrow(/entry 1 was saved for shape \[1, 2\] \(array\), but parameter 1 has shape \(2,\)/);
  });

  it.each([
    ['a number', 6],
    ['an object', { 0: 3, 1: 2 }],
    ['strings', ['3', '2']],
  ])('refuses a shape that is %s', (_n, shape) => {
    const { json, params } = trained();
    (json.state[0] as { shape: unknown }).shape = shape;
    expect(() => new Adam().loadState(params, json)).toThrow(/entry 0 was saved for shape .*, but parameter 0 has shape \(3, 2\)/);
  });

  it('still loads a state saved without shapes (the earlier format) when the sizes match', () => {
    const { opt, params, json } = trained();
    for (const e of json.state) delete e!.shape;
    const copy = params.map((p) => new MLArray(p.data.slice(), p.shape, true));
    const restored = optimizerFromJSON(json, copy);
    for (const ps of [params, copy]) setGrads(ps[0]!, ps[1]!, 2);
    opt.step(params);
    restored.step(copy);
    expect(snapshot(copy)).toEqual(snapshot(params));
    // without a shape only the size is checked
    const wrongSize = [MLArray.zeros([2, 2], { requiresGrad: true }), copy[1]!];
    expect(() => new Adam().loadState(wrongSize, json)).toThrow(/buffer 'm' of entry 0 must be an array of 4 numbers/);
  });
});
