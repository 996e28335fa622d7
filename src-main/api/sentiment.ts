/**
 * What the sentence classification task shows: a sentence's label with the probability of
 * every class, and how much each token moved the decision. Plain types, shared by main, the
 * CLI and the renderer.
 */
import type { TextTokenData } from './text';

/**
 * The longest text a client may send to be classified at once. Attributions run the sentence
 * once more per token in one batch, so the cost grows with the square of its length: a
 * paragraph, not an article.
 */
export const MAX_CLASSIFY_TEXT_LENGTH = 1_000;

export interface LabelProbability {
  label: string;
  probability: number;
}

export interface AttributedToken extends TextTokenData {
  /**
   * Leave-one-out: the predicted label's probability minus its probability with this token
   * replaced by the unknown word. Positive: the token speaks for the label.
   */
  attribution: number;
  /** Whether training never saw the word. */
  unseen: boolean;
}

export interface ClassifiedText {
  /** The experiment that classified it. */
  experiment: string;
  text: string;
  /** Null when the text has no token (nothing to classify). */
  label: string | null;
  probability: number | null;
  /** Every label of the model, in its output order. */
  probabilities: LabelProbability[];
  /** Empty without attributions (or without tokens). */
  tokens: AttributedToken[];
  /** How `attribution` was computed. */
  attributionMethod: 'leave-one-out-unknown-word';
}

/** One evaluated sentence (an item of predictions.json). */
export interface SentencePrediction {
  utteranceId: string;
  text: string;
  tokens: string[];
  reference: string;
  predicted: string;
  probability: number;
  top: LabelProbability[];
  correct: boolean;
  /** The same words (lower-cased) are a training sentence too. */
  inTraining: boolean;
}
