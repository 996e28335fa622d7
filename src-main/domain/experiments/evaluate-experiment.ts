import { initTfBackend } from '../backend/tf-backend';
import { findCorpusDir } from '../corpus/corpus-paths';
import { readCorpus } from '../corpus/store/read-corpus';
import { throwIfAborted } from '../errors';
import type { LongOperationOptions } from '../jobs/progress';
import { scaledProgress } from '../jobs/progress';
import { loadModel } from '../rnn/model-io';
import type { DataSelection } from './config/common-config';
import { HELD_OUT_SPLITS } from './config/common-config';
import { dataViewOf } from './config-splits';
import type { EvaluationRef } from './evaluations';
import { storeEvaluation } from './evaluations';
import {
  STRAY_TEMP_FILE_AGE_MS,
  experimentDir,
  experimentModelFile,
  removeStrayTempFiles,
} from './experiment-folder';
import { readCommonConfig, readExperimentLabels, readTaskFile } from './experiment-records';
import type { TaskRegistry } from './experiment-task';
import { storedFilesOf, taskFor } from './experiment-task';

export interface EvaluateExperimentOptions extends LongOperationOptions {
  dataDir: string;
  tasks: TaskRegistry;
  /** Another corpus (name or path) to evaluate on; the experiment's own by default. */
  corpus?: string;
  /** The folder of that corpus (or of the experiment's own), already resolved: wins over `corpus`. */
  corpusDir?: string;
  /**
   * A split of that corpus; the experiment's test selection by default (with a held-out
   * division, its test part: HELD_OUT_SPLITS.test names it too).
   */
  split?: string;
  /** Keep per-item outputs such as phone posteriors (default true). */
  keepItemOutputs?: boolean;
  /** Config settings this evaluation uses instead of the experiment's (e.g. phones' medianWindow). */
  configOverrides?: Record<string, unknown>;
}

export interface ExperimentEvaluationResult<R = unknown> {
  /** Where it is kept (see evaluations.ts). */
  ref: EvaluationRef;
  result: R;
  headline: number;
}

/**
 * Evaluates an experiment's model on a split of its own corpus or of another, and keeps the
 * result under that corpus and split (predictions, confusion, per-item outputs, its record in
 * metrics.json, a log line): evaluating elsewhere never replaces the experiment's own results.
 */
export async function evaluateExperiment(
  dirOrName: string,
  options: EvaluateExperimentOptions,
): Promise<ExperimentEvaluationResult> {
  await initTfBackend();
  const dir = experimentDir(dirOrName, options.dataDir);
  const common = await readCommonConfig(dir);
  const task = taskFor(options.tasks, common.task);
  const config = task.parseConfig({
    ...common,
    ...options.configOverrides,
  });
  await removeStrayTempFiles(dir, {
    olderThanMs: STRAY_TEMP_FILE_AGE_MS,
    taskFiles: storedFilesOf(options.tasks),
  });
  const labels = await readExperimentLabels(dir);
  const onOwnCorpus = options.corpus === undefined || options.corpus === config.corpus;
  const read = await readCorpus(
    options.corpusDir ?? (await findCorpusDir(options.corpus ?? config.corpus, options.dataDir)),
  );
  // The held-out test part exists on the own corpus only: another corpus's items were never
  // trained on, so its whole splits are tested.
  const heldOutTest =
    config.data.heldOut !== null &&
    onOwnCorpus &&
    (options.split === undefined || options.split === HELD_OUT_SPLITS.test);
  const view = heldOutTest ? dataViewOf(read, config) : null;
  const corpus = view?.corpus ?? read;
  const selection: DataSelection = view
    ? view.config.data.test
    : options.split === undefined
      ? config.data.test
      : config.data.test.splits.length === 1 &&
          config.data.test.splits[0] === options.split &&
          onOwnCorpus &&
          config.data.heldOut === null
        ? config.data.test
        : { splits: [options.split] };
  const ref: EvaluationRef = {
    corpus: onOwnCorpus ? null : corpus.manifest.name,
    split: selection.splits.join('+'),
  };
  throwIfAborted(options.signal);
  const model = await loadModel(experimentModelFile(dir));
  let evaluation;
  try {
    evaluation = await task.evaluate({
      corpus,
      config,
      labels,
      model,
      selection,
      dataDir: options.dataDir,
      readStoredFile: (name) => readTaskFile(dir, name),
      keepItemOutputs: options.keepItemOutputs ?? true,
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: scaledProgress(options.onProgress, 0, 0.9),
    });
  } finally {
    model.dispose();
  }
  options.onProgress?.({ fraction: 0.95, message: 'saving the evaluation' });
  const { result, headline, ...record } = evaluation;
  await storeEvaluation(dir, ref, { ...record, corpusDir: corpus.dir });
  options.onProgress?.({ fraction: 1, message: 'evaluation done' });
  return { ref, result, headline };
}
