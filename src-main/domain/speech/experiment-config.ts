import { z } from 'zod';
import { UnfoldError } from '../errors';
import { LayerConfigSchema } from '../rnn/model-config';
import { TrainConfigSchema } from '../rnn/train-config';

/** Which utterances of the corpus a role (train, dev, test) uses. */
export const DataSelectionSchema = z.object({
  splits: z.array(z.string().min(1)).min(1),
  /** Only these speakers (leave-one-speaker-out: the held-out speaker for test). */
  speakers: z.array(z.string()).optional(),
  /** Every speaker but these (leave-one-speaker-out: the held-out speaker for train). */
  excludeSpeakers: z.array(z.string()).optional(),
});
export type DataSelection = z.infer<typeof DataSelectionSchema>;

/** Feature settings as FeatureConfigInput (audio/feature-config.ts) plus the normalisation. */
export const SpeechFeaturesSchema = z
  .object({
    kind: z.enum(['spectrogram', 'fbank', 'mfcc']),
    /** Per-utterance CMVN, per-speaker CMVN (statistics pooled over the speaker's utterances in the same role), or none. */
    cmvn: z.enum(['utterance', 'speaker', 'none']).default('utterance'),
  })
  .catchall(z.union([z.number(), z.string(), z.boolean()]));

/**
 * Training-data augmentation (training selection only; dev, test and live audio are never
 * perturbed, so inference is unchanged). Each factor adds one perturbed copy of every training
 * utterance; 1 adds nothing. See audio/augment.ts.
 */
export const AugmentationSchema = z.object({
  /** Kaldi speed perturbation: e.g. [0.9, 1.1] (tempo and every frequency change together). */
  speeds: z.array(z.number().min(0.5).max(2)).default([]),
  /** Frequency warps at the same tempo (VTLP-like): e.g. [0.9, 1.1]. */
  warps: z.array(z.number().min(0.5).max(2)).default([]),
});
export type Augmentation = z.infer<typeof AugmentationSchema>;

/**
 * Everything needed to re-run an experiment, stored as `config.json` in its folder. The model's
 * input and output sizes are not here: they follow from the features and the label set.
 */
export const ExperimentConfigSchema = z.object({
  format: z.literal('unfold-speech-experiment').default('unfold-speech-experiment'),
  version: z.literal(1).default(1),
  name: z.string().min(1),
  task: z.enum(['words', 'phones']),
  /** Corpus name in the data folder, or a path. */
  corpus: z.string().min(1),
  data: z.object({
    train: DataSelectionSchema,
    dev: DataSelectionSchema.nullable().default(null),
    test: DataSelectionSchema,
  }),
  features: SpeechFeaturesSchema,
  model: z.object({
    layers: z.array(LayerConfigSchema).min(1),
    dropout: z.number().min(0).max(0.95).default(0),
    pooling: z.enum(['last', 'mean', 'max']).default('mean'),
    residual: z.boolean().default(false),
  }),
  training: TrainConfigSchema.omit({ checkpointDir: true, resume: true }),
  /** Absent: no augmentation (configs written before it existed mean the same). */
  augmentation: AugmentationSchema.optional(),
  /** Seeds the model initialisation and, unless training.seed is set, shuffling and dropout. */
  seed: z.number().int().default(1),
  /** Words: top-1 probabilities below this are reported as "not sure". */
  rejectThreshold: z.number().min(0).max(1).default(0.5),
  /** Phones: the odd window of the label median filter used for decoding. */
  medianWindow: z.number().int().min(1).default(11),
});

export type ExperimentConfig = z.infer<typeof ExperimentConfigSchema>;
export type ExperimentConfigInput = z.input<typeof ExperimentConfigSchema>;

export function parseExperimentConfig(value: unknown): ExperimentConfig {
  const result = ExperimentConfigSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new UnfoldError(
      'BAD_EXPERIMENT_CONFIG',
      `The experiment config is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'unknown problem'}.`,
    );
  }
  if (result.data.task === 'words' && result.data.training.bptt?.kind === 'truncated') {
    throw new UnfoldError(
      'BAD_EXPERIMENT_CONFIG',
      'Word recognition labels whole utterances: use bptt "full" (truncated BPTT is for the phones task).',
    );
  }
  return result.data;
}
