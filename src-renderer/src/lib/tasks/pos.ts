/**
 * The part-of-speech task in the generic views: a tag per word of a sentence. Its items are
 * text, with no audio: Evaluate lists each sentence whole, with gold and predicted tags.
 */
import type { EvaluationPrediction } from '@api/experiments';
import {
  asTaggedSentence,
  hasConfusion,
  sentencesWithErrors,
  taggedSentences,
} from '../text/tagged-sentences';
import type { TaskView } from './task-view';

/** How many sentences with errors Evaluate lists. */
const REVIEW_LISTED = 50;

/** The sentences of a confusion cell: those where a token of gold `reference` was tagged `predicted`. */
export function sentencesForCell(
  predictions: readonly EvaluationPrediction[],
  reference: string,
  predicted: string,
): EvaluationPrediction[] {
  const confusion = { gold: reference, predicted };
  return predictions.filter((p) => {
    const sentence = asTaggedSentence(p);
    return sentence !== null && hasConfusion(sentence, confusion);
  });
}

export const POS_VIEW: TaskView<'pos'> = {
  task: 'pos',
  label: 'POS tagging',
  evaluate: {
    headline: ['tokenAccuracy', 'unseenAccuracy', 'sentenceAccuracy', 'sentences'],
    itemNoun: 'sentences',
    cellItems: sentencesForCell,
    review: {
      select: (predictions) => {
        const worst = sentencesWithErrors(taggedSentences(predictions)).slice(0, REVIEW_LISTED);
        const byId = new Map(predictions.map((p) => [p.utteranceId, p]));
        return worst.flatMap((s) => byId.get(s.utteranceId) ?? []);
      },
      heading: (count) => `Sentences with errors, most errors first: ${count}`,
      testid: 'error-sentence',
      allClear: { text: 'Every sentence was tagged right.', testid: 'no-error-sentences' },
    },
    inspector: null,
    runFile: null,
  },
  train: {
    form: 'tagging',
    choiceLabel: 'POS tags (per word)',
    // Tagged sentences: CoNLL-U treebanks, and Brown (imported as CoNLL-U with XPOS tags).
    corpora: { kind: 'text', formats: ['conllu'] },
    usesPooling: false,
    needsPhoneAlignments: false,
    bidirectionalWarning: null,
  },
  tableColumns: [],
  live: null,
  text: 'tagging',
};
