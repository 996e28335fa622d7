import { describe, expect, it } from 'vitest';
import {
  DECODER_ATTENTIONS,
  MAX_BEAM,
  parseExperimentConfig,
  SEQ2SEQ_SCORINGS,
  type Seq2seqConfig,
} from '@api/experiment-config';
// The presets the server offers the form (plain configs, no Node import).
import { g2pLstm, seq2seqGru } from '../../../../src-main/domain/experiments/seq2seq-presets';
import { visibleFields, visibleSections, type FieldContext } from './form-fields';
import { validateForm, type CorpusFacts } from './form-validation';
import { configFromForm, formFromConfig, type TrainForm } from './key-settings';
import { SEQ2SEQ_SETTINGS } from './seq2seq-settings';

const corpus: CorpusFacts = { splits: ['train', 'dev', 'test'], speakers: [], kind: 'text' };
const context: FieldContext = {
  corpora: [{ value: 'cmudict', label: 'cmudict' }],
  tasks: ['seq2seq'],
  splits: corpus.splits,
  speakers: [],
};
const G2P = g2pLstm('cmudict', 'cmudict-g2p');

/** The seq2seq config the form writes for a preset with some fields changed. */
function seq2seqConfig(
  patch: Partial<TrainForm>,
  base: Record<string, unknown> = G2P,
): Seq2seqConfig {
  const form = { ...formFromConfig(base), ...patch };
  expect(validateForm(form, corpus, base).filter((i) => i.severity === 'error')).toEqual([]);
  const config = parseExperimentConfig(configFromForm(form, base));
  if (config.task !== 'seq2seq') throw new Error(`The form wrote a ${config.task} config.`);
  return config;
}

function shown(form: TrainForm): Map<string, ReturnType<typeof visibleFields>[number]> {
  return new Map(
    visibleSections(form)
      .flatMap((s) => visibleFields(s, form, context))
      .map((spec) => [spec.key, spec]),
  );
}

describe('the sequence-to-sequence form', () => {
  it('reads and writes back both presets unchanged', () => {
    for (const preset of [G2P, seq2seqGru('pairs', 'pairs-gru')]) {
      const form = formFromConfig(preset);
      expect(validateForm(form, corpus, preset)).toEqual([]);
      // The form writes the full BPTT a preset leaves to the engine (no bptt is full BPTT).
      const expected = parseExperimentConfig(preset);
      expect(parseExperimentConfig(configFromForm(form, preset))).toEqual({
        ...expected,
        training: { ...expected.training, bptt: { kind: 'full' } },
      });
    }
    expect(formFromConfig(G2P)).toMatchObject({
      task: 'seq2seq',
      cell: 'lstm',
      layers: 2,
      units: 256,
      bidirectional: false,
      sourceEmbeddingSize: 64,
      targetEmbeddingSize: 64,
      decoderAttention: 'none',
      beam: 5,
      lengthNormalization: 1,
      scoring: 'g2p',
      scheduledSampling: 0,
      bptt: 'full',
      optimizer: 'adam',
      learningRate: 0.002,
    });
  });

  it('writes the encoder, attention, decoding, scoring and scheduled sampling the schema accepts', () => {
    for (const decoderAttention of DECODER_ATTENTIONS)
      expect(seq2seqConfig({ decoderAttention }).model.attention).toBe(decoderAttention);
    for (const scoring of SEQ2SEQ_SCORINGS)
      expect(seq2seqConfig({ scoring }).scoring).toBe(scoring);
    const config = seq2seqConfig({
      cell: 'gru',
      layers: 1,
      units: 32,
      bidirectional: true,
      sourceEmbeddingSize: 16,
      targetEmbeddingSize: 24,
      beam: 10,
      lengthNormalization: 0.6,
      scheduledSampling: 0.25,
    });
    expect(config).toMatchObject({
      model: {
        layers: [{ cell: 'gru', units: 32, bidirectional: 'concat' }],
        sourceEmbeddingSize: 16,
        targetEmbeddingSize: 24,
      },
      decoding: { beam: 10, lengthNormalization: 0.6 },
      training: { scheduledSampling: 0.25, bptt: { kind: 'full' } },
    });
    expect(formFromConfig(config)).toMatchObject({ scheduledSampling: 0.25, beam: 10 });
    // 0 is teacher forcing: the key is left out.
    expect(seq2seqConfig({ scheduledSampling: 0 }).training).not.toHaveProperty(
      'scheduledSampling',
    );
  });

  it('names the field of a value the schema refuses', () => {
    const form = formFromConfig(G2P);
    const fieldsOf = (patch: Partial<TrainForm>): string[] =>
      validateForm({ ...form, ...patch }, corpus, G2P).map((issue) => issue.field);
    expect(fieldsOf({ beam: 0 })).toEqual(['beam']);
    expect(fieldsOf({ beam: MAX_BEAM + 1 })).toEqual(['beam']);
    expect(fieldsOf({ lengthNormalization: 3 })).toEqual(['lengthNormalization']);
    expect(fieldsOf({ scheduledSampling: 1.5 })).toEqual(['scheduledSampling']);
    expect(fieldsOf({ sourceEmbeddingSize: 0 })).toEqual(['sourceEmbeddingSize']);
    expect(fieldsOf({ targetEmbeddingSize: NaN })).toEqual(['targetEmbeddingSize']);
    expect(SEQ2SEQ_SETTINGS.fieldAt(['model', 'attention'])).toBe('decoderAttention');
    expect(SEQ2SEQ_SETTINGS.fieldAt(['decoding', 'beam'])).toBe('beam');
    expect(SEQ2SEQ_SETTINGS.fieldAt(['training', 'scheduledSampling'])).toBe('scheduledSampling');
  });

  it("shows its section with the domain's choice lists, full BPTT only and no pooling", () => {
    const form = formFromConfig(G2P);
    expect(visibleSections(form).map((s) => s.title)).toEqual([
      'Data',
      'Sequence to sequence',
      'Architecture',
      'Training',
    ]);
    const fields = shown(form);
    const options = (key: string): string[] => {
      const spec = fields.get(key);
      return spec?.kind === 'select' ? spec.options(context, form).map((o) => o.value) : [];
    };
    expect(options('decoderAttention')).toEqual([...DECODER_ATTENTIONS]);
    expect(options('scoring')).toEqual([...SEQ2SEQ_SCORINGS]);
    expect(fields.get('bptt')?.disabledReason?.(form)).toMatch(/full BPTT only/);
    for (const key of ['beam', 'lengthNormalization', 'scheduledSampling', 'bidirectional'])
      expect(fields.has(key), key).toBe(true);
    for (const key of ['pooling', 'wordEmbeddingSize', 'lmLevel', 'featureKind', 'bpttWindow'])
      expect(fields.has(key), key).toBe(false);
  });

  it('leaves its keys out of the config of another task started from a seq2seq config', () => {
    const sampled = { ...G2P, training: { ...G2P.training, scheduledSampling: 0.3 } };
    const form = { ...formFromConfig(sampled), task: 'pos' as const };
    expect(configFromForm(formFromConfig(sampled), sampled).training).toMatchObject({
      scheduledSampling: 0.3,
    });
    const written = configFromForm(form, sampled);
    expect(written).not.toHaveProperty('decoding');
    expect(written).not.toHaveProperty('scoring');
    expect(written.training).not.toHaveProperty('scheduledSampling');
    expect(parseExperimentConfig(written).task).toBe('pos');
  });
});
