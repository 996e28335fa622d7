import { describe, expect, it } from 'vitest';
import { presetConfig } from './presets';
import { parseExperimentConfig, unknownConfigFields } from './config/experiment-config';

describe('unknownConfigFields', () => {
  it('names the fields parsing dropped, nested in objects and arrays, and nothing else', () => {
    const input = {
      ...presetConfig('lm-word-lstm', 'ptb', 'lm'),
      epochz: 3,
      model: {
        layers: [
          { cell: 'lstm', units: 8 },
          { cell: 'lstm', units: 8, unitz: 4 },
        ],
        dropout: 0.1,
        tiedEmbeddings: true,
      },
    };
    const parsed = parseExperimentConfig(input);
    expect(unknownConfigFields(input, parsed).sort()).toEqual([
      'epochz',
      'model.layers[1].unitz',
      'model.tiedEmbeddings',
    ]);
  });

  it('finds none in a preset, with every default filled in, or in an undefined field', () => {
    for (const preset of ['pos-bilstm-charcnn', 'lm-word-bilm', 'seq2seq-g2p-lstm'] as const) {
      const input = { ...presetConfig(preset, 'c', 'e'), seed: undefined };
      expect(unknownConfigFields(input, parseExperimentConfig(input))).toEqual([]);
    }
  });
});
