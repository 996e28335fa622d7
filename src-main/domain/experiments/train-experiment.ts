import { join, resolve } from 'node:path';
import { initTfBackend } from '../backend/tf-backend';
import { findCorpusDir } from '../corpus/corpus-paths';
import { readCorpus } from '../corpus/store/read-corpus';
import { UnfoldError, isAbortError } from '../errors';
import type { LongOperationOptions } from '../jobs/progress';
import { scaledProgress } from '../jobs/progress';
import { checkpointEpoch, checkpointFolder } from '../rnn/checkpoints';
import { loadModel, saveModel } from '../rnn/model-io';
import { RnnModel } from '../rnn/rnn-model';
import { trainModel } from '../rnn/train';
import type { TrainResult } from '../rnn/train';
import type { CommonExperimentConfig } from './config/common-config';
import type { Corpus } from '../corpus/model';
import {
  checkConfigSplits,
  dataViewOf,
  smallPartWarnings,
  withHeldOutDefault,
} from './config-splits';
import type { DataView as CorpusView } from './config-splits';
import { refuseUnknownFields } from './config/experiment-config';
import { evaluateExperiment } from './evaluate-experiment';
import {
  EXPERIMENT_FILES,
  clearPreviousRun,
  ensureDir,
  experimentDir,
  inspectExperimentFolder,
  recordCorpusLocation,
  removeStrayTempFiles,
} from './experiment-folder';
import { ExperimentLog } from './experiment-log';
import { updateMetrics } from './experiment-metrics';
import { writeExperimentConfig, writeExperimentLabels, writeTaskFile } from './experiment-records';
import type { ExperimentTask, TaskRegistry } from './experiment-task';
import { storedFilesOf, taskFor } from './experiment-task';

export interface TrainExperimentOptions extends LongOperationOptions {
  /** The data folder: corpora by name, the feature cache, experiments by name. */
  dataDir: string;
  /** The tasks a config may name. */
  tasks: TaskRegistry;
  outDir?: string;
  /** The corpus folder, already resolved (API jobs: inside the data folder); default: config.corpus. */
  corpusDir?: string;
  /** Continue from the experiment's last checkpoint (a cancelled or crashed run). */
  resume?: boolean;
  /**
   * A new run may replace a previous run of an experiment in the folder (its files, listed by
   * inspectExperimentFolder). Without it such a folder is refused. A folder that is not an
   * experiment is always refused, whatever this says.
   */
  replace?: boolean;
}

export interface TrainExperimentResult<C = CommonExperimentConfig, R = unknown> {
  dir: string;
  config: C;
  labels: string[];
  training: TrainResult;
  /** The task's evaluation of the best model on the test selection. */
  evaluation: R;
  /** Its headline figure (accuracy, frame accuracy, ...). */
  headline: number;
  /** What the run found worth telling (held-out parts too small to say much). */
  warnings: string[];
}

/**
 * The corpus read and checked against the config (the task first: a corpus of the wrong kind is
 * the first thing to hear about), and the view the task reads: with a held-out division, a
 * corpus whose splits are its parts. `view` has no corpus: `takeCorpus` hands it over once and
 * lets it go, so that after the task has made its training plan nothing holds it (a text corpus
 * is ~100 MB of objects, which every full garbage collection during training would walk).
 */
async function readCheckedCorpus(
  task: ExperimentTask,
  requested: CommonExperimentConfig,
  corpusDir: string,
): Promise<{
  config: CommonExperimentConfig;
  view: Omit<CorpusView<CommonExperimentConfig>, 'corpus'>;
  takeCorpus: () => Corpus;
}> {
  const read = await readCorpus(corpusDir);
  // config.json records the division the run used, the declared default included.
  const config = withHeldOutDefault(requested, read);
  task.checkCorpus(read, config);
  checkConfigSplits(read, config);
  const { corpus: viewed, ...view } = dataViewOf(read, config);
  let corpus: Corpus | null = viewed;
  const takeCorpus = (): Corpus => {
    if (!corpus) throw new Error('The corpus was already handed to the task.');
    const taken = corpus;
    corpus = null;
    return taken;
  };
  return { config, view, takeCorpus };
}

/**
 * Trains an experiment of any task from its config into `<dataDir>/experiments/<name>/` (or
 * `outDir`): writes config.json first, then the task's labels and files, training with
 * checkpoints, the best model in model/, one log line per epoch, and finally evaluates on the
 * test selection. Re-running the same config.json on the same backend gives the same numbers
 * (seeded initialisation, shuffling and dropout).
 */
export async function trainExperiment(
  input: unknown,
  options: TrainExperimentOptions,
): Promise<TrainExperimentResult> {
  const taskName = (input as { task?: unknown } | null)?.task;
  const task = taskFor(options.tasks, typeof taskName === 'string' ? taskName : '');
  const requested = task.parseConfig(input);
  refuseUnknownFields(input, requested, task.name);
  const taskFiles = storedFilesOf(options.tasks);
  const dir = options.outDir ?? experimentDir(requested.name, options.dataDir);
  // Everything that can be checked is checked before anything is computed or written.
  const folder = await inspectExperimentFolder(dir, taskFiles);
  if (folder.kind === 'other')
    throw new UnfoldError(
      'EXPERIMENT_FOLDER_NOT_EMPTY',
      `${dir} is not empty and is not an Unfold experiment: Unfold will not write into it or delete anything there. Choose a new or empty folder.`,
    );
  if (options.resume === true && folder.kind !== 'experiment')
    throw new UnfoldError(
      'EXPERIMENT_NOT_FOUND',
      `There is no experiment to resume in ${dir}. Start it without resuming.`,
    );
  if (folder.kind === 'experiment' && options.resume !== true && options.replace !== true)
    throw new UnfoldError(
      'EXPERIMENT_EXISTS',
      `${dir} already holds an experiment (${folder.runFiles.length} files of its run). Continue it with --resume, or start it over with --force (which deletes those files).`,
    );
  const corpusDir = options.corpusDir ?? (await findCorpusDir(requested.corpus, options.dataDir));
  const { config, view, takeCorpus } = await readCheckedCorpus(task, requested, corpusDir);
  const warnings = smallPartWarnings(view.sizes, config.data.dev !== null);
  if (folder.kind === 'experiment') await removeStrayTempFiles(dir, { taskFiles });
  const checkpoints = join(dir, EXPERIMENT_FILES.checkpoints);
  const resume = options.resume === true && (await checkpointFolder(checkpoints, 'last')) !== null;
  const backend = await initTfBackend();
  // A re-run starts clean: an old model or checkpoint must not be mistaken for this run's.
  // A resumed run keeps its checkpoints and log and carries on from the last checkpoint.
  if (folder.kind === 'experiment') await clearPreviousRun(dir, taskFiles, { resume });
  await ensureDir(dir);
  await writeExperimentConfig(dir, config);
  await recordCorpusLocation(dir, { dataDir: resolve(options.dataDir), corpusDir });
  const log = await ExperimentLog.open(dir, !resume, {
    // Epochs logged after the checkpoint being resumed were lost with the process: drop them.
    epochsAfter: resume ? await checkpointEpoch(checkpoints, 'last') : null,
  });
  await log.append({
    type: resume ? 'resume' : 'start',
    time: new Date().toISOString(),
    backend: backend.name,
  });

  const trained = async (): Promise<{ labels: string[]; training: TrainResult }> => {
    const plan = await task.prepareTraining(takeCorpus(), view.config, {
      dataDir: options.dataDir,
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: scaledProgress(options.onProgress, 0, 0.15),
    });
    await writeExperimentLabels(dir, plan.labels);
    for (const [name, bytes] of Object.entries(plan.files)) await writeTaskFile(dir, name, bytes);

    const model = new RnnModel(plan.model);
    // Pre-trained values (word vectors from a file); a resumed run's checkpoint replaces them.
    for (const [name, values] of Object.entries(plan.initialParams ?? {}))
      model.setParam(name, values);
    let training: TrainResult;
    try {
      training = await trainModel(
        model,
        plan.train,
        plan.dev,
        {
          ...config.training,
          // Without a dev set the engine monitors the training figures; training accuracy
          // saturates at 1 early and would keep that epoch as "best": the loss keeps falling.
          monitor: config.training.monitor ?? (plan.dev ? 'accuracy' : 'loss'),
          seed: config.training.seed ?? config.seed,
          checkpointDir: checkpoints,
          resume,
        },
        {
          ...(options.signal ? { signal: options.signal } : {}),
          onProgress: scaledProgress(options.onProgress, 0.15, 0.95),
          // Logged before the epoch's checkpoint is committed (see trainModel).
          onEpochEnd: (record) =>
            log.append({
              type: 'epoch',
              time: new Date().toISOString(),
              ...Object.fromEntries(
                Object.entries(record).filter(
                  (e): e is [string, number] => typeof e[1] === 'number',
                ),
              ),
            }),
        },
      );
    } finally {
      model.dispose();
    }
    const best =
      (await checkpointFolder(checkpoints, 'best')) ??
      (await checkpointFolder(checkpoints, 'last'));
    if (!best)
      throw new UnfoldError('SPEECH_NO_CHECKPOINT', 'Training finished without a checkpoint.');
    const bestModel = await loadModel(join(best, 'model.json'));
    try {
      await ensureDir(join(dir, EXPERIMENT_FILES.modelFolder));
      await saveModel(bestModel, join(dir, EXPERIMENT_FILES.model));
    } finally {
      bestModel.dispose();
    }
    await updateMetrics(dir, {
      backend: backend.name,
      training: {
        epochs: training.history.length,
        bestEpoch: training.bestEpoch,
        bestMetric: training.bestMetric,
        monitor: training.monitor,
        stoppedEarly: training.stoppedEarly,
        ...plan.summary,
        ...(config.data.heldOut ? { heldOut: { ...config.data.heldOut, items: view.sizes } } : {}),
        ...(warnings.length > 0 ? { warnings } : {}),
        final: training.history[training.history.length - 1] ?? null,
      },
    });
    return { labels: plan.labels.labels, training };
  };
  let labels: string[];
  let training: TrainResult;
  try {
    ({ labels, training } = await trained());
  } catch (error) {
    await log
      .append({
        type: 'end',
        time: new Date().toISOString(),
        status: isAbortError(error) ? 'cancelled' : 'failed',
        error: error instanceof Error ? error.message : String(error),
      })
      .catch(() => undefined);
    throw error;
  }
  await log.append({
    type: 'end',
    time: new Date().toISOString(),
    status: 'done',
    bestEpoch: training.bestEpoch,
  });
  const evaluated = await evaluateExperiment(dir, {
    dataDir: options.dataDir,
    tasks: options.tasks,
    corpusDir,
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: scaledProgress(options.onProgress, 0.95, 1),
  });
  return {
    dir,
    config,
    labels,
    training,
    evaluation: evaluated.result,
    headline: evaluated.headline,
    warnings,
  };
}
