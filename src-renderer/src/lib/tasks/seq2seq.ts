/**
 * The sequence-to-sequence task in the generic views: its evaluated items are sources (a word,
 * a sentence) with the model's best output and the closest reference; Evaluate lists the wrong
 * ones, and a confusion cell (for g2p: a reference phone and what the output has in its place,
 * ∅ a gap) lists the items whose alignment has it. Trained in the Train view or with
 * `unfold train --task seq2seq`. The Text view decodes typed text with it (the beam's n-best
 * outputs, and with attention where each output step looked) and lists the worst test items with
 * their errors aligned.
 */
import type { EvaluationPrediction } from '@api/experiments';
import { misrecognised } from '../evaluate/utterance-lists';
import type { TaskView } from './task-view';

/** The gap symbol of the stored confusion matrix (score-seq2seq.ts). */
const GAP = '∅';

interface AlignmentStep {
  ref: string | null;
  hyp: string | null;
}

function alignmentOf(prediction: EvaluationPrediction): AlignmentStep[] {
  return Array.isArray(prediction.alignment) ? (prediction.alignment as AlignmentStep[]) : [];
}

export const SEQ2SEQ_VIEW: TaskView<'seq2seq'> = {
  task: 'seq2seq',
  label: 'sequence to sequence',
  evaluate: {
    headline: ['phoneErrorRate'],
    itemNoun: 'items',
    cellItems: (predictions, reference, predicted) =>
      predictions.filter((p) =>
        alignmentOf(p).some(
          (step) => (step.ref ?? GAP) === reference && (step.hyp ?? GAP) === predicted,
        ),
      ),
    review: {
      select: misrecognised,
      heading: (count) => `Outputs matching no reference: ${count}`,
      testid: 'seq2seq-wrong-item',
      allClear: { text: 'Every output matches a reference.', testid: 'no-seq2seq-errors' },
    },
    inspector: null,
    runFile: null,
  },
  train: {
    form: 'seq2seq',
    choiceLabel: 'Sequence to sequence (spelling to phones, sentence pairs)',
    corpora: { kind: 'text', formats: ['pairs'] },
    usesPooling: false,
    needsPhoneAlignments: false,
    // A bidirectional encoder layer hands both final states to the decoder through a bridge.
    bidirectionalWarning: null,
  },
  tableColumns: [],
  live: null,
  text: 'sequence-to-sequence',
};
