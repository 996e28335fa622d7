/**
 * The evaluated sentences of a sentence classifier, as the Text view lists them: those of a
 * confusion-matrix cell, and the test sentences it got most confidently wrong (a wrong answer
 * given with high probability says more about the model than one it hesitated over).
 */
import type { EvaluationPrediction } from '@api/experiments';

/** One evaluated sentence as the lists show it (from SentencePrediction in predictions.json). */
export interface ClassifiedSentence {
  utteranceId: string;
  text: string;
  gold: string;
  predicted: string;
  /** The predicted label's probability. */
  probability: number;
  correct: boolean;
  /** The same words (lower-cased) are a training sentence too. */
  inTraining: boolean;
}

/** A prediction as a classified sentence, or null when it is not one (speech, tagging). */
export function asClassifiedSentence(prediction: EvaluationPrediction): ClassifiedSentence | null {
  const { utteranceId, text, reference, predicted, probability, inTraining } = prediction;
  if (
    typeof text !== 'string' ||
    typeof reference !== 'string' ||
    typeof predicted !== 'string' ||
    typeof probability !== 'number'
  )
    return null;
  return {
    utteranceId,
    text,
    gold: reference,
    predicted,
    probability,
    correct: reference === predicted,
    inTraining: inTraining === true,
  };
}

/** The classified sentences among predictions, in their order (others are left out). */
export function classifiedSentences(
  predictions: readonly EvaluationPrediction[],
): ClassifiedSentence[] {
  return predictions.flatMap((p) => asClassifiedSentence(p) ?? []);
}

/** How many of the most confidently wrong sentences the Text view lists. */
export const CONFIDENTLY_WRONG_LISTED = 20;

/** The wrong sentences, most probable answer first (then by id), at most `limit`. */
export function mostConfidentlyWrong(
  sentences: readonly ClassifiedSentence[],
  limit = CONFIDENTLY_WRONG_LISTED,
): ClassifiedSentence[] {
  return sentences
    .filter((s) => !s.correct)
    .sort((a, b) => b.probability - a.probability || a.utteranceId.localeCompare(b.utteranceId))
    .slice(0, limit);
}

/** "87.3%": a probability as the lists write it. */
export function percentText(probability: number): string {
  return `${(probability * 100).toFixed(1)}%`;
}
