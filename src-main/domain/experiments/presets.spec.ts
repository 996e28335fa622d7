import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from './config/experiment-config';
import {
  defaultPresetFor,
  PRESET_NAMES,
  presetConfig,
  presetNamed,
  presetTask,
  SENTIMENT_MODEL_PRESETS,
} from './presets';

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

  it("the Kim CNN preset is Kim's CNN-rand in the BiLSTM's harness: widths 3/4/5 x 100, dropout 0.5, 300-dim words, batches of 50", () => {
    const cnn = parseExperimentConfig(presetConfig('sentiment-kim-cnn', 'mr', 'n'));
    const rnn = parseExperimentConfig(presetConfig('sentiment-bilstm-max', 'mr', 'n'));
    if (cnn.task !== 'sentiment' || rnn.task !== 'sentiment') throw new Error('sentiment presets');
    expect(cnn.model).toEqual({ kind: 'cnn', widths: [3, 4, 5], filters: 100, dropout: 0.5 });
    expect(rnn.model.kind).toBe('recurrent');
    // Word vectors: Kim's 300 dimensions; each preset keeps the start that did best for it.
    expect(cnn.words).toEqual({ ...rnn.words, embeddingSize: 300, embeddingInitRange: 0.05 });
    expect(rnn.words.embeddingInitRange).toBe(0.25);
    expect(cnn.training.batchSize).toBe(50);
    expect(cnn.data).toEqual(rnn.data);
  });

  it('maps each --model choice of the sentiment task to a sentiment preset', () => {
    expect(SENTIMENT_MODEL_PRESETS).toEqual({
      rnn: 'sentiment-bilstm-max',
      cnn: 'sentiment-kim-cnn',
    });
    for (const preset of Object.values(SENTIMENT_MODEL_PRESETS))
      expect(presetTask(preset)).toBe('sentiment');
    expect(defaultPresetFor('sentiment')).toBe(SENTIMENT_MODEL_PRESETS.rnn);
  });
});
