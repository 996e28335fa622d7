/**
 * How a task plugs into the experiment lifecycle. The lifecycle (train-experiment.ts,
 * evaluate-experiment.ts) owns the folder, the log, checkpoints, the best model, metrics,
 * resuming and cancelling; a task says what its examples and labels are, which model reads
 * them, how to score the model on a selection of a corpus and what one evaluated item is.
 */
import type { Corpus } from '../corpus/model';
import { UnfoldError } from '../errors';
import type { LongOperationOptions } from '../jobs/progress';
import type { SequenceExample } from '../rnn/batching';
import type { ModelConfig } from '../rnn/model-config';
import type { RnnModel } from '../rnn/rnn-model';
import type { CommonExperimentConfig, DataSelection } from './config/common-config';
import type { EvaluationRecord } from './evaluations';
import type { ExperimentLabels } from './experiment-records';

/** What a task's data loading gets: the data folder (for caches) and the job's progress and signal. */
export interface TaskDataOptions extends LongOperationOptions {
  dataDir: string;
}

/** What training needs from a task, made from the corpus and the config. */
export interface TrainingPlan<L extends ExperimentLabels = ExperimentLabels> {
  /** labels.json: the output classes and what running the model later needs. */
  labels: L;
  /** Files kept beside the model (names from the task's `storedFiles`). */
  files: Record<string, Uint8Array>;
  model: ModelConfig;
  train: SequenceExample[];
  /** The dev examples, or null without a dev selection. */
  dev: SequenceExample[] | null;
  /** Figures for metrics.json's training summary (item counts, skipped items). */
  summary: Record<string, unknown>;
  /** Starting values of some parameters by name (pre-trained word vectors); random otherwise. */
  initialParams?: Record<string, Float32Array>;
}

/** A task's scoring of a model on one selection: what is kept of it, and what it returns. */
export interface TaskEvaluation<R = unknown> extends EvaluationRecord {
  /** The task's own evaluation object, returned to the caller. */
  result: R;
  /** The figure a job reports (accuracy, frame accuracy, ...). */
  headline: number;
}

export interface EvaluationInput<C, L extends ExperimentLabels> extends TaskDataOptions {
  corpus: Corpus;
  config: C;
  labels: L;
  model: RnnModel;
  selection: DataSelection;
  /** Reads a file the task stored beside the model (see TrainingPlan.files), null if absent. */
  readStoredFile: (name: string) => Promise<Uint8Array | null>;
  /** Whether to keep per-item outputs (they can be large); tasks may ignore it. */
  keepItemOutputs: boolean;
}

export interface ExperimentTask<
  C extends CommonExperimentConfig = CommonExperimentConfig,
  L extends ExperimentLabels = ExperimentLabels,
  R = unknown,
> {
  /** The config's `task`. */
  readonly name: C['task'];
  /** Names of the files the task keeps beside the model. */
  readonly storedFiles: readonly string[];
  /** Validates a config of this task and fills in its defaults. */
  parseConfig(value: unknown): C;
  /** Checks what can be checked before anything is computed or written (throws UnfoldError). */
  checkCorpus(corpus: Corpus, config: C): void;
  prepareTraining(corpus: Corpus, config: C, options: TaskDataOptions): Promise<TrainingPlan<L>>;
  evaluate(input: EvaluationInput<C, L>): Promise<TaskEvaluation<R>>;
}

/** The tasks an application offers, by name. */
export type TaskRegistry = ReadonlyMap<
  string,
  ExperimentTask<CommonExperimentConfig, ExperimentLabels>
>;

/**
 * The registry of these tasks. (A task's methods take its own config type; TypeScript checks
 * method parameters bivariantly, which is what lets one registry hold tasks of every config.)
 */
export function taskRegistry(tasks: readonly ExperimentTask[]): TaskRegistry {
  return new Map(tasks.map((task) => [task.name, task]));
}

export function taskFor(tasks: TaskRegistry, name: string): ExperimentTask {
  const task = tasks.get(name);
  if (!task)
    throw new UnfoldError(
      'UNKNOWN_TASK',
      `There is no task "${name}": the tasks are ${[...tasks.keys()].join(', ')}.`,
    );
  return task;
}

/** Every file name any of the tasks keeps beside its models. */
export function storedFilesOf(tasks: TaskRegistry): string[] {
  return [...new Set([...tasks.values()].flatMap((task) => task.storedFiles))];
}
