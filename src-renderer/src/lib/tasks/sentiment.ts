/**
 * The sentence classification task in the generic views: one label per sentence. Its items
 * are text with no audio; Evaluate lists each sentence with its gold and predicted label, the
 * Train view edits it with the classification form, and the Text view classifies typed text.
 */
import { misrecognised, utterancesForCell } from '../evaluate/utterance-lists';
import type { TaskView } from './task-view';

export const SENTIMENT_VIEW: TaskView<'sentiment'> = {
  task: 'sentiment',
  label: 'sentence classification',
  evaluate: {
    headline: ['accuracy', 'sentences'],
    itemNoun: 'sentences',
    cellItems: utterancesForCell,
    review: {
      select: misrecognised,
      heading: (count) => `Misclassified, least confident first: ${count} sentences`,
      testid: 'misclassified-sentence',
      allClear: { text: 'Every sentence was classified right.', testid: 'no-misclassified' },
    },
    inspector: null,
    runFile: null,
  },
  train: {
    form: 'classification',
    choiceLabel: 'Sentence label (sentiment)',
    corpora: { kind: 'text', formats: ['tsv'] },
    usesPooling: true,
    needsPhoneAlignments: false,
    bidirectionalWarning: null,
  },
  tableColumns: [],
  live: null,
  text: 'classification',
};
