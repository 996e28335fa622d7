import type {
  ExperimentCrossValidateResult,
  ExperimentEvaluateResult,
  ExperimentTrainResult,
} from '../api/jobs';
import { dataNameProblem } from '../api/names';
import { CORPORA_DIR } from '../domain/corpus/corpus-paths';
import { resolveInDataFolder } from '../domain/data-folder';
import { EXPERIMENT_TASK_REGISTRY } from '../domain/experiment-tasks';
import { UnfoldError } from '../domain/errors';
import {
  crossValidate,
  readCrossValidation,
  resumeCrossValidation,
} from '../domain/experiments/cross-validation';
import { evaluateExperiment } from '../domain/experiments/evaluate-experiment';
import { EXPERIMENTS_DIR } from '../domain/experiments/experiment-folder';
import { readCommonConfig } from '../domain/experiments/experiment-records';
import { trainExperiment } from '../domain/experiments/train-experiment';
import type { JobEnvironment } from './job-environment';

/**
 * A text task's word-vector file, as a client names it, resolved inside the data folder (links
 * out refused): a job never reads a file elsewhere.
 */
async function withPretrainedInDataFolder(
  config: Record<string, unknown>,
  dataDir: string,
): Promise<Record<string, unknown>> {
  const words = config.words as { pretrained?: { file?: unknown } | null } | undefined;
  const file = words?.pretrained?.file;
  if (typeof file !== 'string') return config;
  const resolved = await resolveInDataFolder(dataDir, file);
  return { ...config, words: { ...words, pretrained: { ...words?.pretrained, file: resolved } } };
}

/**
 * Trains (or resumes) an experiment of any task in the job's process. The experiment and
 * corpus are names (checked by the job's schema) resolved inside the data folder: a job never
 * writes or reads elsewhere. Re-training an experiment of the same name replaces its previous
 * run, as the Train view's "Train" does; a folder that is not an experiment is never touched.
 */
export async function runExperimentTrain(
  params: { config: Record<string, unknown> & { name: string; corpus: string }; resume: boolean },
  environment: JobEnvironment,
): Promise<ExperimentTrainResult> {
  const outDir = await resolveInDataFolder(
    environment.dataDir,
    EXPERIMENTS_DIR,
    params.config.name,
  );
  const corpusDir = await resolveInDataFolder(
    environment.dataDir,
    CORPORA_DIR,
    params.config.corpus,
  );
  const config = await withPretrainedInDataFolder(params.config, environment.dataDir);
  const result = await trainExperiment(config, {
    dataDir: environment.dataDir,
    tasks: EXPERIMENT_TASK_REGISTRY,
    outDir,
    corpusDir,
    resume: params.resume,
    replace: true,
    ...(environment.signal ? { signal: environment.signal } : {}),
    ...(environment.onProgress ? { onProgress: environment.onProgress } : {}),
  });
  return {
    dir: result.dir,
    epochs: result.training.history.length,
    bestEpoch: result.training.bestEpoch ?? null,
    testMetric: result.headline,
  };
}

/**
 * Cross-validates a config (or resumes a stopped cross-validation of that name, keeping its
 * finished folds) in the job's process: the cross-validation and its folds' experiments are
 * folders of <data>/experiments, the corpus a corpus of the data folder.
 */
export async function runExperimentCrossValidate(
  params: {
    config: Record<string, unknown> & { name: string; corpus: string };
    folds: number;
    resume: boolean;
  },
  environment: JobEnvironment,
): Promise<ExperimentCrossValidateResult> {
  const outDir = await resolveInDataFolder(
    environment.dataDir,
    EXPERIMENTS_DIR,
    params.config.name,
  );
  const corpusDir = await resolveInDataFolder(
    environment.dataDir,
    CORPORA_DIR,
    params.config.corpus,
  );
  const options = {
    dataDir: environment.dataDir,
    tasks: EXPERIMENT_TASK_REGISTRY,
    outDir,
    corpusDir,
    ...(environment.signal ? { signal: environment.signal } : {}),
    ...(environment.onProgress ? { onProgress: environment.onProgress } : {}),
  };
  if (params.resume) {
    const { plan } = await readCrossValidation(outDir);
    if (plan.folds !== params.folds)
      throw new UnfoldError(
        'BAD_ARGUMENT',
        `${params.config.name} is a cross-validation of ${plan.folds} folds, not ${params.folds}: resume it with its own.`,
      );
  }
  const result = params.resume
    ? await resumeCrossValidation(outDir, options)
    : await crossValidate(await withPretrainedInDataFolder(params.config, environment.dataDir), {
        ...options,
        folds: params.folds,
        replace: true,
      });
  return {
    dir: result.dir,
    folds: result.plan.folds,
    experiments: result.plan.experiments,
    mean: result.summary.mean,
    sd: result.summary.sd,
  };
}

export async function runExperimentEvaluate(
  params: { experiment: string; corpus?: string | undefined; split?: string | undefined },
  environment: JobEnvironment,
): Promise<ExperimentEvaluateResult> {
  const dir = await resolveInDataFolder(environment.dataDir, EXPERIMENTS_DIR, params.experiment);
  // The experiment's own corpus is a name in the data folder unless the user trained it from
  // the command line on a corpus elsewhere (then config.json holds the path they chose).
  const corpus = params.corpus ?? (await readCommonConfig(dir)).corpus;
  const evaluated = await evaluateExperiment(dir, {
    dataDir: environment.dataDir,
    tasks: EXPERIMENT_TASK_REGISTRY,
    ...(params.corpus ? { corpus: params.corpus } : {}),
    ...(dataNameProblem(corpus) === null
      ? { corpusDir: await resolveInDataFolder(environment.dataDir, CORPORA_DIR, corpus) }
      : {}),
    ...(params.split ? { split: params.split } : {}),
    ...(environment.signal ? { signal: environment.signal } : {}),
    ...(environment.onProgress ? { onProgress: environment.onProgress } : {}),
  });
  return {
    dir,
    corpus: evaluated.ref.corpus,
    split: evaluated.ref.split,
    metric: evaluated.headline,
  };
}
