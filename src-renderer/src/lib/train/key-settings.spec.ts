import { describe, expect, it } from 'vitest';
import { applyKeySettings, configDifferences, readKeySettings } from './key-settings';

const words = {
  name: 'p',
  task: 'words',
  model: { layers: [{ cell: 'lstm', units: 64, bidirectional: 'concat' }], pooling: 'mean' },
  training: { epochs: 15, batchSize: 16, optimizer: { kind: 'adam', learningRate: 0.003 } },
  seed: 1,
};

describe('key settings', () => {
  it('reads a preset and writes the edited settings back', () => {
    const settings = readKeySettings(words);
    expect(settings).toMatchObject({ cell: 'lstm', layers: 1, units: 64, bidirectional: true });
    const next = applyKeySettings(words, {
      ...settings,
      name: 'tiny',
      cell: 'gru',
      layers: 2,
      units: 8,
      bidirectional: false,
      epochs: 3,
      learningRate: 0.01,
    });
    expect(next.name).toBe('tiny');
    expect(next.model).toEqual({
      layers: [
        { cell: 'gru', units: 8 },
        { cell: 'gru', units: 8 },
      ],
      pooling: 'mean',
    });
    expect(next.training).toEqual({
      epochs: 3,
      batchSize: 16,
      optimizer: { kind: 'adam', learningRate: 0.01 },
    });
  });

  it('sets truncated BPTT only for phone models', () => {
    const phones = { ...words, task: 'phones' };
    const s = { ...readKeySettings(phones), bpttWindow: 50 };
    expect(applyKeySettings(phones, s).training).toMatchObject({
      bptt: { kind: 'truncated', window: 50 },
    });
    expect(applyKeySettings(words, s).training).not.toHaveProperty('bptt');
  });

  it('lists the differences between two configs by path', () => {
    expect(
      configDifferences(words, { ...words, seed: 2, training: { ...words.training, epochs: 3 } }),
    ).toEqual([
      { path: 'seed', a: '1', b: '2' },
      { path: 'training.epochs', a: '15', b: '3' },
    ]);
  });
});
