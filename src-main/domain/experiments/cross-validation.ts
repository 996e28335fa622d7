/**
 * k-fold cross-validation as one job, for any task: the items of the config's training splits
 * are cut into k folds (config-splits.ts); fold i is an ordinary experiment beside the
 * cross-validation's folder (experiment-folder.ts), tested on fold i, with dev for early
 * stopping carved from the other folds. The summary (per-fold figures, mean, sample standard
 * deviation, pooled confusion) is rewritten atomically as folds finish. A stopped job resumes:
 * finished folds are kept, an interrupted one continues from its last checkpoint.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { dataNameProblem } from '../../api/names';
import { findCorpusDir } from '../corpus/corpus-paths';
import { readCorpus } from '../corpus/store/read-corpus';
import { UnfoldError, throwIfAborted } from '../errors';
import { writeJsonAtomically } from '../fs/atomic-write';
import type { LongOperationOptions, Progress } from '../jobs/progress';
import type { ConfusionMatrix } from '../metrics/classification';
import type { CommonExperimentConfig } from './config/common-config';
import { DEFAULT_HELD_OUT, HELD_OUT_SPLITS, MAX_FOLDS } from './config/common-config';
import { checkConfigSplits, dataViewOf, smallPartWarnings } from './config-splits';
import type { HeldOutSizes } from './config-splits';
import type { CrossValidationSummary, FoldResult } from './cross-validation-summary';
import { figuresOf, summariseFolds } from './cross-validation-summary';
import { evaluateExperiment } from './evaluate-experiment';
import { readEvaluation } from './evaluations';
import {
  CROSS_VALIDATION_FILES,
  EXPERIMENTS_DIR,
  clearCrossValidation,
  ensureDir,
  experimentDir,
  foldExperimentDir,
  foldExperimentName,
  inspectExperimentFolder,
  isCrossValidationFolder,
  readJsonOr,
  removeStrayTempFiles,
} from './experiment-folder';
import { readMetrics } from './experiment-metrics';
import { readCommonConfig } from './experiment-records';
import type { TaskRegistry } from './experiment-task';
import { storedFilesOf, taskFor } from './experiment-task';
import { trainExperiment } from './train-experiment';

export const CROSS_VALIDATION_FORMAT = 'unfold-cross-validation';

/** cross-validation.json: what was asked, enough to run (or resume) every fold. */
export interface CrossValidationPlan {
  format: typeof CROSS_VALIDATION_FORMAT;
  version: 1;
  name: string;
  task: string;
  corpus: string;
  folds: number;
  /** The config every fold's is made from (foldConfig). */
  config: CommonExperimentConfig & Record<string, unknown>;
  /** The folds' experiments, in fold order. */
  experiments: string[];
}

export interface CrossValidateOptions extends LongOperationOptions {
  dataDir: string;
  tasks: TaskRegistry;
  /** The cross-validation's folder; default `<dataDir>/experiments/<name>`. */
  outDir?: string;
  /** The corpus folder, already resolved (API jobs: inside the data folder); default: config.corpus. */
  corpusDir?: string;
}

export interface CrossValidationResult {
  dir: string;
  plan: CrossValidationPlan;
  summary: CrossValidationSummary;
  /** The folds' warnings (held-out parts too small to say much), each naming its fold. */
  warnings: string[];
}

/**
 * A fold's config: the base with the training splits divided, fold `fold` tested, and dev
 * (when the base has one) carved from the other folds with the base's share and seed.
 */
export function foldConfig(
  plan: Pick<CrossValidationPlan, 'name' | 'folds' | 'config'>,
  fold: number,
): CommonExperimentConfig & Record<string, unknown> {
  const { config } = plan;
  const { devShare, seed } = config.data.heldOut ?? DEFAULT_HELD_OUT;
  return {
    ...config,
    name: foldExperimentName(plan.name, fold, plan.folds),
    data: {
      train: config.data.train,
      dev: config.data.dev ? { ...config.data.train } : null,
      test: { ...config.data.train },
      heldOut: { folds: plan.folds, testFold: fold, devShare, seed },
    },
  };
}

const foldNumbers = (folds: number): number[] => Array.from({ length: folds }, (_, i) => i + 1);

/** Fold `fold`'s progress as a part of the whole job's. */
function foldProgress(
  onProgress: ((p: Progress) => void) | undefined,
  fold: number,
  folds: number,
): (p: Progress) => void {
  return (p) =>
    onProgress?.({
      ...p,
      fraction: p.fraction === null ? null : (fold - 1 + p.fraction) / folds,
      message: `fold ${fold}/${folds}${p.message ? `: ${p.message}` : ''}`,
      metrics: { ...p.metrics, fold },
    });
}

async function readPlan(dir: string): Promise<CrossValidationPlan> {
  const plan = await readJsonOr<Partial<CrossValidationPlan> | null>(
    join(dir, CROSS_VALIDATION_FILES.plan),
    null,
  );
  if (plan?.format !== CROSS_VALIDATION_FORMAT || typeof plan.folds !== 'number' || !plan.config)
    throw new UnfoldError(
      'CROSS_VALIDATION_NOT_FOUND',
      `${dir} holds no cross-validation (no valid ${CROSS_VALIDATION_FILES.plan}). Start one with \`unfold train --folds K\`.`,
    );
  return plan as CrossValidationPlan;
}

/** A cross-validation's plan and its summary so far (null before the first fold finishes). */
export async function readCrossValidation(
  dir: string,
): Promise<{ plan: CrossValidationPlan; summary: CrossValidationSummary | null }> {
  const plan = await readPlan(dir);
  const summary = await readJsonOr<CrossValidationSummary | null>(
    join(dir, CROSS_VALIDATION_FILES.summary),
    null,
  );
  return { plan, summary };
}

/**
 * Every cross-validation of the data folder by name, with its plan and summary so far (the Train
 * view lists them to reopen one after a reload); folders that are not one are left out.
 */
export async function listCrossValidations(
  dataDir: string,
): Promise<
  Array<{ name: string; plan: CrossValidationPlan; summary: CrossValidationSummary | null }>
> {
  const root = join(dataDir, EXPERIMENTS_DIR);
  const names = await readdir(root).catch(() => [] as string[]);
  const out = [];
  for (const name of names.sort()) {
    const dir = join(root, name);
    if (!(await isCrossValidationFolder(dir))) continue;
    try {
      out.push({ name, ...(await readCrossValidation(dir)) });
    } catch {
      // A plan from another program or half written: not a cross-validation to reopen.
    }
  }
  return out;
}

function numberOr(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

/** A finished fold's result and confusion, read from its experiment; null when it has none. */
async function storedFoldResult(
  dir: string,
  plan: CrossValidationPlan,
  fold: number,
): Promise<{ result: FoldResult; confusion: ConfusionMatrix } | null> {
  const foldDir = foldExperimentDir(dir, fold, plan.folds);
  const metrics = await readMetrics(foldDir);
  const evaluation = await readEvaluation(foldDir, { corpus: null, split: HELD_OUT_SPLITS.test });
  if (!metrics.training || !evaluation?.summary) return null;
  const heldOut = metrics.training.heldOut as { items?: HeldOutSizes } | undefined;
  return {
    result: {
      fold,
      experiment: foldExperimentName(plan.name, fold, plan.folds),
      items: heldOut?.items ?? null,
      epochs: numberOr(metrics.training.epochs),
      bestEpoch: numberOr(metrics.training.bestEpoch),
      figures: figuresOf(evaluation.summary),
    },
    confusion: evaluation.confusion,
  };
}

/** Whether a fold's folder holds this plan's fold (and not an experiment of another division). */
async function isPlannedFold(
  dir: string,
  plan: CrossValidationPlan,
  fold: number,
): Promise<boolean> {
  const config = await readCommonConfig(foldExperimentDir(dir, fold, plan.folds)).catch(() => null);
  const found = config?.data.heldOut;
  const planned = foldConfig(plan, fold).data.heldOut;
  return (
    found !== undefined &&
    found !== null &&
    planned !== null &&
    (['folds', 'testFold', 'devShare', 'seed'] as const).every((key) => found[key] === planned[key])
  );
}

/**
 * Checks what can be checked before anything is trained: the config, the corpus and its
 * splits, that no fold's held-out part is empty, and the folders (the cross-validation's and
 * every fold's): a folder that is not an experiment is never written into, and a previous run
 * is only replaced with `replace`.
 */
async function checkPlan(
  dir: string,
  plan: CrossValidationPlan,
  corpusDir: string,
  tasks: TaskRegistry,
  { resume, replace }: { resume: boolean; replace: boolean },
): Promise<string[]> {
  const task = taskFor(tasks, plan.task);
  const corpus = await readCorpus(corpusDir);
  task.checkCorpus(corpus, plan.config);
  const warnings: string[] = [];
  for (const fold of foldNumbers(plan.folds)) {
    const config = task.parseConfig(foldConfig(plan, fold));
    checkConfigSplits(corpus, config);
    const { sizes } = dataViewOf(corpus, config);
    for (const warning of smallPartWarnings(sizes, config.data.dev !== null))
      warnings.push(`fold ${fold}: ${warning}`);
  }
  const taskFiles = storedFilesOf(tasks);
  for (const fold of foldNumbers(plan.folds)) {
    const foldDir = foldExperimentDir(dir, fold, plan.folds);
    const folder = await inspectExperimentFolder(foldDir, taskFiles);
    if (folder.kind === 'other')
      throw new UnfoldError(
        'EXPERIMENT_FOLDER_NOT_EMPTY',
        `${foldDir} (fold ${fold}'s experiment) is not empty and is not an Unfold experiment: Unfold will not write into it or delete anything there. Move it, or name the cross-validation otherwise.`,
      );
    if (folder.kind !== 'experiment' || replace) continue;
    if (!resume || !(await isPlannedFold(dir, plan, fold)))
      throw new UnfoldError(
        'EXPERIMENT_EXISTS',
        `${foldDir} already holds an experiment${resume ? " that is not this cross-validation's fold" : ''}. Start the cross-validation over with --force (which replaces its folds' experiments), or name it otherwise.`,
      );
  }
  return warnings;
}

/** Runs (or resumes) every fold, rewriting the summary after each. */
async function runFolds(
  dir: string,
  plan: CrossValidationPlan,
  options: CrossValidateOptions & { corpusDir: string; resume: boolean; replace: boolean },
): Promise<CrossValidationSummary> {
  const finished: { result: FoldResult; confusion: ConfusionMatrix }[] = [];
  const about = { task: plan.task, corpus: plan.corpus, folds: plan.folds };
  let summary: CrossValidationSummary | null = null;
  for (const fold of foldNumbers(plan.folds)) {
    throwIfAborted(options.signal);
    const progress = foldProgress(options.onProgress, fold, plan.folds);
    const foldDir = foldExperimentDir(dir, fold, plan.folds);
    const planned = options.resume && (await isPlannedFold(dir, plan, fold));
    let stored = planned ? await storedFoldResult(dir, plan, fold) : null;
    const common = {
      dataDir: options.dataDir,
      tasks: options.tasks,
      corpusDir: options.corpusDir,
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: progress,
    };
    if (stored) {
      progress({ fraction: 1, message: 'finished before: kept' });
    } else if (planned && (await readMetrics(foldDir)).training) {
      // Trained, but stopped before its test evaluation was stored: evaluate it only.
      await evaluateExperiment(foldDir, common);
    } else {
      await trainExperiment(foldConfig(plan, fold), {
        ...common,
        outDir: foldDir,
        resume: planned,
        replace: options.replace || planned,
      });
    }
    stored ??= await storedFoldResult(dir, plan, fold);
    if (!stored)
      throw new UnfoldError(
        'CROSS_VALIDATION_FOLD',
        `Fold ${fold}'s experiment (${foldDir}) has no test evaluation after training.`,
      );
    finished.push(stored);
    summary = summariseFolds(finished, about);
    await writeJsonAtomically(join(dir, CROSS_VALIDATION_FILES.summary), summary);
  }
  if (!summary) throw new UnfoldError('CROSS_VALIDATION_FOLD', 'A cross-validation has no folds.');
  return summary;
}

/**
 * Cross-validates a config of any task with `folds` folds into `<dataDir>/experiments/<name>/`
 * (or `outDir`) and its fold experiments beside it. A previous cross-validation there (and its
 * folds' experiments) is replaced only with `replace`.
 */
export async function crossValidate(
  input: unknown,
  options: CrossValidateOptions & { folds: number; replace?: boolean },
): Promise<CrossValidationResult> {
  const taskName = (input as { task?: unknown } | null)?.task;
  const task = taskFor(options.tasks, typeof taskName === 'string' ? taskName : '');
  const config = task.parseConfig(input);
  if (!Number.isInteger(options.folds) || options.folds < 2 || options.folds > MAX_FOLDS)
    throw new UnfoldError(
      'BAD_ARGUMENT',
      `Cross-validation needs 2 to ${MAX_FOLDS} folds (got ${options.folds}).`,
    );
  const dir = options.outDir ?? experimentDir(config.name, options.dataDir);
  const plan: CrossValidationPlan = {
    format: CROSS_VALIDATION_FORMAT,
    version: 1,
    name: config.name,
    task: config.task,
    corpus: config.corpus,
    folds: options.folds,
    config: config as CrossValidationPlan['config'],
    experiments: foldNumbers(options.folds).map((k) =>
      foldExperimentName(config.name, k, options.folds),
    ),
  };
  const longest = plan.experiments[plan.experiments.length - 1] as string;
  const nameProblem = dataNameProblem(longest);
  if (nameProblem !== null)
    throw new UnfoldError(
      'BAD_NAME',
      `The folds' experiments would be named like ${longest}, and ${nameProblem}. Choose a shorter name.`,
    );
  const folder = await inspectExperimentFolder(dir, []);
  const replacing = await isCrossValidationFolder(dir);
  if (folder.kind === 'experiment' || (folder.kind === 'other' && !replacing))
    throw new UnfoldError(
      'EXPERIMENT_FOLDER_NOT_EMPTY',
      `${dir} is not empty and is not a cross-validation: Unfold will not write into it or delete anything there. Choose another name.`,
    );
  if (replacing && options.replace !== true)
    throw new UnfoldError(
      'EXPERIMENT_EXISTS',
      `${dir} already holds a cross-validation. Continue it with --resume, or start it over with --force (which replaces its folds' experiments).`,
    );
  const corpusDir = options.corpusDir ?? (await findCorpusDir(config.corpus, options.dataDir));
  const replace = options.replace === true;
  const warnings = await checkPlan(dir, plan, corpusDir, options.tasks, { resume: false, replace });
  if (replacing) {
    const previous = await readPlan(dir).catch(() => null);
    await clearCrossValidation(dir, previous?.experiments ?? [], {
      keep: plan.experiments,
      taskFiles: storedFilesOf(options.tasks),
    });
  }
  await ensureDir(dir);
  await writeJsonAtomically(join(dir, CROSS_VALIDATION_FILES.plan), plan);
  const summary = await runFolds(dir, plan, { ...options, corpusDir, resume: false, replace });
  return { dir, plan, summary, warnings };
}

/** Continues a stopped cross-validation: finished folds are kept, the rest trained or resumed. */
export async function resumeCrossValidation(
  dirOrName: string,
  options: CrossValidateOptions,
): Promise<CrossValidationResult> {
  const dir = options.outDir ?? experimentDir(dirOrName, options.dataDir);
  const plan = await readPlan(dir);
  const corpusDir = options.corpusDir ?? (await findCorpusDir(plan.corpus, options.dataDir));
  const warnings = await checkPlan(dir, plan, corpusDir, options.tasks, {
    resume: true,
    replace: false,
  });
  await removeStrayTempFiles(dir, { taskFiles: Object.values(CROSS_VALIDATION_FILES) });
  const summary = await runFolds(dir, plan, {
    ...options,
    corpusDir,
    resume: true,
    replace: false,
  });
  return { dir, plan, summary, warnings };
}
