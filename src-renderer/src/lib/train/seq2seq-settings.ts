/**
 * The sequence-to-sequence form's own settings: the source and target embeddings and the
 * decoder's attention (in `model`, beside the encoder stack of the shared architecture fields,
 * which the decoder mirrors), beam search (`decoding`), how outputs are scored (`scoring`), and
 * scheduled sampling (`training.scheduledSampling`, 0 for teacher forcing). Defaults and rules
 * are the config schema's (seq2seq-config.ts, train-config.ts).
 */

import type { z } from 'zod';
import {
  ExperimentTrainingSchema,
  Seq2seqConfigSchema,
  Seq2seqDecodingSchema,
  Seq2seqModelSchema,
  type DecoderAttention,
  type ExperimentConfig,
  type Seq2seqScoring,
} from '@api/experiment-config';
import type { FormField, FormIssue } from './form-validation';
import type { TrainForm } from './key-settings';
import { objectAt, type Json } from './json-object';
import type { TaskSettings } from './task-settings';
import { fieldSchemaIssue } from './word-settings';

export interface Seq2seqForm {
  decoderAttention: DecoderAttention;
  sourceEmbeddingSize: number;
  targetEmbeddingSize: number;
  /** Beam width; 1 is greedy decoding. */
  beam: number;
  /** Alpha of score = log P / length^alpha. */
  lengthNormalization: number;
  scoring: Seq2seqScoring;
  /** The share of decoder inputs taken from the model's own predictions; 0 for teacher forcing. */
  scheduledSampling: number;
}

const DECODING_DEFAULTS = Seq2seqDecodingSchema.parse({});

/** What a config of another task gets when switched to this one (the schema's defaults). */
const SEQ2SEQ_DEFAULTS: Seq2seqForm = {
  decoderAttention: Seq2seqModelSchema.shape.attention.parse(undefined),
  sourceEmbeddingSize: Seq2seqModelSchema.shape.sourceEmbeddingSize.parse(undefined),
  targetEmbeddingSize: Seq2seqModelSchema.shape.targetEmbeddingSize.parse(undefined),
  beam: DECODING_DEFAULTS.beam,
  lengthNormalization: DECODING_DEFAULTS.lengthNormalization,
  scoring: Seq2seqConfigSchema.shape.scoring.parse(undefined),
  scheduledSampling: 0,
};

/** Each numeric field, the schema of its config key, and what the field is called. */
const SCHEMA_CHECKED: readonly [FormField, z.ZodType, string][] = [
  ['sourceEmbeddingSize', Seq2seqModelSchema.shape.sourceEmbeddingSize, 'Source embedding size'],
  ['targetEmbeddingSize', Seq2seqModelSchema.shape.targetEmbeddingSize, 'Target embedding size'],
  ['beam', Seq2seqDecodingSchema.shape.beam, 'Beam width'],
  ['lengthNormalization', Seq2seqDecodingSchema.shape.lengthNormalization, 'Length normalisation'],
  ['scheduledSampling', ExperimentTrainingSchema.shape.scheduledSampling, 'Scheduled sampling'],
];

const MODEL_FIELDS: Readonly<Record<string, FormField>> = {
  attention: 'decoderAttention',
  sourceEmbeddingSize: 'sourceEmbeddingSize',
  targetEmbeddingSize: 'targetEmbeddingSize',
};
const DECODING_FIELDS: Readonly<Record<string, FormField>> = {
  beam: 'beam',
  lengthNormalization: 'lengthNormalization',
};

export const SEQ2SEQ_SETTINGS: TaskSettings<Seq2seqForm> = {
  read: (config: ExperimentConfig): Seq2seqForm =>
    config.task === 'seq2seq'
      ? {
          decoderAttention: config.model.attention,
          sourceEmbeddingSize: config.model.sourceEmbeddingSize,
          targetEmbeddingSize: config.model.targetEmbeddingSize,
          beam: config.decoding.beam,
          lengthNormalization: config.decoding.lengthNormalization,
          scoring: config.scoring,
          scheduledSampling: config.training.scheduledSampling ?? 0,
        }
      : { ...SEQ2SEQ_DEFAULTS },
  configKeys: ['decoding', 'scoring'],
  write: (form: TrainForm, base: Json): Json => ({
    decoding: {
      ...objectAt(base.decoding),
      beam: form.beam,
      lengthNormalization: form.lengthNormalization,
    },
    scoring: form.scoring,
  }),
  model: (form: TrainForm, recurrent: Json): Json => ({
    ...recurrent,
    attention: form.decoderAttention,
    sourceEmbeddingSize: form.sourceEmbeddingSize,
    targetEmbeddingSize: form.targetEmbeddingSize,
  }),
  trainingKeys: ['scheduledSampling'],
  training: (form: TrainForm): Json =>
    form.scheduledSampling > 0 ? { scheduledSampling: form.scheduledSampling } : {},
  validate(form: TrainForm): FormIssue[] {
    return SCHEMA_CHECKED.map(([field, schema, label]) =>
      fieldSchemaIssue(field, schema, form[field], label),
    ).filter((issue) => issue !== null);
  },
  fieldAt(path: readonly PropertyKey[]): FormField | null {
    const [key, inner] = path.map(String);
    if (key === 'scoring') return 'scoring';
    if (key === 'training' && inner === 'scheduledSampling') return 'scheduledSampling';
    if (key === 'model' && inner !== undefined) return MODEL_FIELDS[inner] ?? null;
    if (key === 'decoding' && inner !== undefined) return DECODING_FIELDS[inner] ?? null;
    return null;
  },
};
