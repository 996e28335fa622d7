import { describe, expect, it } from 'vitest';
import type { ExperimentPreset } from '@api/experiments';
import { parseExperimentConfig, SentenceCnnSchema } from '@api/experiment-config';
import { freeName, otherModelPreset, withOtherModel } from './other-model';
import { SAMPLE_POS_CONFIG, SAMPLE_SENTIMENT_CONFIG } from './sample-configs';

const CNN_MODEL = { kind: 'cnn', widths: [3, 4, 5], filters: 100, dropout: 0.5 };
const PRESETS: ExperimentPreset[] = [
  { name: 'pos-bilstm-charcnn', task: 'pos', config: SAMPLE_POS_CONFIG },
  { name: 'sentiment-bilstm-max', task: 'sentiment', config: SAMPLE_SENTIMENT_CONFIG },
  {
    name: 'sentiment-kim-cnn',
    task: 'sentiment',
    config: { ...SAMPLE_SENTIMENT_CONFIG, words: { embeddingSize: 300 }, model: CNN_MODEL },
  },
];

describe('the other model', () => {
  it("finds the task's preset of the other kind, both ways", () => {
    expect(otherModelPreset(SAMPLE_SENTIMENT_CONFIG, PRESETS)?.name).toBe('sentiment-kim-cnn');
    const cnn = { ...SAMPLE_SENTIMENT_CONFIG, model: CNN_MODEL };
    expect(otherModelPreset(cnn, PRESETS)?.name).toBe('sentiment-bilstm-max');
    // A model without `kind` is the schema's default (recurrent).
    const { model: _model, ...rest } = SAMPLE_SENTIMENT_CONFIG;
    const unkinded = { ...rest, model: { layers: [{ cell: 'gru', units: 8 }] } };
    expect(otherModelPreset(unkinded, PRESETS)?.name).toBe('sentiment-kim-cnn');
    // A task with one kind of model has no other.
    expect(otherModelPreset(SAMPLE_POS_CONFIG, PRESETS)).toBeNull();
    expect(otherModelPreset(SAMPLE_SENTIMENT_CONFIG, PRESETS.slice(0, 2))).toBeNull();
  });

  it('keeps the split, words and training, takes the other model and a free name', () => {
    const preset = otherModelPreset(SAMPLE_SENTIMENT_CONFIG, PRESETS)!;
    const twin = withOtherModel(SAMPLE_SENTIMENT_CONFIG, preset, new Set(['reviews-cnn']));
    expect(twin.name).toBe('reviews-cnn-2');
    expect(twin.model).toEqual(CNN_MODEL);
    const parsed = parseExperimentConfig(twin);
    expect(parsed).toMatchObject({
      task: 'sentiment',
      data: SAMPLE_SENTIMENT_CONFIG.data,
      words: SAMPLE_SENTIMENT_CONFIG.words,
      training: SAMPLE_SENTIMENT_CONFIG.training,
      model: SentenceCnnSchema.parse(CNN_MODEL),
    });
  });

  it('names a copy that is not taken', () => {
    expect(freeName('a', new Set())).toBe('a');
    expect(freeName('a', new Set(['a', 'a-2']))).toBe('a-3');
  });
});
