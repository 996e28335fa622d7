/**
 * The speech tasks' configs: isolated words (an encoder: one label per utterance) and
 * per-frame phone probabilities (a transducer: one label per 10 ms frame). No Node import.
 */
import { z } from 'zod';
import { FEATURE_KINDS } from '../../audio/feature-choices';
import { commonConfigFields } from './common-config';
import { RecurrentStackSchema } from './model-choices';

export {
  DEFAULT_NUM_CEPS,
  FEATURE_KIND_DEFAULTS,
  FEATURE_KINDS,
} from '../../audio/feature-choices';
export type { FeatureKind } from '../../audio/feature-choices';

/** Per-utterance CMVN, per-speaker CMVN (statistics pooled over the speaker's utterances in the same role), or none. */
export const CMVN_CHOICES = ['utterance', 'speaker', 'none'] as const;
export type Cmvn = (typeof CMVN_CHOICES)[number];
export const DEFAULT_CMVN: Cmvn = 'utterance';

/** Feature settings as FeatureConfigInput (audio/feature-config.ts) plus the normalisation. */
export const SpeechFeaturesSchema = z
  .object({
    kind: z.enum(FEATURE_KINDS),
    cmvn: z.enum(CMVN_CHOICES).default(DEFAULT_CMVN),
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

const speechFields = {
  ...commonConfigFields,
  features: SpeechFeaturesSchema,
  model: RecurrentStackSchema,
  /** Absent: no augmentation (configs written before it existed mean the same). */
  augmentation: AugmentationSchema.optional(),
};

export const DEFAULT_REJECT_THRESHOLD = 0.5;
export const DEFAULT_MEDIAN_WINDOW = 11;
/** Truncated BPTT window (frames) a form offers first. */
export const DEFAULT_BPTT_WINDOW = 100;

export const WordsConfigSchema = z
  .object({
    ...speechFields,
    task: z.literal('words'),
    /** Top-1 probabilities below this are reported as "not sure". */
    rejectThreshold: z.number().min(0).max(1).default(DEFAULT_REJECT_THRESHOLD),
  })
  .refine((config) => config.training.bptt?.kind !== 'truncated', {
    path: ['training', 'bptt'],
    message:
      'word recognition labels whole utterances: use bptt "full" (truncated BPTT is for the phones task)',
  });

export const PhonesConfigSchema = z.object({
  ...speechFields,
  task: z.literal('phones'),
  /** The odd window of the label median filter used for decoding. */
  medianWindow: z.number().int().min(1).default(DEFAULT_MEDIAN_WINDOW),
});

export type WordsConfig = z.infer<typeof WordsConfigSchema>;
export type PhonesConfig = z.infer<typeof PhonesConfigSchema>;
export type SpeechConfig = WordsConfig | PhonesConfig;

/** Either speech task's config (what reads audio through a model: the recogniser, live). */
export const SpeechConfigSchema = z.discriminatedUnion('task', [
  WordsConfigSchema,
  PhonesConfigSchema,
]);
export const SPEECH_TASKS = SpeechConfigSchema.options.map((option) => option.shape.task.value);
