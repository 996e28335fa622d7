/**
 * The isolated-word task (the encoder pattern): one label per utterance from the corpus's
 * word classes, scored with accuracy, rejections and accuracy among accepted answers, per
 * class and per speaker.
 */
import type { WordsConfig } from '../experiments/config/speech-config';
import { WordsConfigSchema } from '../experiments/config/speech-config';
import { parseConfigWith } from '../experiments/config/experiment-config';
import type { ExperimentTask } from '../experiments/experiment-task';
import { wordLabelSet } from './dataset';
import type { WordEvaluation } from './evaluate-words';
import { scoreWordPredictions } from './evaluate-words';
import type { SpeechLabels } from './speech-data';
import { predictSelection, prepareSpeechTraining } from './speech-data';

const LABELLING = { frameLabels: false };

export const wordsTask: ExperimentTask<WordsConfig, SpeechLabels, WordEvaluation> = {
  name: 'words',
  storedFiles: [],
  parseConfig: (value) => parseConfigWith(WordsConfigSchema, value),
  checkCorpus: () => undefined,
  prepareTraining: (corpus, config, options) =>
    prepareSpeechTraining(corpus, config, options, {
      ...LABELLING,
      pattern: 'encoder',
      labelSet: wordLabelSet,
      target: (item, labels) => labels.indexOf(item.text),
      files: () => Promise.resolve({}),
    }),
  async evaluate(input) {
    const { loaded, probabilities } = await predictSelection(input, LABELLING);
    const evaluation = scoreWordPredictions(
      loaded.items,
      probabilities,
      input.labels.labels,
      input.config.rejectThreshold,
    );
    return {
      result: evaluation,
      headline: evaluation.accuracy,
      summary: {
        accuracy: evaluation.accuracy,
        macroF1: evaluation.report.macroF1,
        macroPrecision: evaluation.report.macroPrecision,
        macroRecall: evaluation.report.macroRecall,
        utterances: evaluation.utterances,
        rejected: evaluation.rejected,
        acceptedAccuracy: evaluation.acceptedAccuracy,
      },
      details: {
        perSpeaker: evaluation.perSpeaker,
        perClass: evaluation.report.perClass,
        misrecognised: evaluation.predictions.filter((p) => !p.correct).map((p) => p.utteranceId),
      },
      skipped: loaded.skipped,
      predictions: evaluation.predictions,
      confusion: evaluation.confusion,
    };
  },
};
