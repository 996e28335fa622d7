/**
 * What every experiment config has, whatever its task: the name, the corpus, which of its
 * splits train, tune and test the model, the training settings and the seed. No Node import:
 * the renderer's Train form reads these schemas and choice lists too.
 */
import { z } from 'zod';
import { TrainConfigSchema } from '../../rnn/train-config';

/** config.json's `format`: what tells an experiment folder from any other folder. */
export const EXPERIMENT_FORMAT = 'unfold-experiment';
/** The format speech experiments were written with before the text tasks arrived; still read. */
export const LEGACY_EXPERIMENT_FORMAT = 'unfold-speech-experiment';
export const EXPERIMENT_CONFIG_VERSION = 1;

/** Whether a parsed config.json's `format` says "an Unfold experiment". */
export function isExperimentFormat(format: unknown): boolean {
  return format === EXPERIMENT_FORMAT || format === LEGACY_EXPERIMENT_FORMAT;
}

/** Which items of the corpus a role (train, dev, test) uses. */
export const DataSelectionSchema = z.object({
  splits: z.array(z.string().min(1)).min(1),
  /** Only these speakers (leave-one-speaker-out: the held-out speaker for test). */
  speakers: z.array(z.string()).optional(),
  /** Every speaker but these (leave-one-speaker-out: the held-out speaker for train). */
  excludeSpeakers: z.array(z.string()).optional(),
});
export type DataSelection = z.infer<typeof DataSelectionSchema>;

export const DEFAULT_SEED = 1;

/** The most folds a corpus is cut into (more leaves folds of a few items). */
export const MAX_FOLDS = 100;

/**
 * Held-out parts of a corpus's items, for a corpus that comes as one split (or cross-validation):
 * every item of the selections falls in one of `folds` folds by a hash of its key and `seed`
 * (config-splits.ts), so adding items never moves the others. The test role keeps fold
 * `testFold`, the dev role `devShare` of the other folds' items (a second hash), the train role
 * the rest. The roles then name the same splits: the items they divide.
 */
export const HeldOutSchema = z
  .object({
    folds: z.number().int().min(2).max(MAX_FOLDS),
    /** 1-based. */
    testFold: z.number().int().min(1),
    devShare: z.number().gt(0).max(0.5).default(0.1),
    seed: z.number().int().default(DEFAULT_SEED),
  })
  .refine((h) => h.testFold <= h.folds, {
    message: 'testFold must be one of the folds (1 to folds)',
    path: ['testFold'],
  });
export type HeldOut = z.infer<typeof HeldOutSchema>;

/**
 * The rule for a text corpus whose only splits are the training ones: a fixed seeded 10% test
 * part and dev carved from the rest (81 / 9 / 10). The test part is fold 1 of the default
 * 10-fold cross-validation, so the fixed split and the folds are one division of the corpus;
 * its seed is fixed (not the model's) so every experiment on the corpus tests on the same items.
 */
export const DEFAULT_HELD_OUT: HeldOut = {
  folds: 10,
  testFold: 1,
  devShare: 0.1,
  seed: DEFAULT_SEED,
};

/**
 * A role (train, dev, test) with fewer items than this is reported with the run: one error on
 * 30 items moves an accuracy by 3.3 points. (The Train view warns below the same size.)
 */
export const SMALL_ROLE_ITEMS = 30;

/** The splits a held-out division is shown as: what evaluations and item ids are named after. */
export const HELD_OUT_SPLITS = {
  train: 'held-out-train',
  dev: 'held-out-dev',
  test: 'held-out-test',
} as const;

export const DataRolesSchema = z.object({
  train: DataSelectionSchema,
  dev: DataSelectionSchema.nullable().default(null),
  test: DataSelectionSchema,
  /** Divide the selections' items into held-out parts (see HeldOutSchema); null: whole splits. */
  heldOut: HeldOutSchema.nullable().default(null),
});

/** The engine's training settings less what the experiment itself decides (where checkpoints go, resuming). */
export const ExperimentTrainingSchema = TrainConfigSchema.omit({
  checkpointDir: true,
  resume: true,
});
export type ExperimentTraining = z.infer<typeof ExperimentTrainingSchema>;

/** The fields every task's config schema starts from (`task` is each task's literal). */
export const commonConfigFields = {
  format: z
    .enum([EXPERIMENT_FORMAT, LEGACY_EXPERIMENT_FORMAT])
    .default(EXPERIMENT_FORMAT)
    // Configs are rewritten in today's format; the old name only tells an old folder apart.
    .transform((): typeof EXPERIMENT_FORMAT => EXPERIMENT_FORMAT),
  version: z.literal(EXPERIMENT_CONFIG_VERSION).default(EXPERIMENT_CONFIG_VERSION),
  name: z.string().min(1),
  /** Corpus name in the data folder, or a path. */
  corpus: z.string().min(1),
  data: DataRolesSchema,
  training: ExperimentTrainingSchema,
  /** Seeds the model initialisation and, unless training.seed is set, shuffling and dropout. */
  seed: z.number().int().default(DEFAULT_SEED),
};

/** The part of any task's config the experiment lifecycle reads. */
export interface CommonExperimentConfig {
  format: typeof EXPERIMENT_FORMAT;
  version: typeof EXPERIMENT_CONFIG_VERSION;
  name: string;
  task: string;
  corpus: string;
  data: z.infer<typeof DataRolesSchema>;
  training: ExperimentTraining;
  seed: number;
}

type OptionOf<T> = T extends { shape: { kind: { value: infer V } } } ? V : never;
function kindsOf<T extends { shape: { kind: { value: string } } }>(
  options: readonly T[],
): OptionOf<T>[] {
  return options.map((option) => option.shape.kind.value as OptionOf<T>);
}

/** Choice lists read off the training schema, so that a list shown in a form is the schema's own. */
export const OPTIMIZER_CHOICES = kindsOf(TrainConfigSchema.shape.optimizer.options);
export type OptimizerChoice = (typeof OPTIMIZER_CHOICES)[number];
export const SCHEDULE_CHOICES = kindsOf(TrainConfigSchema.shape.schedule.unwrap().options);
export type ScheduleChoice = (typeof SCHEDULE_CHOICES)[number];
export const BPTT_CHOICES = kindsOf(TrainConfigSchema.shape.bptt.unwrap().options);
export type BpttChoice = (typeof BPTT_CHOICES)[number];

/** The learning-rate factor a form offers first when a schedule is chosen (0.5 halves the rate). */
export const DEFAULT_SCHEDULE_FACTOR = 0.5;
/** The epochs a form offers first for a step schedule (every n) or a plateau (patience n). */
export const DEFAULT_SCHEDULE_EPOCHS = 2;
/** The milestones a form offers first for a multistep schedule: half and three quarters through. */
export function defaultScheduleMilestones(epochs: number): number[] {
  const half = Math.max(1, Math.ceil(epochs / 2));
  const threeQuarters = Math.max(1, Math.ceil((3 * epochs) / 4));
  return threeQuarters > half ? [half, threeQuarters] : [half];
}
