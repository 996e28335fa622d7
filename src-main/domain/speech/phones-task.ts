/**
 * The per-frame phone task (the transducer pattern, Robinson 1996): a phone label for every
 * 10 ms frame from the corpus's alignments, scored by frame accuracy (on the training phone
 * set and folded to 39) and the phone error rate of the decoded string; the posteriors of
 * each utterance are kept for the Evaluate view's posteriorgram.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeNpy } from '../audio/npy';
import type { Corpus } from '../corpus/model';
import type { PhoneFolding } from '../corpus/phone-folding';
import { PHONE_FOLDING_FILE, PHONE_FOLDING_NAME, parsePhoneFolding } from '../corpus/phone-folding';
import type { PhonesConfig } from '../experiments/config/speech-config';
import { PhonesConfigSchema } from '../experiments/config/speech-config';
import { parseConfigWith } from '../experiments/config/experiment-config';
import type { ExperimentTask } from '../experiments/experiment-task';
import { phoneLabelSet } from './dataset';
import type { PhoneEvaluation } from './evaluate-phones';
import { scorePhonePredictions } from './evaluate-phones';
import { GAP_PHONE } from './frame-labels';
import type { SpeechLabels } from './speech-data';
import { predictSelection, prepareSpeechTraining } from './speech-data';

const LABELLING = { frameLabels: true };

/** Where each utterance's posteriors are kept in an evaluation (Evaluate's posteriorgram reads them). */
export const POSTERIOR_OUTPUTS = { folder: 'posteriors', extension: '.npy' } as const;

/** The corpus's own folding table when it has one, else Unfold's TIMIT table. */
async function foldingBytes(corpus: Corpus): Promise<Uint8Array> {
  return readFile(join(corpus.dir, PHONE_FOLDING_NAME)).catch(() => readFile(PHONE_FOLDING_FILE));
}

/**
 * The folding a phones model is scored with: the one stored beside it, else Unfold's table
 * (models trained before the folding was stored).
 */
export async function modelPhoneFolding(
  readStoredFile: (name: string) => Promise<Uint8Array | null>,
): Promise<PhoneFolding> {
  const stored = await readStoredFile(PHONE_FOLDING_NAME);
  return stored
    ? parsePhoneFolding(stored, PHONE_FOLDING_NAME)
    : parsePhoneFolding(await readFile(PHONE_FOLDING_FILE), PHONE_FOLDING_FILE);
}

export const phonesTask: ExperimentTask<PhonesConfig, SpeechLabels, PhoneEvaluation> = {
  name: 'phones',
  storedFiles: [PHONE_FOLDING_NAME],
  parseConfig: (value) => parseConfigWith(PhonesConfigSchema, value),
  checkCorpus: () => undefined,
  prepareTraining: (corpus, config, options) =>
    prepareSpeechTraining(corpus, config, options, {
      ...LABELLING,
      pattern: 'transducer',
      labelSet: phoneLabelSet,
      // A phone never seen in training (-1) trains as the gap: dev sets can contain such phones.
      target: (item, labels) => {
        const gap = Math.max(0, labels.indexOf(GAP_PHONE));
        return Int32Array.from(item.frameLabels ?? [], (k) => (k < 0 ? gap : k));
      },
      files: async (corpus) => ({ [PHONE_FOLDING_NAME]: await foldingBytes(corpus) }),
    }),
  async evaluate(input) {
    const { loaded, probabilities } = await predictSelection(input, LABELLING);
    const folding = await modelPhoneFolding(input.readStoredFile);
    const labels = input.labels.labels;
    const evaluation = scorePhonePredictions(
      loaded.items,
      probabilities,
      labels,
      folding,
      input.config.medianWindow,
    );
    return {
      result: evaluation,
      headline: evaluation.frameAccuracy,
      summary: {
        frameAccuracy: evaluation.frameAccuracy,
        frameAccuracy39: evaluation.frameAccuracy39,
        phoneErrorRate: evaluation.phoneErrorRate.rate,
        utterances: evaluation.utterances,
        frames: evaluation.frames,
      },
      details: { phoneErrors: evaluation.phoneErrorRate },
      skipped: loaded.skipped,
      predictions: evaluation.predictions,
      confusion: evaluation.confusion,
      ...(input.keepItemOutputs
        ? {
            itemOutputs: {
              ...POSTERIOR_OUTPUTS,
              items: loaded.items.map((item, i) => {
                const data = probabilities[i] as Float32Array;
                return {
                  id: item.utteranceId,
                  bytes: encodeNpy({
                    data,
                    frames: data.length / labels.length,
                    dims: labels.length,
                  }),
                };
              }),
            },
          }
        : {}),
    };
  },
};
