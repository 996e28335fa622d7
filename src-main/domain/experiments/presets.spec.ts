import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from './config/experiment-config';
import { defaultPresetFor, PRESET_NAMES, presetConfig, presetNamed } from './presets';

describe('presets', () => {
  it('each builds a valid config for the corpus and name given, of the task its name says', () => {
    for (const preset of PRESET_NAMES) {
      const config = parseExperimentConfig(presetConfig(preset, 'yesno', `yesno-${preset}`));
      expect(config).toMatchObject({ corpus: 'yesno', name: `yesno-${preset}` });
      expect(preset, `${preset} names its task`).toContain(config.task);
    }
  });

  it('the new-speakers preset is the small words model with per-speaker CMVN and speeds', () => {
    const small = presetConfig('small-words-lstm', 'c', 'n');
    const newSpeakers = presetConfig('words-new-speakers', 'c', 'n');
    expect(small.model).toEqual({
      layers: [{ cell: 'lstm', units: 64, bidirectional: 'concat' }],
      pooling: 'mean',
      dropout: 0.2,
    });
    expect(newSpeakers).toEqual({
      ...small,
      features: { kind: 'mfcc', cmvn: 'speaker' },
      augmentation: { speeds: [0.9, 1.1] },
    });
  });

  it('finds a preset by its name or its former name, and nothing else', () => {
    expect(presetNamed('phones-2x256-lstm')).toBe('phones-2x256-lstm');
    expect(presetNamed('digits-small-lstm')).toBe('small-words-lstm');
    expect(presetNamed('digits-new-speakers')).toBe('words-new-speakers');
    expect(presetNamed('digits')).toBeNull();
    expect(presetNamed('constructor')).toBeNull();
  });

  it('defaults to a preset of the task asked for', () => {
    expect(defaultPresetFor('words')).toBe('small-words-lstm');
    expect(defaultPresetFor('phones')).toBe('phones-2x256-lstm');
  });
});
