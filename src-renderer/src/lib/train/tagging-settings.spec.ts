import { describe, expect, it } from 'vitest';
import { ExperimentConfigSchema, TAG_SETS, parseExperimentConfig } from '@api/experiment-config';
import { configFromForm, formFromConfig, type TrainForm } from './key-settings';
import { SAMPLE_POS_CONFIG, SAMPLE_WORDS_CONFIG } from './sample-configs';
import { schemaIssue, validateForm, type CorpusFacts } from './form-validation';
import { TAGGING_SETTINGS } from './tagging-settings';

const tagger = {
  ...SAMPLE_POS_CONFIG,
  tagSet: 'xpos',
  words: {
    lowercase: true,
    minCount: 2,
    maxVocabulary: 20_000,
    wordDropout: 0.5,
    embeddingSize: 50,
    pretrained: { file: 'vectors/glove.50d.txt', freeze: true },
    caseFeatures: false,
    caseEmbeddingSize: 4,
    chars: null,
  },
};
const corpus: CorpusFacts = { splits: ['train', 'dev', 'test'], speakers: [] };

function errorFields(patch: Partial<TrainForm>): string[] {
  return validateForm({ ...formFromConfig(SAMPLE_POS_CONFIG), ...patch }, corpus, SAMPLE_POS_CONFIG)
    .filter((issue) => issue.severity === 'error')
    .map((issue) => issue.field);
}

describe('the tagging form', () => {
  it("reads the tag set and word settings of a tagger, the schema's defaults where it has none", () => {
    expect(formFromConfig(tagger)).toMatchObject({
      task: 'pos',
      tagSet: 'xpos',
      lowercase: true,
      minCount: 2,
      wordDropout: 0.5,
      wordEmbeddingSize: 50,
      caseFeatures: false,
      pretrainedFile: 'vectors/glove.50d.txt',
      freezePretrained: true,
      // No character CNN: the sizes it would get when switched on are the schema's.
      charCnn: false,
      charEmbeddingSize: 30,
      charFilters: 50,
      charWidth: 3,
      layers: 2,
      units: 128,
      bidirectional: true,
      dropout: 0.33,
    });
    expect(formFromConfig(SAMPLE_POS_CONFIG)).toMatchObject({
      tagSet: 'upos',
      wordEmbeddingSize: 100,
      charCnn: true,
      caseFeatures: true,
      pretrainedFile: '',
    });
  });

  it('writes tagSet and words back, keeping the words settings it does not edit', () => {
    const config = configFromForm(formFromConfig(tagger), tagger);
    expect(config.tagSet).toBe('xpos');
    expect(config.words).toEqual(tagger.words);
    expect(config).not.toHaveProperty('features');
    expect(config).not.toHaveProperty('augmentation');
    expect(config.model).not.toHaveProperty('pooling');
    expect(parseExperimentConfig(config)).toMatchObject({ task: 'pos', words: tagger.words });
  });

  it('writes the character CNN and pre-trained vectors only when chosen', () => {
    const form = formFromConfig(tagger);
    const on = configFromForm(
      { ...form, charCnn: true, charFilters: 20, charWidth: 5, pretrainedFile: '  ' },
      tagger,
    );
    expect(on.words).toMatchObject({
      chars: { embeddingSize: 30, filters: 20, width: 5 },
      pretrained: null,
    });
    const off = configFromForm({ ...form, charCnn: false }, SAMPLE_POS_CONFIG);
    expect((off.words as Record<string, unknown>).chars).toBeNull();
    for (const tagSet of TAG_SETS)
      expect(formFromConfig(configFromForm({ ...form, tagSet }, tagger)).tagSet).toBe(tagSet);
  });

  it('turns a speech form into a tagger config without its speech keys, and back', () => {
    const speech = formFromConfig(SAMPLE_WORDS_CONFIG);
    const asTagger = configFromForm({ ...speech, task: 'pos' }, SAMPLE_WORDS_CONFIG);
    expect(asTagger).not.toHaveProperty('features');
    expect(ExperimentConfigSchema.safeParse(asTagger).success).toBe(true);
    // Back to words: the form kept the speech settings it was given; the tagger's keys go.
    const back = configFromForm({ ...formFromConfig(asTagger), ...speech }, asTagger);
    expect(back).toMatchObject({ task: 'words', features: { kind: 'mfcc' } });
    expect(back).not.toHaveProperty('words');
    expect(back).not.toHaveProperty('tagSet');
    expect(ExperimentConfigSchema.safeParse(back).success).toBe(true);
  });

  it("checks each word setting with the schema's own rule, the CNN's only when it is on", () => {
    expect(errorFields({})).toEqual([]);
    expect(errorFields({ minCount: 0 })).toEqual(['minCount']);
    expect(errorFields({ wordEmbeddingSize: 2.5 })).toEqual(['wordEmbeddingSize']);
    expect(errorFields({ wordDropout: -1 })).toEqual(['wordDropout']);
    expect(errorFields({ charWidth: 12 })).toEqual(['charWidth']);
    expect(errorFields({ charWidth: 12, charFilters: NaN, charCnn: false })).toEqual([]);
    const [issue] = validateForm(
      { ...formFromConfig(SAMPLE_POS_CONFIG), charFilters: NaN },
      corpus,
    );
    expect(issue).toEqual({
      field: 'charFilters',
      message: 'Character filters: enter a number.',
      severity: 'error',
    });
    expect(
      validateForm({ ...formFromConfig(SAMPLE_POS_CONFIG), minCount: 0 }, corpus)[0]?.message,
    ).toMatch(/^Min count: .*1/);
  });

  it('takes a vectors file only as a path in the data folder', () => {
    expect(errorFields({ pretrainedFile: 'vectors/glove.txt' })).toEqual([]);
    expect(errorFields({ pretrainedFile: '../glove.txt' })).toEqual(['pretrainedFile']);
  });

  it('names what the schema refuses on the field that edits it', () => {
    const form = formFromConfig(SAMPLE_POS_CONFIG);
    const issue = schemaIssue({ ...form, tagSet: 'ptb' as TrainForm['tagSet'] }, SAMPLE_POS_CONFIG);
    expect(issue).toMatchObject({ field: 'tagSet', severity: 'error' });
    expect(issue?.message).toMatch(/invalid at tagSet/);
    expect(schemaIssue(form, SAMPLE_POS_CONFIG)).toBeNull();
    // A carried key the form has no field for: named on the name, which is always shown.
    const badBase = { ...SAMPLE_POS_CONFIG, words: { maxVocabulary: 0 } };
    expect(schemaIssue(form, badBase)).toMatchObject({ field: 'name' });
    expect(schemaIssue(form, badBase)?.message).toMatch(/words\.maxVocabulary/);
  });

  it('maps config paths of its keys to its fields', () => {
    expect(TAGGING_SETTINGS.fieldAt(['words', 'chars', 'width'])).toBe('charWidth');
    expect(TAGGING_SETTINGS.fieldAt(['words', 'chars'])).toBe('charCnn');
    expect(TAGGING_SETTINGS.fieldAt(['words', 'pretrained', 'file'])).toBe('pretrainedFile');
    expect(TAGGING_SETTINGS.fieldAt(['words', 'pretrained', 'freeze'])).toBe('freezePretrained');
    expect(TAGGING_SETTINGS.fieldAt(['words', 'minCount'])).toBe('minCount');
    expect(TAGGING_SETTINGS.fieldAt(['words', 'maxVocabulary'])).toBeNull();
    expect(TAGGING_SETTINGS.fieldAt(['features', 'kind'])).toBeNull();
  });
});
