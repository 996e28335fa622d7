/**
 * The language-model task in the generic views: its headline is perplexity (bits per character
 * too for a character model), lower is better, beside the Kneser-Ney and unigram baselines; its
 * evaluated items are sentences, each with the model's perplexity on it, and Evaluate lists the
 * least predictable first. It has no confusion matrix, is trained from the Train view's
 * language-model form (or `unfold train --task lm`), and the Text view reads typed text with it
 * and generates.
 */
import type { EvaluationPrediction } from '@api/experiments';
import type { TaskView } from './task-view';

/** How many sentences Evaluate lists. */
const REVIEW_LISTED = 50;

const perplexityOf = (p: EvaluationPrediction): number =>
  typeof p.perplexity === 'number' ? p.perplexity : 0;

export const LM_VIEW: TaskView<'lm'> = {
  task: 'lm',
  label: 'language model',
  evaluate: {
    headline: [
      'perplexity',
      'bitsPerCharacter',
      'kneserNeyPerplexity',
      'unigramPerplexity',
      'sentences',
    ],
    itemNoun: 'sentences',
    // A language model predicts no labels: there is no confusion matrix and so no cell.
    cellItems: () => [],
    review: {
      select: (predictions) =>
        [...predictions].sort((a, b) => perplexityOf(b) - perplexityOf(a)).slice(0, REVIEW_LISTED),
      heading: (count) => `Least predictable sentences, highest perplexity first: ${count}`,
      testid: 'lm-sentence',
      allClear: null,
    },
    inspector: null,
    runFile: null,
  },
  train: {
    form: 'language-model',
    choiceLabel: 'Language model (next word or character)',
    corpora: { kind: 'text', formats: ['plain', 'tsv', 'conllu'] },
    usesPooling: false,
    needsPhoneAlignments: false,
    bidirectionalWarning:
      'A language model reads the past only: its layers cannot be bidirectional.',
    // Next-unit accuracy says little about a language model; its loss is nats per unit.
    lossFigure: (config) => (config.level === 'char' ? 'bitsPerCharacter' : 'perplexity'),
  },
  tableColumns: [],
  live: null,
  text: 'language-model',
};
