import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '@api/experiment-config';
import type { ExperimentListItem } from '@api/experiments';
import { CLASSIFICATION_SETTINGS } from './classification-settings';
import { contextualEmbeddingChoices, trainedBidirectionalLms } from './contextual-settings';
import { FORM_SECTIONS, visibleFields, visibleSections, type FieldContext } from './form-fields';
import { validateForm, type CorpusFacts } from './form-validation';
import { configFromForm, formFromConfig, type TrainForm } from './key-settings';
import { SAMPLE_POS_CONFIG, SAMPLE_SENTIMENT_CONFIG } from './sample-configs';
import { TAGGING_SETTINGS } from './tagging-settings';

const corpus: CorpusFacts = { splits: ['train', 'dev', 'test'], speakers: [], kind: 'text' };
const context: FieldContext = {
  corpora: [{ value: 'ewt', label: 'ewt' }],
  tasks: ['pos', 'sentiment', 'lm'],
  splits: corpus.splits,
  speakers: [],
  bilms: ['ewt-bilm'],
};

type Listed = Pick<ExperimentListItem, 'name' | 'status' | 'bidirectionalLm'>;
const listed = (name: string, status: Listed['status'], bidirectionalLm?: boolean): Listed => ({
  name,
  status,
  ...(bidirectionalLm === undefined ? {} : { bidirectionalLm }),
});

const picker = visibleSections(formFromConfig(SAMPLE_POS_CONFIG))
  .flatMap((s) => s.fields)
  .find((f) => f.key === 'contextualEmbeddings');

function shownKeys(form: TrainForm): string[] {
  return visibleSections(form).flatMap((s) => visibleFields(s, form, context).map((f) => f.key));
}

function optionValues(form: TrainForm, bilms: readonly string[]): string[] {
  if (picker?.kind !== 'select') throw new Error('no contextual-embeddings select');
  return picker.options({ ...context, bilms }, form).map((o) => o.value);
}

describe('contextual embeddings from a biLM (tagging and classification forms)', () => {
  it('offers the trained bidirectional LMs of the list, by name, and keeps the form’s own choice', () => {
    const experiments = [
      listed('z-bilm', 'done', true),
      listed('a-bilm', 'done', true),
      listed('running-bilm', 'training', true),
      listed('forward-lm', 'done', false),
      listed('tagger', 'done'),
    ];
    expect(trainedBidirectionalLms(experiments)).toEqual(['a-bilm', 'z-bilm']);
    expect(trainedBidirectionalLms([])).toEqual([]);
    expect(contextualEmbeddingChoices(['a-bilm'], '')).toEqual(['a-bilm']);
    expect(contextualEmbeddingChoices(['a-bilm'], 'a-bilm')).toEqual(['a-bilm']);
    expect(contextualEmbeddingChoices(['a-bilm'], 'gone-bilm')).toEqual(['a-bilm', 'gone-bilm']);

    const tagger = formFromConfig(SAMPLE_POS_CONFIG);
    expect(optionValues(tagger, ['a-bilm'])).toEqual(['', 'a-bilm']);
    expect(optionValues({ ...tagger, contextualEmbeddings: 'gone' }, [])).toEqual(['', 'gone']);
  });

  it('is a field of the tagging and classification forms only', () => {
    expect(shownKeys(formFromConfig(SAMPLE_POS_CONFIG))).toContain('contextualEmbeddings');
    expect(shownKeys(formFromConfig(SAMPLE_SENTIMENT_CONFIG))).toContain('contextualEmbeddings');
    const lm = { ...formFromConfig(SAMPLE_POS_CONFIG), task: 'lm' as const };
    expect(shownKeys(lm)).not.toContain('contextualEmbeddings');
    expect(
      FORM_SECTIONS.flatMap((s) => s.fields).filter((f) => f.key === 'contextualEmbeddings'),
    ).toHaveLength(1);
  });

  it("writes a tagger's model.contextualEmbeddings, reads it back, and drops it for none", () => {
    const form = { ...formFromConfig(SAMPLE_POS_CONFIG), contextualEmbeddings: 'ewt-bilm' };
    expect(validateForm(form, corpus, SAMPLE_POS_CONFIG)).toEqual([]);
    const config = parseExperimentConfig(configFromForm(form, SAMPLE_POS_CONFIG));
    if (config.task !== 'pos') throw new Error(`The form wrote a ${config.task} config.`);
    expect(config.model.contextualEmbeddings).toEqual({ experiment: 'ewt-bilm' });
    expect(config.model.layers.length).toBe(form.layers);
    const read = formFromConfig(config);
    expect(read.contextualEmbeddings).toBe('ewt-bilm');
    // None: the key is left out, even when the config the form started from had one.
    const none = configFromForm({ ...read, contextualEmbeddings: '' }, config);
    expect(none.model).not.toHaveProperty('contextualEmbeddings');
    expect(formFromConfig(SAMPLE_POS_CONFIG).contextualEmbeddings).toBe('');
  });

  it('writes it for both sentence encoders (recurrent and CNN)', () => {
    const recurrent = { ...formFromConfig(SAMPLE_SENTIMENT_CONFIG), contextualEmbeddings: 'b' };
    for (const encoder of ['recurrent', 'cnn'] as const) {
      const form = { ...recurrent, encoder };
      const config = parseExperimentConfig(configFromForm(form, SAMPLE_SENTIMENT_CONFIG));
      if (config.task !== 'sentiment') throw new Error(`wrote a ${config.task} config`);
      expect(config.model.kind).toBe(encoder);
      expect(config.model.contextualEmbeddings).toEqual({ experiment: 'b' });
      expect(formFromConfig(config).contextualEmbeddings).toBe('b');
    }
  });

  it('names the picker for what the schema says of its config path; a blank name is none', () => {
    const path = ['model', 'contextualEmbeddings', 'experiment'];
    expect(TAGGING_SETTINGS.fieldAt(path)).toBe('contextualEmbeddings');
    expect(CLASSIFICATION_SETTINGS.fieldAt(path)).toBe('contextualEmbeddings');
    // A blank name is none.
    const form = { ...formFromConfig(SAMPLE_POS_CONFIG), contextualEmbeddings: ' ' };
    expect(configFromForm(form, SAMPLE_POS_CONFIG).model).not.toHaveProperty(
      'contextualEmbeddings',
    );
  });
});
