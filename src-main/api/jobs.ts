import { z } from 'zod';
import { MAX_FOLDS } from '../domain/experiments/config/common-config';
import type { GradientReport } from '../domain/rnn/gradient-report';
export type { GradientReport, ParameterGradientNorm } from '../domain/rnn/gradient-report';
import type { ApiErrorData } from './errors';
import { CorpusNameSchema, ExperimentNameSchema, DataPathSchema } from './names';
import {
  CorpusExportParamsSchema,
  CorpusImportParamsSchema,
  CorpusSynthSentencesParamsSchema,
  CorpusSynthWordsParamsSchema,
  CorpusValidateParamsSchema,
  type CorpusCreatedResult,
  type CorpusExportedResult,
  type CorpusValidatedResult,
} from './corpus';

export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const SelftestParamsSchema = z.object({
  /** Training steps of the small model; large values make a job long enough to cancel. */
  steps: z.number().int().min(1).max(1_000_000).default(60),
  units: z.number().int().min(1).max(512).default(32),
  timeSteps: z.number().int().min(1).max(500).default(20),
  batch: z.number().int().min(1).max(256).default(16),
  seed: z.number().int().min(0).default(1),
});
export type SelftestParams = z.output<typeof SelftestParamsSchema>;

export interface SelftestResult {
  backend: string;
  steps: number;
  stepsPerSecond: number;
  firstLoss: number;
  lastLoss: number;
}

/**
 * Training an experiment of any task (the task is inside the config). The config's own schema
 * (api/experiment-config.ts) is checked by the job, which fails with the first bad field named;
 * here only the names that decide where it reads and writes are.
 */
export const ExperimentTrainParamsSchema = z.object({
  config: z.looseObject({
    /** The experiment's folder in `<data>/experiments/`. */
    name: ExperimentNameSchema,
    /** A corpus of the data folder: a client cannot train on (or write next to) other folders. */
    corpus: CorpusNameSchema,
    /** Text tasks: a word-vector file must be a file of the data folder too (resolved in main). */
    words: z
      .looseObject({ pretrained: z.looseObject({ file: DataPathSchema }).nullable().optional() })
      .optional(),
    /** Tagger and classifier: the biLM of their contextual embeddings is an experiment of the data folder. */
    model: z
      .looseObject({
        contextualEmbeddings: z
          .looseObject({ experiment: ExperimentNameSchema })
          .nullable()
          .optional(),
      })
      .optional(),
  }),
  /** Continue from the experiment's last checkpoint. */
  resume: z.boolean().default(false),
});

/**
 * k-fold cross-validation of a config as one job: `<name>` holds the summary, each fold is an
 * experiment `<name>-fold-<k>` beside it. Resuming keeps the folds that finished.
 */
export const ExperimentCrossValidateParamsSchema = ExperimentTrainParamsSchema.extend({
  folds: z.number().int().min(2).max(MAX_FOLDS),
});

export const ExperimentEvaluateParamsSchema = z.object({
  experiment: ExperimentNameSchema,
  corpus: CorpusNameSchema.optional(),
  split: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/, 'a split name such as dev or test')
    .optional(),
});

export interface ExperimentTrainResult {
  dir: string;
  epochs: number;
  bestEpoch: number | null;
  /** The headline figure of the test evaluation (the task's: e.g. accuracy, frame accuracy). */
  testMetric: number | null;
}

export interface ExperimentCrossValidateResult {
  /** The cross-validation's folder (its plan and summary). */
  dir: string;
  folds: number;
  /** The folds' experiments, in fold order. */
  experiments: string[];
  /** Per figure of the folds' test evaluations: the mean over folds. */
  mean: Record<string, number>;
  /** Sample standard deviation (n - 1) over folds. */
  sd: Record<string, number | null>;
}

export interface ExperimentEvaluateResult {
  dir: string;
  /** The corpus evaluated on when it is not the experiment's own (null), and the split. */
  corpus: string | null;
  split: string;
  metric: number | null;
}

/** A biLM's index of the tokens of a split of a text corpus (the polysemy view's neighbours). */
export const LmTokenIndexParamsSchema = z.object({
  experiment: ExperimentNameSchema,
  corpus: CorpusNameSchema,
  split: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/, 'a split name such as train'),
});

export interface LmTokenIndexResult {
  dir: string;
  corpus: string;
  split: string;
  tokens: number;
  sentencesLeftOut: number;
}

/** Every kind of job, with its parameters; later capabilities add kinds here. */
export const JobSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('selftest'), params: SelftestParamsSchema.prefault({}) }),
  z.object({ kind: z.literal('corpus-import'), params: CorpusImportParamsSchema }),
  z.object({ kind: z.literal('corpus-synth-words'), params: CorpusSynthWordsParamsSchema }),
  z.object({
    kind: z.literal('corpus-synth-sentences'),
    params: CorpusSynthSentencesParamsSchema,
  }),
  z.object({ kind: z.literal('corpus-validate'), params: CorpusValidateParamsSchema }),
  z.object({ kind: z.literal('corpus-export'), params: CorpusExportParamsSchema }),
  z.object({ kind: z.literal('experiment-train'), params: ExperimentTrainParamsSchema }),
  z.object({ kind: z.literal('experiment-evaluate'), params: ExperimentEvaluateParamsSchema }),
  z.object({
    kind: z.literal('experiment-cross-validate'),
    params: ExperimentCrossValidateParamsSchema,
  }),
  z.object({ kind: z.literal('lm-token-index'), params: LmTokenIndexParamsSchema }),
]);
export type JobSpecInput = z.input<typeof JobSpecSchema>;
export type JobSpec = z.output<typeof JobSpecSchema>;
export type JobKind = JobSpec['kind'];

export interface JobResults {
  selftest: SelftestResult;
  'corpus-import': CorpusCreatedResult;
  'corpus-synth-words': CorpusCreatedResult;
  'corpus-synth-sentences': CorpusCreatedResult;
  'corpus-validate': CorpusValidatedResult;
  'corpus-export': CorpusExportedResult;
  'experiment-train': ExperimentTrainResult;
  'experiment-evaluate': ExperimentEvaluateResult;
  'experiment-cross-validate': ExperimentCrossValidateResult;
  'lm-token-index': LmTokenIndexResult;
}

export interface JobProgressData {
  /** 0..1, or null while the total is unknown. */
  fraction: number | null;
  message?: string;
  metrics?: Record<string, number>;
  /** Training jobs: the latest batch's gradient norms, per parameter every N batches. */
  gradients?: GradientReport;
}

/** What a job works on, for views that follow the jobs of one experiment or corpus. */
export interface JobSubject {
  kind: 'experiment' | 'corpus';
  name: string;
}

export interface JobInfo {
  id: string;
  kind: JobKind;
  title: string;
  /** What the job works on (domain/jobs/job-description.ts), null for a job on neither (the self-test). */
  subject: JobSubject | null;
  state: JobState;
  progress: JobProgressData;
  createdAt: string;
  startedAt?: string;
  endedAt?: string;
  error?: ApiErrorData;
  result?: JobResults[JobKind];
}
