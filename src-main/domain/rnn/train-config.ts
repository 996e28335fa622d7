import { z } from 'zod';
import { UnfoldError } from '../errors';

/** How the word-embedding table is trained (optimizers.ts says what each does); absent: dense. */
export const SPARSE_EMBEDDING_MODES = ['exact', 'lazy'] as const;
export type SparseEmbeddingMode = (typeof SPARSE_EMBEDDING_MODES)[number];
const SparseEmbeddingsSchema = z.enum(SPARSE_EMBEDDING_MODES).optional();

/**
 * TrainConfig as a schema, so a job spec (the job runner's params) can carry it as plain JSON
 * and be validated before a worker starts. Options are in the order a form offers them.
 */
/**
 * The largest learning rate a config takes: SGD on a mean loss trains word language models at 20
 * and above (the word-LM preset's 20; Zaremba's rate 1 on a summed loss is 35 here), while a
 * rate beyond this is a typo.
 */
export const MAX_LEARNING_RATE = 100;
const LearningRateSchema = z.number().positive().max(MAX_LEARNING_RATE);

/** A multistep schedule's epochs: whole numbers from 1, in increasing order. */
export const ScheduleMilestonesSchema = z
  .array(z.number().int().min(1))
  .min(1)
  .refine((epochs) => epochs.every((e, i) => i === 0 || e > (epochs[i - 1] as number)), {
    message: 'milestones must be epochs in increasing order',
  });

export const TrainConfigSchema = z.object({
  epochs: z.number().int().min(1),
  batchSize: z.number().int().min(1),
  optimizer: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('adam'),
      learningRate: LearningRateSchema,
      beta1: z.number().min(0).max(1).optional(),
      beta2: z.number().min(0).max(1).optional(),
      epsilon: z.number().positive().optional(),
      sparseEmbeddings: SparseEmbeddingsSchema,
    }),
    z.object({
      kind: z.literal('rmsprop'),
      learningRate: LearningRateSchema,
      decay: z.number().min(0).max(1).optional(),
      epsilon: z.number().positive().optional(),
      sparseEmbeddings: SparseEmbeddingsSchema,
    }),
    z.object({
      kind: z.literal('sgd'),
      learningRate: LearningRateSchema,
      momentum: z.number().min(0).max(1).optional(),
      nesterov: z.boolean().optional(),
      sparseEmbeddings: SparseEmbeddingsSchema,
    }),
  ]),
  schedule: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('constant') }),
      z.object({
        kind: z.literal('step'),
        everyEpochs: z.number().int().min(1),
        factor: z.number().positive(),
      }),
      z.object({ kind: z.literal('exponential'), decayPerEpoch: z.number().positive() }),
      /**
       * The rate times `factor` after each epoch listed in `milestones` (PyTorch's MultiStepLR):
       * a schedule fixed in advance, e.g. one a plateau schedule found on held-out data, for a run
       * without a dev set.
       */
      z.object({
        kind: z.literal('multistep'),
        milestones: ScheduleMilestonesSchema,
        factor: z.number().positive(),
      }),
      z.object({
        kind: z.literal('plateau'),
        factor: z.number().positive(),
        patience: z.number().int().min(1),
        minLearningRate: z.number().min(0).optional(),
      }),
    ])
    .optional(),
  bptt: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('full') }),
      z.object({ kind: z.literal('truncated'), window: z.number().int().min(1) }),
    ])
    .optional(),
  clipNorm: z.number().positive().optional(),
  clipValue: z.number().positive().optional(),
  /** Per-parameter gradient norms every this many batches (the Train view's gradient flow). */
  gradientReportEvery: z.number().int().min(1).optional(),
  weightDecay: z.number().min(0).optional(),
  /**
   * After each update, output units' incoming weight vectors longer than this (L2) are scaled
   * back to it (Kim 2014 used 3 for his sentence CNN; output-max-norm.ts).
   */
  outputMaxNorm: z.number().positive().optional(),
  /**
   * Polyak averaging (weight-average.ts): an exponential moving average of the weights with
   * this decay per update (0.999 averages over about the last thousand updates); the dev set,
   * the best checkpoint and the trained model get the average. Absent: the weights as trained.
   */
  averageDecay: z.number().gt(0).lt(1).optional(),
  /**
   * Label smoothing of a softmax output's training loss (Szegedy et al. 2016): each target is
   * (1 - s) one-hot + s spread evenly over the classes. Absent or 0: the one-hot alone. Dev
   * scores and evaluation use the plain cross-entropy.
   */
  labelSmoothing: z.number().min(0).max(0.5).optional(),
  earlyStoppingPatience: z.number().int().min(1).optional(),
  monitor: z.enum(['accuracy', 'loss']).optional(),
  bucketing: z.boolean().optional(),
  /**
   * Encoder-decoders only: the probability that a decoder input after `<s>` is the model's own
   * prediction instead of the reference (scheduled sampling, scheduled-sampling.ts); absent or
   * 0: teacher forcing.
   */
  scheduledSampling: z.number().min(0).max(1).optional(),
  seed: z.number().int().optional(),
  checkpointDir: z.string().optional(),
  resume: z.boolean().optional(),
});

export type TrainConfigFromSchema = z.infer<typeof TrainConfigSchema>;

export function parseTrainConfig(value: unknown): TrainConfigFromSchema {
  const result = TrainConfigSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new UnfoldError(
      'BAD_TRAIN_CONFIG',
      `The training config is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'unknown problem'}.`,
    );
  }
  return result.data;
}
