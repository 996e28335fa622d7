import { describe, expect, it } from 'vitest';
import { configDiff, countDifferences, flattenConfig } from './config-diff';
import { configFromForm, formFromConfig } from './key-settings';
import { SAMPLE_WORDS_CONFIG } from './sample-configs';

const a = {
  seed: 1,
  model: { layers: [{ cell: 'lstm', units: 64 }], pooling: 'mean' },
  data: { dev: null, test: { splits: ['test'] } },
};
const b = {
  seed: 2,
  model: {
    layers: [
      { cell: 'lstm', units: 64 },
      { cell: 'lstm', units: 64 },
    ],
    pooling: 'mean',
  },
  data: { dev: { splits: ['dev'] }, test: { splits: ['test'] } },
};

describe('flattenConfig', () => {
  it('lists leaves by dotted path, array items by index', () => {
    expect([...flattenConfig(a)]).toEqual([
      ['seed', '1'],
      ['model.layers.0.cell', '"lstm"'],
      ['model.layers.0.units', '64'],
      ['model.pooling', '"mean"'],
      ['data.dev', 'null'],
      ['data.test.splits.0', '"test"'],
    ]);
  });
});

describe('configDiff', () => {
  it('lists every key once and marks the differing ones', () => {
    const rows = configDiff(a, b);
    expect(rows.filter((r) => r.differs)).toEqual([
      { path: 'seed', a: '1', b: '2', differs: true },
      { path: 'data.dev', a: 'null', b: null, differs: true },
      { path: 'model.layers.1.cell', a: null, b: '"lstm"', differs: true },
      { path: 'model.layers.1.units', a: null, b: '64', differs: true },
      { path: 'data.dev.splits.0', a: null, b: '"dev"', differs: true },
    ]);
    expect(rows.find((r) => r.path === 'model.pooling')).toEqual({
      path: 'model.pooling',
      a: '"mean"',
      b: '"mean"',
      differs: false,
    });
    expect(countDifferences(rows)).toBe(5);
  });

  it('shows augmentation factors the forms wrote, and a run without any as missing', () => {
    const run = SAMPLE_WORDS_CONFIG;
    const plain = configFromForm(formFromConfig(run), run);
    const augmented = configFromForm(
      { ...formFromConfig(run), speeds: '0.9, 1.1', warps: '' },
      run,
    );
    const differing = configDiff(plain, augmented).filter((r) => r.differs);
    expect(differing).toEqual([
      { path: 'augmentation.speeds.0', a: null, b: '0.9', differs: true },
      { path: 'augmentation.speeds.1', a: null, b: '1.1', differs: true },
      { path: 'augmentation.warps', a: null, b: '[]', differs: true },
    ]);
  });

  it('finds nothing between equal configs', () => {
    expect(countDifferences(configDiff(a, structuredClone(a)))).toBe(0);
  });
});
