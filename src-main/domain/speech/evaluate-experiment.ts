import { join } from 'node:path';
import { encodeNpy } from '../audio/npy';
import { initTfBackend } from '../backend/tf-backend';
import { readPhoneFolding, PHONE_FOLDING_NAME } from '../corpus/phone-folding';
import { throwIfAborted } from '../errors';
import { writeFileAtomically, writeJsonAtomically } from '../fs/atomic-write';
import { loadModel } from '../rnn/model-io';
import type { DataSelection } from './experiment-config';
import {
  EXPERIMENT_FILES,
  ExperimentLog,
  ensureDir,
  experimentDir,
  readExperimentConfig,
  readExperimentLabels,
  removeStrayTempFiles,
  STRAY_TEMP_FILE_AGE_MS,
  updateMetrics,
} from './experiment-store';
import { readCorpus } from '../corpus/store/read-corpus';
import type { PhoneEvaluation } from './evaluate-phones';
import { scorePhonePredictions } from './evaluate-phones';
import type { WordEvaluation } from './evaluate-words';
import { scoreWordPredictions } from './evaluate-words';
import { predictProbabilities } from './inference';
import { loadSelection, openCorpus, scaled } from './experiment-data';
import type { SpeechOperationOptions } from './experiment-data';

export interface EvaluateExperimentOptions extends SpeechOperationOptions {
  /** Another corpus (name or path) to evaluate on; the experiment's own by default. */
  corpus?: string;
  /** The folder of that corpus (or of the experiment's own), already resolved: wins over `corpus`. */
  corpusDir?: string;
  /** A split of that corpus; the experiment's test selection by default. */
  split?: string;
  /** Phones: write each utterance's posteriors as eval/<split>/posteriors/<id>.npy (default true). */
  writePosteriors?: boolean;
  /** Phones: the decoding's median window, instead of the experiment's `medianWindow`. */
  medianWindow?: number;
}

/**
 * Evaluates an experiment's model on a split and writes eval/<split>/predictions.json (per
 * utterance, with the audio path), eval/<split>/confusion.json, the summary into
 * metrics.json under evaluations.<split>, and a log line.
 */
export async function evaluateExperiment(
  dirOrName: string,
  options: EvaluateExperimentOptions,
): Promise<WordEvaluation | PhoneEvaluation> {
  await initTfBackend();
  const dir = experimentDir(dirOrName, options.dataDir);
  const config = await readExperimentConfig(dir);
  await removeStrayTempFiles(dir, { olderThanMs: STRAY_TEMP_FILE_AGE_MS });
  const labelFile = await readExperimentLabels(dir);
  const corpus = options.corpusDir
    ? await readCorpus(options.corpusDir)
    : await openCorpus(options.corpus ?? config.corpus, options.dataDir);
  const selection: DataSelection =
    options.split === undefined
      ? config.data.test
      : config.data.test.splits.length === 1 &&
          config.data.test.splits[0] === options.split &&
          !options.corpus
        ? config.data.test
        : { splits: [options.split] };
  const splitName = selection.splits.join('+');
  const loaded = await loadSelection(
    corpus,
    config,
    selection,
    labelFile.labels,
    options,
    scaled(options.onProgress, 0, 0.6),
  );
  throwIfAborted(options.signal);
  const model = await loadModel(join(dir, EXPERIMENT_FILES.model));
  let probabilities: Float32Array[];
  try {
    probabilities = predictProbabilities(
      model,
      loaded.items.map((i) => i.features),
      16,
    );
  } finally {
    model.dispose();
  }
  options.onProgress?.({ fraction: 0.9, message: 'scoring' });
  const outDir = join(dir, EXPERIMENT_FILES.evaluations, splitName);
  await ensureDir(outDir);
  let evaluation: WordEvaluation | PhoneEvaluation;
  let summary: Record<string, unknown>;
  if (config.task === 'words') {
    evaluation = scoreWordPredictions(
      loaded.items,
      probabilities,
      labelFile.labels,
      config.rejectThreshold,
    );
    summary = {
      accuracy: evaluation.accuracy,
      macroF1: evaluation.report.macroF1,
      macroPrecision: evaluation.report.macroPrecision,
      macroRecall: evaluation.report.macroRecall,
      utterances: evaluation.utterances,
      rejected: evaluation.rejected,
      acceptedAccuracy: evaluation.acceptedAccuracy,
      perSpeaker: evaluation.perSpeaker,
      perClass: evaluation.report.perClass,
      misrecognised: evaluation.predictions.filter((p) => !p.correct).map((p) => p.utteranceId),
    };
  } else {
    const folding = await readPhoneFolding(join(dir, PHONE_FOLDING_NAME)).catch(() =>
      readPhoneFolding(),
    );
    evaluation = scorePhonePredictions(
      loaded.items,
      probabilities,
      labelFile.labels,
      folding,
      options.medianWindow ?? config.medianWindow,
    );
    summary = {
      frameAccuracy: evaluation.frameAccuracy,
      frameAccuracy39: evaluation.frameAccuracy39,
      phoneErrorRate: evaluation.phoneErrorRate.rate,
      phoneErrors: evaluation.phoneErrorRate,
      utterances: evaluation.utterances,
      frames: evaluation.frames,
    };
    if (options.writePosteriors ?? true) {
      await ensureDir(join(outDir, 'posteriors'));
      for (const [i, item] of loaded.items.entries()) {
        const data = probabilities[i] as Float32Array;
        await writeFileAtomically(
          join(outDir, 'posteriors', `${item.utteranceId}.npy`),
          encodeNpy({
            data,
            frames: data.length / labelFile.labels.length,
            dims: labelFile.labels.length,
          }),
        );
      }
    }
  }
  const { predictions, confusion } = evaluation;
  await writeJsonAtomically(join(outDir, 'predictions.json'), {
    corpus: corpus.dir,
    split: splitName,
    predictions,
  });
  await writeJsonAtomically(join(outDir, 'confusion.json'), confusion);
  const record = {
    corpus: corpus.dir,
    split: splitName,
    skipped: loaded.skipped,
    time: new Date().toISOString(),
    ...summary,
  };
  await updateMetrics(dir, { evaluations: { [splitName]: record } });
  const log = await ExperimentLog.open(dir, false);
  const {
    perSpeaker: _p,
    perClass: _c,
    misrecognised: _m,
    phoneErrors: _e,
    ...brief
  } = record as Record<string, unknown>;
  await log.append({ type: 'evaluation', ...brief, time: record.time, split: splitName });
  options.onProgress?.({ fraction: 1, message: 'evaluation done' });
  return evaluation;
}
