import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { featureDims } from '../audio/feature-config';
import { initTfBackend } from '../backend/tf-backend';
import { findCorpusDir } from '../corpus/corpus-paths';
import { PHONE_FOLDING_FILE, PHONE_FOLDING_NAME } from '../corpus/phone-folding';
import { readCorpus } from '../corpus/store/read-corpus';
import { UnfoldError, isAbortError, throwIfAborted } from '../errors';
import { writeFileAtomically, writeJsonAtomically } from '../fs/atomic-write';
import { checkpointEpoch, checkpointFolder } from '../rnn/checkpoints';
import { loadModel, saveModel } from '../rnn/model-io';
import { RnnModel } from '../rnn/rnn-model';
import { trainModel } from '../rnn/train';
import type { TrainResult } from '../rnn/train';
import { phoneLabelSet, selectUtterances, wordLabelSet } from './dataset';
import type { ExperimentConfig, ExperimentConfigInput } from './experiment-config';
import { parseExperimentConfig } from './experiment-config';
import type { ExperimentLabels } from './experiment-store';
import {
  EXPERIMENT_FILES,
  EXPERIMENT_RUN_ENTRIES,
  ExperimentLog,
  ensureDir,
  experimentDir,
  inspectExperimentFolder,
  recordCorpusLocation,
  removeStrayTempFiles,
  updateMetrics,
} from './experiment-store';
import type { PhoneEvaluation } from './evaluate-phones';
import type { WordEvaluation } from './evaluate-words';
import { GAP_PHONE } from './frame-labels';
import { evaluateExperiment } from './evaluate-experiment';
import {
  checkConfigSplits,
  featureConfigOf,
  loadSelection,
  modelConfigFor,
  momentsOf,
  scaled,
  toExamples,
} from './experiment-data';
import type { SpeechOperationOptions } from './experiment-data';

/** What a resumed run keeps of the interrupted one; everything else of a run is redone. */
const KEPT_ON_RESUME = new Set<string>([EXPERIMENT_FILES.checkpoints, EXPERIMENT_FILES.log]);

export interface TrainExperimentResult {
  dir: string;
  config: ExperimentConfig;
  labels: string[];
  training: TrainResult;
  evaluation: WordEvaluation | PhoneEvaluation;
}

/**
 * Trains an experiment from its config into `<dataDir>/experiments/<name>/` (or `outDir`):
 * writes config.json first, then features (cached), training with checkpoints, the best model
 * in model/, one log line per epoch, and finally evaluates on the test selection. Re-running
 * the same config.json on the same backend gives the same numbers (seeded initialisation,
 * shuffling and dropout; features without dither).
 */
export async function trainExperiment(
  input: ExperimentConfigInput | ExperimentConfig,
  options: SpeechOperationOptions & {
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
  },
): Promise<TrainExperimentResult> {
  const config = parseExperimentConfig(input);
  const dir = options.outDir ?? experimentDir(config.name, options.dataDir);
  // Everything that can be checked is checked before anything is computed or written.
  const folder = await inspectExperimentFolder(dir);
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
  const corpusDir = options.corpusDir ?? (await findCorpusDir(config.corpus, options.dataDir));
  const corpus = await readCorpus(corpusDir);
  checkConfigSplits(corpus, config);
  if (folder.kind === 'experiment') await removeStrayTempFiles(dir);
  const resume =
    options.resume === true &&
    (await checkpointFolder(join(dir, EXPERIMENT_FILES.checkpoints), 'last')) !== null;
  const backend = await initTfBackend();
  // A re-run starts clean: an old model or checkpoint must not be mistaken for this run's.
  // A resumed run keeps its checkpoints and log and carries on from the last checkpoint.
  if (folder.kind === 'experiment')
    for (const stale of EXPERIMENT_RUN_ENTRIES) {
      if (resume && KEPT_ON_RESUME.has(stale)) continue;
      await rm(join(dir, stale), { recursive: true, force: true });
    }
  await ensureDir(dir);
  await writeJsonAtomically(join(dir, EXPERIMENT_FILES.config), config);
  await recordCorpusLocation(dir, { dataDir: resolve(options.dataDir), corpusDir });
  const checkpoints = join(dir, EXPERIMENT_FILES.checkpoints);
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
    const trainUtterances = selectUtterances(corpus, config.data.train);
    const labels =
      config.task === 'words'
        ? wordLabelSet(corpus, trainUtterances)
        : phoneLabelSet(corpus, trainUtterances);
    const train = await loadSelection(
      corpus,
      config,
      config.data.train,
      labels,
      options,
      scaled(options.onProgress, 0, 0.1),
      { augment: true },
    );
    const dev = config.data.dev
      ? await loadSelection(
          corpus,
          config,
          config.data.dev,
          labels,
          options,
          scaled(options.onProgress, 0.1, 0.15),
        )
      : null;
    throwIfAborted(options.signal);
    const features = featureConfigOf(config);
    const dims = featureDims(features);
    // Moments of the un-normalised training features: the prior of the live normaliser.
    const moments = momentsOf(train.rawStats);
    const labelFile: ExperimentLabels = {
      task: config.task,
      labels,
      inputDims: dims,
      featureMean: moments.mean,
      featureStd: moments.std,
    };
    await writeJsonAtomically(join(dir, EXPERIMENT_FILES.labels), labelFile);
    if (config.task === 'phones') {
      const folding = await readFileBytes(join(corpus.dir, PHONE_FOLDING_NAME)).catch(() =>
        readFileBytes(PHONE_FOLDING_FILE),
      );
      await writeFileAtomically(join(dir, PHONE_FOLDING_NAME), folding);
    }

    const gap = Math.max(0, labels.indexOf(GAP_PHONE));
    const model = new RnnModel(modelConfigFor(config, dims, labels.length));
    let training: TrainResult;
    try {
      training = await trainModel(
        model,
        toExamples(train.items, config.task, labels, gap),
        dev ? toExamples(dev.items, config.task, labels, gap) : null,
        {
          ...config.training,
          // Without a dev set the engine monitors the training figures; training accuracy
          // saturates at 1 early and would keep that epoch as "best": the loss keeps falling.
          monitor: config.training.monitor ?? (dev ? 'accuracy' : 'loss'),
          seed: config.training.seed ?? config.seed,
          checkpointDir: checkpoints,
          resume,
        },
        {
          signal: options.signal,
          onProgress: scaled(options.onProgress, 0.15, 0.95),
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
      await ensureDir(join(dir, 'model'));
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
        stoppedEarly: training.stoppedEarly,
        trainUtterances: train.items.length,
        devUtterances: dev?.items.length ?? 0,
        skipped: [...train.skipped, ...(dev?.skipped ?? [])],
        final: training.history[training.history.length - 1] ?? null,
      },
    });
    return { labels, training };
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
  const evaluation = await evaluateExperiment(dir, {
    dataDir: options.dataDir,
    corpusDir,
    signal: options.signal,
    onProgress: scaled(options.onProgress, 0.95, 1),
  });
  return { dir, config, labels, training, evaluation };
}

function readFileBytes(path: string): Promise<Uint8Array> {
  return readFile(path);
}
