import { describe, expect, it } from 'vitest';
import {
  parseExperimentConfig,
  SentenceCnnSchema,
  SentenceRecurrentSchema,
} from '@api/experiment-config';
import { CLASSIFICATION_SETTINGS } from './classification-settings';
import { parseNumberList } from './number-list';
import { keepUnsetFields } from './form-changes';
import { visibleFields, visibleSections, type FieldContext } from './form-fields';
import { validateForm, type CorpusFacts } from './form-validation';
import { configFromForm, formFromConfig, type TrainForm } from './key-settings';
import { modelKinds, poolingChoices } from './model-choices';
import { SAMPLE_POS_CONFIG, SAMPLE_SENTIMENT_CONFIG } from './sample-configs';

const CNN_CONFIG = {
  ...SAMPLE_SENTIMENT_CONFIG,
  words: { embeddingSize: 300 },
  model: { kind: 'cnn', widths: [2, 3], filters: 64, dropout: 0.4 },
};

function shownKeys(form: TrainForm): string[] {
  return visibleSections(form).flatMap((s) => visibleFields(s, form, context).map((f) => f.key));
}

const corpus: CorpusFacts = { splits: ['train', 'dev', 'test'], speakers: [] };
const context: FieldContext = {
  corpora: [{ value: 'mr', label: 'mr' }],
  tasks: ['sentiment'],
  splits: corpus.splits,
  speakers: [],
};

describe('the classification form', () => {
  it('reads the words, the recurrent encoder and its pooling of a sentiment config', () => {
    expect(formFromConfig(SAMPLE_SENTIMENT_CONFIG)).toMatchObject({
      task: 'sentiment',
      wordEmbeddingSize: 100,
      lowercase: true,
      caseFeatures: false,
      charCnn: false,
      cell: 'lstm',
      layers: 1,
      units: 128,
      bidirectional: true,
      pooling: 'max',
      dropout: 0.5,
      epochs: 15,
      patience: 3,
    });
  });

  it('writes words and model back, and no key of another form', () => {
    const config = configFromForm(formFromConfig(SAMPLE_SENTIMENT_CONFIG), SAMPLE_SENTIMENT_CONFIG);
    const parsed = parseExperimentConfig(config);
    expect(parsed).toMatchObject({
      task: 'sentiment',
      words: SAMPLE_SENTIMENT_CONFIG.words,
      model: SAMPLE_SENTIMENT_CONFIG.model,
      training: SAMPLE_SENTIMENT_CONFIG.training,
    });
    expect(config).not.toHaveProperty('tagSet');
    expect(config).not.toHaveProperty('features');
    // A tagger's form turned into a classifier drops the tag set and keeps its words.
    const fromTagger = configFromForm(
      { ...formFromConfig(SAMPLE_POS_CONFIG), task: 'sentiment' },
      SAMPLE_POS_CONFIG,
    );
    expect(fromTagger).not.toHaveProperty('tagSet');
    expect(parseExperimentConfig(fromTagger).task).toBe('sentiment');
  });

  it("writes every pooling of the schema's list, and a config the schema accepts", () => {
    const form = formFromConfig(SAMPLE_SENTIMENT_CONFIG);
    const schemaPoolings = SentenceRecurrentSchema.shape.pooling.unwrap().options;
    expect(poolingChoices('sentiment')).toEqual([...schemaPoolings]);
    for (const pooling of poolingChoices('sentiment') as TrainForm['pooling'][]) {
      const config = configFromForm({ ...form, pooling }, SAMPLE_SENTIMENT_CONFIG);
      expect(parseExperimentConfig(config).model).toMatchObject({ pooling });
    }
    expect(validateForm(form, corpus, SAMPLE_SENTIMENT_CONFIG)).toEqual([]);
    expect(
      validateForm({ ...form, minCount: 0 }, corpus, SAMPLE_SENTIMENT_CONFIG).map((i) => i.field),
    ).toEqual(['minCount']);
  });

  it('shows the words without the tag set, pooling, and no truncated BPTT', () => {
    const form = formFromConfig(SAMPLE_SENTIMENT_CONFIG);
    const sections = visibleSections(form);
    expect(sections.map((s) => s.title)).toEqual(['Data', 'Words', 'Architecture', 'Training']);
    const keys = sections.flatMap((s) => visibleFields(s, form, context).map((f) => f.key));
    expect(keys).toContain('wordEmbeddingSize');
    expect(keys).toContain('pooling');
    expect(keys).not.toContain('tagSet');
    expect(keys).not.toContain('featureKind');
    expect(keys).not.toContain('bpttWindow');
    const bptt = sections
      .flatMap((s) => s.fields)
      .find((f) => f.key === 'bptt')
      ?.disabledReason?.(form);
    expect(bptt).toMatch(/sentence/);
  });

  it("offers the schema's encoders and reads a CNN config", () => {
    const kinds = [
      SentenceRecurrentSchema.shape.kind.unwrap().value,
      SentenceCnnSchema.shape.kind.value,
    ];
    expect(modelKinds('sentiment')).toEqual(kinds);
    expect(modelKinds('pos')).toEqual(['']);
    expect(formFromConfig(CNN_CONFIG)).toMatchObject({
      encoder: 'cnn',
      cnnWidths: '2, 3',
      cnnFilters: 64,
      dropout: 0.4,
      wordEmbeddingSize: 300,
    });
    // A recurrent config offers Kim's CNN (the schema's defaults) when the encoder is switched.
    const cnnDefaults = SentenceCnnSchema.parse({ kind: 'cnn' });
    expect(formFromConfig(SAMPLE_SENTIMENT_CONFIG)).toMatchObject({
      encoder: 'recurrent',
      cnnWidths: cnnDefaults.widths.join(', '),
      cnnFilters: cnnDefaults.filters,
    });
  });

  it('writes the CNN with no recurrent keys, and the recurrent stack with no CNN keys', () => {
    const cnnForm = formFromConfig(CNN_CONFIG);
    const cnn = configFromForm({ ...cnnForm, cnnWidths: '3 4,5', cnnFilters: 10 }, CNN_CONFIG);
    expect(cnn.model).toEqual({ kind: 'cnn', widths: [3, 4, 5], filters: 10, dropout: 0.4 });
    expect(parseExperimentConfig(cnn).model).toEqual(cnn.model);
    // Switched to the recurrent encoder: the stack of the shared fields, nothing of the CNN's.
    const withStack = keepUnsetFields(cnnForm, formFromConfig(SAMPLE_SENTIMENT_CONFIG));
    const back = configFromForm({ ...withStack, encoder: 'recurrent' }, CNN_CONFIG);
    expect(back.model).toEqual({
      kind: 'recurrent',
      layers: [{ cell: 'lstm', units: 128, bidirectional: 'concat' }],
      dropout: 0.4,
      pooling: 'max',
    });
    expect(parseExperimentConfig(back).model).toMatchObject({ kind: 'recurrent' });
    // And a recurrent config switched to the CNN carries none of its recurrent keys.
    const switched = configFromForm(
      { ...formFromConfig(SAMPLE_SENTIMENT_CONFIG), encoder: 'cnn' },
      SAMPLE_SENTIMENT_CONFIG,
    );
    expect(Object.keys(switched.model as object).sort()).toEqual([
      'dropout',
      'filters',
      'kind',
      'widths',
    ]);
  });

  it("keeps the other model's fields when a preset of one model replaces a form of the other", () => {
    const edited = { ...formFromConfig(SAMPLE_SENTIMENT_CONFIG), units: 48, layers: 2 };
    const cnn = keepUnsetFields(formFromConfig(CNN_CONFIG), edited);
    expect(cnn).toMatchObject({
      encoder: 'cnn',
      units: 48,
      layers: 2,
      cell: 'lstm',
      cnnFilters: 64,
    });
    const again = keepUnsetFields(formFromConfig(SAMPLE_SENTIMENT_CONFIG), cnn);
    expect(again).toMatchObject({ encoder: 'recurrent', units: 128, cnnWidths: '2, 3' });
    // Another task's form keeps nothing.
    const fromTagger = keepUnsetFields(
      formFromConfig(CNN_CONFIG),
      formFromConfig(SAMPLE_POS_CONFIG),
    );
    expect(fromTagger.units).toBe(formFromConfig(CNN_CONFIG).units);
  });

  it("shows the CNN's fields for the CNN and the recurrent ones for the RNN", () => {
    const cnn = shownKeys(formFromConfig(CNN_CONFIG));
    expect(cnn).toEqual(expect.arrayContaining(['encoder', 'cnnWidths', 'cnnFilters', 'dropout']));
    for (const key of ['cell', 'layers', 'units', 'bidirectional', 'pooling'])
      expect(cnn).not.toContain(key);
    const rnn = shownKeys(formFromConfig(SAMPLE_SENTIMENT_CONFIG));
    expect(rnn).toEqual(expect.arrayContaining(['encoder', 'cell', 'units', 'pooling']));
    expect(rnn).not.toContain('cnnWidths');
  });

  it("checks the CNN's widths and filters with the schema's rules, only for the CNN", () => {
    const form = formFromConfig(CNN_CONFIG);
    const errors = (patch: Partial<TrainForm>): string[] =>
      validateForm({ ...form, ...patch }, corpus, CNN_CONFIG)
        .filter((i) => i.severity === 'error')
        .map((i) => i.field);
    expect(errors({})).toEqual([]);
    expect(errors({ cnnWidths: '3, x' })).toEqual(['cnnWidths']);
    expect(errors({ cnnWidths: '' })).toEqual(['cnnWidths']);
    expect(errors({ cnnWidths: '0, 3' })).toEqual(['cnnWidths']);
    expect(errors({ cnnWidths: '2.5' })).toEqual(['cnnWidths']);
    expect(errors({ cnnFilters: 0 })).toEqual(['cnnFilters']);
    expect(errors({ cnnFilters: NaN })).toEqual(['cnnFilters']);
    expect(errors({ encoder: 'recurrent', cnnWidths: 'x', cnnFilters: 0 })).toEqual([]);
    expect(parseNumberList(' 3,4  5 ')).toEqual([3, 4, 5]);
    expect(CLASSIFICATION_SETTINGS.fieldAt(['model', 'widths', 0])).toBe('cnnWidths');
    expect(CLASSIFICATION_SETTINGS.fieldAt(['model', 'kind'])).toBe('encoder');
    expect(CLASSIFICATION_SETTINGS.fieldAt(['words', 'minCount'])).toBe('minCount');
  });
});
