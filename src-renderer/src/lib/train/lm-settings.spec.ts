import { describe, expect, it } from 'vitest';
import {
  KN_MAX_ORDER,
  LM_DIRECTIONS,
  LM_LEVELS,
  LM_TOKENIZERS,
  parseExperimentConfig,
  type LmConfig,
} from '@api/experiment-config';
// The presets the server offers the form (plain configs, no Node import).
import {
  lmCharLstm,
  lmWordBilm,
  lmWordLstm,
} from '../../../../src-main/domain/experiments/lm-presets';
import { applyChange } from './form-changes';
import { visibleFields, visibleSections, type FieldContext } from './form-fields';
import { hasErrors, validateForm, type CorpusFacts } from './form-validation';
import { configFromForm, formFromConfig, type TrainForm } from './key-settings';
import { bidirectionalLmNote, LM_SETTINGS } from './lm-settings';
import { SAMPLE_POS_CONFIG } from './sample-configs';

const corpus: CorpusFacts = { splits: ['train', 'dev', 'test'], speakers: [], kind: 'text' };
const context: FieldContext = {
  corpora: [{ value: 'ptb', label: 'ptb' }],
  tasks: ['lm'],
  splits: corpus.splits,
  speakers: [],
};
const WORD_PRESET = lmWordLstm('ptb', 'ptb-lm-word-lstm');
const BILM_PRESET = lmWordBilm('ptb', 'ptb-lm-word-bilm');

/** The language-model config the form writes for a preset with some fields changed. */
function lmConfig(
  patch: Partial<TrainForm>,
  base: Record<string, unknown> = WORD_PRESET,
): LmConfig {
  const form = { ...formFromConfig(base), ...patch };
  expect(validateForm(form, corpus, base)).toEqual([]);
  const config = parseExperimentConfig(configFromForm(form, base));
  if (config.task !== 'lm') throw new Error(`The form wrote a ${config.task} config.`);
  return config;
}

function shownKeys(form: TrainForm): string[] {
  return visibleSections(form).flatMap((s) => visibleFields(s, form, context).map((f) => f.key));
}

describe('the language-model form', () => {
  it('reads and writes back both presets unchanged', () => {
    for (const preset of [WORD_PRESET, lmCharLstm('ptb', 'ptb-lm-char-lstm'), BILM_PRESET]) {
      const form = formFromConfig(preset);
      expect(validateForm(form, corpus, preset)).toEqual([]);
      expect(parseExperimentConfig(configFromForm(form, preset))).toEqual(
        parseExperimentConfig(preset),
      );
    }
    expect(formFromConfig(WORD_PRESET)).toMatchObject({
      task: 'lm',
      lmLevel: 'word',
      lmTokenizer: 'text',
      tiedEmbeddings: false,
      kneserNeyOrder: 5,
      wordEmbeddingSize: 200,
      minCount: 2,
      wordDropout: 0,
      cell: 'lstm',
      layers: 2,
      units: 200,
      bptt: 'truncated',
      bpttWindow: 35,
      optimizer: 'sgd',
      learningRate: 20,
      schedule: 'plateau',
      scheduleFactor: 0.5,
      scheduleEpochs: 1,
      clipNorm: 0.25,
      batchSize: 20,
      epochs: 13,
    });
  });

  it('writes the level, tokenizer, tied embeddings and baseline the schema accepts', () => {
    for (const lmLevel of LM_LEVELS) expect(lmConfig({ lmLevel }).level).toBe(lmLevel);
    for (const lmTokenizer of LM_TOKENIZERS)
      expect(lmConfig({ lmTokenizer }).words.tokenizer).toBe(lmTokenizer);
    const tied = lmConfig({ tiedEmbeddings: true, wordEmbeddingSize: 64, units: 64, layers: 1 });
    expect(tied).toMatchObject({
      tiedEmbeddings: true,
      words: { embeddingSize: 64 },
      model: { layers: [{ cell: 'lstm', units: 64 }] },
    });
    expect(lmConfig({ kneserNeyOrder: 0 }).baseline).toBeNull();
    expect(lmConfig({ kneserNeyOrder: 3 }).baseline).toEqual({ order: 3 });
    const adam = lmConfig({ optimizer: 'adam', learningRate: 0.002, schedule: 'constant' });
    expect(adam.training).toMatchObject({ optimizer: { kind: 'adam', learningRate: 0.002 } });
    expect(adam.training.schedule).toBeUndefined();
    expect(lmConfig({ bpttWindow: 20, dropout: 0.5, clipNorm: 0 }).training).toMatchObject({
      bptt: { kind: 'truncated', window: 20 },
    });
    expect(formFromConfig(lmConfig({ kneserNeyOrder: 0 })).kneserNeyOrder).toBe(0);
  });

  it('names the field of what the schema refuses: a baseline order, tied sizes that differ', () => {
    const form = formFromConfig(WORD_PRESET);
    for (const kneserNeyOrder of [1, KN_MAX_ORDER + 1]) {
      const issues = validateForm({ ...form, kneserNeyOrder }, corpus, WORD_PRESET);
      expect(issues.map((i) => i.field)).toEqual(['kneserNeyOrder']);
    }
    // Tied embeddings read the top layer through the table: 200 units, 100-dim embeddings.
    const tied = { ...form, tiedEmbeddings: true, wordEmbeddingSize: 100 };
    const issues = validateForm(tied, corpus, WORD_PRESET);
    expect(hasErrors(issues)).toBe(true);
    expect(issues.map((i) => i.field)).toEqual(['wordEmbeddingSize']);
    expect(issues[0]?.message).toMatch(/tied embeddings/);
    expect(LM_SETTINGS.fieldAt(['words', 'tokenizer'])).toBe('lmTokenizer');
    expect(LM_SETTINGS.fieldAt(['baseline', 'order'])).toBe('kneserNeyOrder');
    expect(LM_SETTINGS.fieldAt(['level'])).toBe('lmLevel');
  });

  it('shows its own section and the word fields a language model has, and no others', () => {
    const form = formFromConfig(WORD_PRESET);
    expect(visibleSections(form).map((s) => s.title)).toEqual([
      'Data',
      'Language model',
      'Words',
      'Architecture',
      'Training',
    ]);
    const shown = shownKeys(form);
    for (const key of ['lmLevel', 'lmTokenizer', 'tiedEmbeddings', 'kneserNeyOrder'])
      expect(shown).toContain(key);
    for (const key of ['wordEmbeddingSize', 'minCount', 'wordDropout', 'bpttWindow'])
      expect(shown).toContain(key);
    for (const key of ['caseFeatures', 'charCnn', 'pretrainedFile', 'tagSet', 'pooling', 'beam'])
      expect(shown).not.toContain(key);
    // Characters need no tokenizer.
    expect(shownKeys({ ...form, lmLevel: 'char' })).not.toContain('lmTokenizer');
  });

  it("switched to from a tagger, writes a language model's config and none of the tagger's keys", () => {
    const tagger = formFromConfig(SAMPLE_POS_CONFIG);
    const form = applyChange({ ...tagger, bidirectional: true }, 'task', 'lm');
    expect(form).toMatchObject({ bptt: 'truncated', bidirectional: false });
    expect(validateForm(form, corpus, SAMPLE_POS_CONFIG)).toEqual([]);
    const written = configFromForm(form, SAMPLE_POS_CONFIG);
    expect(written).not.toHaveProperty('tagSet');
    const config = parseExperimentConfig(written);
    // The tagger's characters, case features and vectors are not a language model's.
    expect(config).toMatchObject({
      task: 'lm',
      words: { chars: null, caseFeatures: false, pretrained: null },
    });
  });

  it('reads the biLM preset as bidirectional with its characters, and shows what that asks', () => {
    const form = formFromConfig(BILM_PRESET);
    expect(form).toMatchObject({
      lmDirection: 'bidirectional',
      charCnn: true,
      charFilters: 50,
      wordEmbeddingSize: 78,
      units: 128,
      layers: 2,
    });
    const shown = shownKeys(form);
    for (const key of ['lmDirection', 'charCnn', 'charEmbeddingSize', 'charFilters', 'charWidth'])
      expect(shown).toContain(key);
    for (const key of ['caseFeatures', 'pretrainedFile', 'contextualEmbeddings'])
      expect(shown).not.toContain(key);
    // Everything it asks is set: the note states the rule with the form's figures.
    const note = bidirectionalLmNote(form);
    expect(note).toContain('78 + 50 = 128');
    expect(note).not.toContain('Still to set');
    const section = visibleSections(form).find((s) => s.title === 'Language model');
    expect(section?.note?.(form, context)).toBe(note);
    // A forward LM has no note, no characters per word, and the schema's direction choices.
    const forward = formFromConfig(WORD_PRESET);
    expect(bidirectionalLmNote(forward)).toBeNull();
    expect(shownKeys(forward)).toContain('lmDirection');
    expect(shownKeys({ ...forward, charCnn: true })).not.toContain('charFilters');
    const direction = section?.fields.find((f) => f.key === 'lmDirection');
    if (direction?.kind !== 'select') throw new Error('no direction select');
    expect(direction.options(context, form).map((o) => o.value)).toEqual([...LM_DIRECTIONS]);
  });

  it('switched to bidirectional, names what is missing until the schema accepts it', () => {
    const forward = formFromConfig(WORD_PRESET);
    const switched: TrainForm = { ...forward, lmDirection: 'bidirectional' };
    expect(bidirectionalLmNote(switched)).toMatch(/Still to set: Character CNN on\.$/);
    const issues = validateForm(switched, corpus, WORD_PRESET);
    expect(issues.map((i) => i.field)).toEqual(['charCnn']);
    // Characters on (the form's 50 filters): the layers must be 200 + 50 wide.
    const withChars = { ...switched, charCnn: true };
    expect(bidirectionalLmNote(withChars)).toMatch(/Still to set: Units 250\.$/);
    expect(validateForm(withChars, corpus, WORD_PRESET).map((i) => i.field)).toEqual(['units']);
    expect(bidirectionalLmNote({ ...withChars, tiedEmbeddings: true, lmLevel: 'char' })).toMatch(
      /Still to set: level Words, Tied embeddings off, Units 250\.$/,
    );
    const config = lmConfig({ lmDirection: 'bidirectional', charCnn: true, units: 250 });
    expect(config.model.direction).toBe('bidirectional');
    expect(config.words.chars).toMatchObject({ filters: 50 });
    expect(config.model.layers.map((l) => l.units)).toEqual([250, 250]);
    // Back to forward: no direction key, no characters.
    const back = configFromForm(
      { ...formFromConfig(BILM_PRESET), lmDirection: 'forward' },
      BILM_PRESET,
    );
    expect(back.model).not.toHaveProperty('direction');
    expect(parseExperimentConfig(back)).toMatchObject({
      model: { direction: 'forward' },
      words: { chars: null },
    });
    expect(configFromForm(forward, WORD_PRESET).model).not.toHaveProperty('direction');
    expect(LM_SETTINGS.fieldAt(['model', 'direction'])).toBe('lmDirection');
  });
});
