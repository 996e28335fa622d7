/**
 * Runs a sweep's plan: every run an ordinary experiment of the data folder, trained by an
 * executor (a local pool of job processes, or a queue of other machines) that takes up to its
 * `concurrency` runs at once. The sweep keeps each run's state and rewrites the summary as runs
 * end. Stopped (the signal) and resumed: finished runs are kept, a run that was trained but not
 * yet evaluated is evaluated, any other resumes from its last checkpoint.
 */
import { join } from 'node:path';
import { findCorpusDir } from '../corpus/corpus-paths';
import { readCorpus } from '../corpus/store/read-corpus';
import { UnfoldError, isAbortError, throwIfAborted, toErrorData } from '../errors';
import { checkConfigSplits, withHeldOutDefault } from '../experiments/config-splits';
import {
  EXPERIMENT_FILES,
  experimentDir,
  inspectExperimentFolder,
  readJsonOr,
} from '../experiments/experiment-folder';
import { readMetrics } from '../experiments/experiment-metrics';
import type { TaskRegistry } from '../experiments/experiment-task';
import { storedFilesOf, taskFor } from '../experiments/experiment-task';
import type { LongOperationOptions, Progress } from '../jobs/progress';
import { fieldHolds } from './config-paths';
import type { RunState } from './sweep-folder';
import {
  SWEEP_FILES,
  clearSweepFolder,
  isFreeFolder,
  isSweepFolder,
  readRunState,
  readSweepPlan,
  writeRunState,
  writeSweepPlan,
  writeSweepSummary,
} from './sweep-folder';
import type { SweepPlan, SweepRun } from './sweep-plan';
import type { RunFigures, SweepSummary } from './sweep-summary';
import { storedRunFigures, summariseSweep, summaryCsv } from './sweep-summary';

/** How a run is to be taken up: from scratch (replacing a previous run), resumed, or evaluated only. */
export type RunMode = 'train' | 'resume' | 'evaluate';

/** One run as an executor receives it. */
export interface RunOrder {
  sweep: string;
  index: number;
  experiment: string;
  config: SweepRun['config'];
  mode: RunMode;
}

/** What runs a sweep's runs: a local pool of processes, or a queue of other machines. */
export interface SweepExecutor {
  /** Runs taken at once. */
  concurrency: number;
  /**
   * Trains (or resumes, or evaluates) one run's experiment in `<data>/experiments/<experiment>`
   * and resolves when its metrics.json has its figures there. `onWorker` says who took it.
   */
  run(
    order: RunOrder,
    options: LongOperationOptions & { onWorker?: (worker: string) => void },
  ): Promise<void>;
}

export interface SweepRunUpdate {
  state: RunState;
  progress?: Progress;
}

export interface RunSweepOptions extends LongOperationOptions {
  dataDir: string;
  tasks: TaskRegistry;
  executor: SweepExecutor;
  /** Each run's state and progress as it changes (the UI's table). */
  onRunUpdate?: (update: SweepRunUpdate) => void;
}

export interface SweepResult {
  dir: string;
  plan: SweepPlan;
  summary: SweepSummary;
}

const runDir = (run: SweepRun, dataDir: string): string => experimentDir(run.experiment, dataDir);

/** Whether an experiment folder holds this run (its name and every varied field as planned). */
async function isPlannedRun(dir: string, run: SweepRun): Promise<boolean> {
  const config = await readJsonOr<Record<string, unknown> | null>(
    join(dir, EXPERIMENT_FILES.config),
    null,
  );
  return (
    config !== null &&
    config.name === run.experiment &&
    Object.entries(run.values).every(([field, value]) => fieldHolds(config, field, value))
  );
}

/**
 * Checks what can be checked before anything runs: the corpus and the splits every run needs,
 * and the runs' folders: a folder that is not an experiment is never written into, and an
 * experiment that is not this sweep's run is replaced only with `replace`.
 */
async function checkRuns(
  plan: SweepPlan,
  {
    dataDir,
    tasks,
    resume,
    replace,
  }: { dataDir: string; tasks: TaskRegistry; resume: boolean; replace: boolean },
): Promise<void> {
  const corpus = await readCorpus(await findCorpusDir(plan.corpus, dataDir));
  const task = taskFor(tasks, plan.task);
  for (const run of plan.runs) {
    const config = withHeldOutDefault(task.parseConfig(run.config), corpus);
    if (run.index === 1) task.checkCorpus(corpus, config);
    checkConfigSplits(corpus, config);
  }
  const taskFiles = storedFilesOf(tasks);
  for (const run of plan.runs) {
    const dir = runDir(run, dataDir);
    const folder = await inspectExperimentFolder(dir, taskFiles);
    if (folder.kind === 'other')
      throw new UnfoldError(
        'EXPERIMENT_FOLDER_NOT_EMPTY',
        `${dir} (run ${run.index}'s experiment) is not empty and is not an Unfold experiment: Unfold will not write into it. Move it, or name the sweep otherwise.`,
      );
    if (folder.kind !== 'experiment' || replace) continue;
    if (!resume || !(await isPlannedRun(dir, run)))
      throw new UnfoldError(
        'EXPERIMENT_EXISTS',
        `${dir} already holds an experiment${resume ? " that is not this sweep's run" : ''}. Start the sweep over with --force (which replaces its runs' experiments), or name it otherwise.`,
      );
  }
}

/** How a run is taken up now, or null when it is finished (its figures are stored). */
async function modeOf(
  run: SweepRun,
  dataDir: string,
  resume: boolean,
): Promise<{ mode: RunMode; figures: null } | { mode: null; figures: RunFigures }> {
  const dir = runDir(run, dataDir);
  if (!resume || !(await isPlannedRun(dir, run))) return { mode: 'train', figures: null };
  const figures = await storedRunFigures(dir);
  if (figures) return { mode: null, figures };
  if ((await readMetrics(dir)).training) return { mode: 'evaluate', figures: null };
  return { mode: 'resume', figures: null };
}

/** Runs (or resumes) every run of a plan whose folder is written and checked. */
async function runPlan(
  dir: string,
  plan: SweepPlan,
  options: RunSweepOptions & { resume: boolean },
): Promise<SweepSummary> {
  const { dataDir, executor, signal } = options;
  const states = new Map<string, RunState>();
  const figures = new Map<string, RunFigures>();
  const todo: Array<{ run: SweepRun; mode: RunMode }> = [];
  for (const run of plan.runs) {
    const before = await readRunState(dir, run.experiment);
    const found = await modeOf(run, dataDir, options.resume);
    if (found.mode === null) {
      figures.set(run.experiment, found.figures);
      states.set(run.experiment, { ...before, status: 'done' });
    } else {
      todo.push({ run, mode: found.mode });
      const { error: _previous, ...rest } = before;
      states.set(run.experiment, { ...rest, status: 'pending' });
    }
    await writeRunState(dir, states.get(run.experiment) as RunState);
  }

  // One writer for the summary, in order: runs end in any order and at once.
  let writing = Promise.resolve();
  let summary = summariseSweep(plan, states, figures);
  const saveSummary = (): Promise<void> => {
    summary = summariseSweep(plan, states, figures);
    const snapshot = summary;
    writing = writing.then(() => writeSweepSummary(dir, snapshot, summaryCsv(snapshot)));
    return writing;
  };
  await saveSummary();

  const running = new Map<string, Progress>();
  const total = plan.runs.length;
  const report = (): void => {
    const finished = [...states.values()].filter(
      (s) => s.status === 'done' || s.status === 'failed',
    ).length;
    const partial = [...running.values()].reduce((sum, p) => sum + (p.fraction ?? 0), 0);
    const done = [...states.values()].filter((s) => s.status === 'done').length;
    const failed = [...states.values()].filter((s) => s.status === 'failed').length;
    const lines = [...running.entries()].map(
      ([name, p]) => `${name}${p.message ? `: ${p.message}` : ''}`,
    );
    options.onProgress?.({
      fraction: total === 0 ? 1 : Math.min(1, (finished + partial) / total),
      message: `${done}/${total} done${failed ? `, ${failed} failed` : ''}${lines.length ? ` | ${lines.join(' | ')}` : ''}`,
      metrics: { done, failed, running: running.size, runs: total },
    });
  };
  const update = async (state: RunState, progress?: Progress): Promise<void> => {
    states.set(state.experiment, state);
    options.onRunUpdate?.({ state, ...(progress ? { progress } : {}) });
    await writeRunState(dir, state);
  };
  report();

  const takeOne = async ({ run, mode }: { run: SweepRun; mode: RunMode }): Promise<void> => {
    const before = states.get(run.experiment) as RunState;
    let state: RunState = {
      experiment: run.experiment,
      status: 'running',
      attempts: before.attempts + 1,
      startedAt: new Date().toISOString(),
      ...(before.worker ? { worker: before.worker } : {}),
    };
    running.set(run.experiment, { fraction: 0 });
    await update(state);
    report();
    try {
      await executor.run(
        {
          sweep: plan.name,
          index: run.index,
          experiment: run.experiment,
          config: run.config,
          mode,
        },
        {
          ...(signal ? { signal } : {}),
          onProgress: (progress) => {
            running.set(run.experiment, progress);
            options.onRunUpdate?.({ state, progress });
            report();
          },
          onWorker: (worker) => {
            state = { ...state, worker };
            void update(state).catch(() => undefined);
          },
        },
      );
      const stored = await storedRunFigures(runDir(run, dataDir));
      if (!stored)
        throw new UnfoldError(
          'SWEEP_RUN_NO_RESULT',
          `Run ${run.index} (${run.experiment}) ended without a test evaluation in its metrics.json.`,
        );
      figures.set(run.experiment, stored);
      state = { ...state, status: 'done', endedAt: new Date().toISOString() };
    } catch (error) {
      const cancelled = signal?.aborted === true && isAbortError(error);
      const { code, message } = toErrorData(error);
      state = {
        ...state,
        status: cancelled ? 'cancelled' : 'failed',
        endedAt: new Date().toISOString(),
        ...(cancelled ? {} : { error: { code, message } }),
      };
    }
    running.delete(run.experiment);
    // The summary first: whoever sees the run end (the app's table) then reads it complete.
    states.set(state.experiment, state);
    await saveSummary();
    await update(state);
    report();
  };

  const queue = [...todo];
  const lane = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      if (signal?.aborted) return;
      await takeOne(next);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(executor.concurrency, todo.length)) }, lane),
  );
  await writing;
  throwIfAborted(signal);
  return summary;
}

export interface StartSweepOptions extends RunSweepOptions {
  /** The sweep's folder (sweep-folder.ts: `<data>/sweeps/<name>` by default). */
  dir: string;
  /** Replace a previous sweep of that folder and its runs' experiments. */
  replace?: boolean;
}

/** Starts a sweep from its plan: checks everything, writes plan.json, runs every run. */
export async function startSweep(
  plan: SweepPlan,
  options: StartSweepOptions,
): Promise<SweepResult> {
  const { dir } = options;
  const existing = await isSweepFolder(dir);
  if (!existing && !(await isFreeFolder(dir)))
    throw new UnfoldError(
      'SWEEP_FOLDER_NOT_EMPTY',
      `${dir} is not empty and is not a sweep: Unfold will not write into it. Choose another name.`,
    );
  if (existing && options.replace !== true)
    throw new UnfoldError(
      'SWEEP_EXISTS',
      `${dir} already holds a sweep. Continue it with --resume, or start it over with --force (which replaces its runs' experiments).`,
    );
  const replace = options.replace === true;
  await checkRuns(plan, { ...options, resume: false, replace });
  if (existing) await clearSweepFolder(dir);
  await writeSweepPlan(dir, plan);
  const summary = await runPlan(dir, plan, { ...options, resume: false });
  return { dir, plan, summary };
}

/** Continues a stopped sweep with its own plan: finished runs are kept, the rest resumed. */
export async function resumeSweep(dir: string, options: RunSweepOptions): Promise<SweepResult> {
  const plan = await readSweepPlan(dir);
  await checkRuns(plan, { ...options, resume: true, replace: false });
  const summary = await runPlan(dir, plan, { ...options, resume: true });
  return { dir, plan, summary };
}

/** A sweep's plan and its summary so far, without running anything. */
export async function readSweep(
  dir: string,
): Promise<{ plan: SweepPlan; summary: SweepSummary | null }> {
  const plan = await readSweepPlan(dir);
  const summary = await readJsonOr<SweepSummary | null>(join(dir, SWEEP_FILES.summary), null);
  return { plan, summary };
}
