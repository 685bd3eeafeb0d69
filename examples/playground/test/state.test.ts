import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { datasetNames } from '../src/datasets.js';
import { featureNames, orderFeatures } from '../src/features.js';
import { activationNames } from '../src/model/network.js';
import { optimizerNames, regularizationNames } from '../src/model/train.js';
import { MAX_UNITS, type Settings, decodeHash, defaults, encodeHash, parseHidden } from '../src/state.js';

const settingsArb: fc.Arbitrary<Settings> = fc.record({
  dataset: fc.constantFrom(...datasetNames),
  noise: fc.integer({ min: 0, max: 50 }).map((p) => p / 100),
  trainRatio: fc.integer({ min: 10, max: 90 }).map((p) => p / 100),
  dataSeed: fc.integer({ min: 0, max: 1e6 }),
  features: fc.subarray([...featureNames], { minLength: 1 }).map(orderFeatures),
  hidden: fc.array(fc.integer({ min: 1, max: MAX_UNITS }), { maxLength: 6 }),
  activation: fc.constantFrom(...activationNames),
  optimizer: fc.constantFrom(...optimizerNames),
  lr: fc.double({ min: 1e-6, max: 1e4, noNaN: true }),
  reg: fc.constantFrom(...regularizationNames),
  regRate: fc.double({ min: 0, max: 10, noNaN: true }),
  batchSize: fc.integer({ min: 1, max: 50 }),
  seed: fc.integer({ min: 0, max: 1e6 }),
  showTest: fc.boolean(),
  gradientView: fc.boolean(),
  logScale: fc.boolean(),
  tab: fc.constantFrom('network' as const, 'graph' as const),
  expression: fc.string({ maxLength: 200 }),
  variables: fc.dictionary(fc.stringMatching(/^[a-z_]\w{0,5}$/), fc.double({ noNaN: true, noDefaultInfinity: true }), { maxKeys: 4 }),
});

describe('hash state', () => {
  it('every setting survives the trip through the hash exactly', () => {
    fc.assert(
      fc.property(settingsArb, (s) => {
        const { settings, problems } = decodeHash(encodeHash(s));
        expect(problems).toEqual([]);
        // -0 is written as "0": compare numbers by value
        expect(JSON.parse(JSON.stringify(settings))).toEqual(JSON.parse(JSON.stringify(s)));
      }),
      { seed: 13, numRuns: 200 },
    );
  });

  it('an empty hash gives the defaults', () => {
    expect(decodeHash('')).toEqual({ settings: defaults, problems: [] });
    expect(decodeHash('#')).toEqual({ settings: defaults, problems: [] });
  });

  it('reads a hand-written URL, keeping defaults for what is missing', () => {
    const { settings, problems } = decodeHash('#dataset=spiral&hidden-layers=8,8,4&learning-rate=0.01&features=x1sq,x1&show-test=1');
    expect(problems).toEqual([]);
    expect(settings).toEqual({ ...defaults, dataset: 'spiral', hidden: [8, 8, 4], lr: 0.01, features: ['x1', 'x1sq'], showTest: true });
  });

  it('reports invalid and unknown entries and falls back to their defaults', () => {
    const { settings, problems } = decodeHash('#dataset=mnist&noise=80&hidden-layers=4,0&learning-rate=-1&batch-size=2.5&features=x3&colour=red&variables=a:x');
    expect(settings).toEqual(defaults);
    expect(problems).toEqual([
      'unknown setting "colour"',
      'invalid dataset "mnist"',
      'invalid noise "80"',
      'invalid features "x3"',
      'invalid hidden-layers "4,0"',
      'invalid learning-rate "-1"',
      'invalid batch-size "2.5"',
      'invalid variables "a:x"',
    ]);
  });

  it('never lets a hash reach prototypes or throw', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const { settings } = decodeHash(text);
        expect(Object.getPrototypeOf(settings.variables)).toBe(Object.prototype);
      }),
      { seed: 5, numRuns: 300 },
    );
    const { variables } = decodeHash('#variables=__proto__:1,a:2').settings;
    expect(Object.getPrototypeOf(variables)).toBe(Object.prototype);
    expect(Object.entries(variables)).toEqual([['__proto__', 1], ['a', 2]]);
  });
});

describe('parseHidden', () => {
  it('reads sizes separated by commas and/or spaces; empty means no hidden layer', () => {
    expect(parseHidden('4, 2')).toEqual([4, 2]);
    expect(parseHidden(' 8 ,4  2 ')).toEqual([8, 4, 2]);
    expect(parseHidden('')).toEqual([]);
  });

  it.each([
    ['4,', /got ""/],
    ['a', /got "a"/],
    ['0', /from 1 to 12/],
    ['2.5', /got "2.5"/],
    [String(MAX_UNITS + 1), /from 1 to 12/],
    ['1,1,1,1,1,1,1', /at most 6 hidden layers, got 7/],
  ])('rejects %j with a message', (text, message) => {
    expect(parseHidden(text)).toMatch(message);
  });
});
