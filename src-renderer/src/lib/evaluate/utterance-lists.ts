/** The utterance lists of the Evaluate view: what to look at first after an evaluation. */
import type { EvaluationPrediction } from '@api/experiments';

/** Word predictions that are wrong, least confident first (the "not sure" ones lead). */
export function misrecognised(
  predictions: readonly EvaluationPrediction[],
): EvaluationPrediction[] {
  return predictions
    .filter((p) => typeof p.reference === 'string' && p.correct === false)
    .sort(
      (a, b) =>
        (a.probability ?? 0) - (b.probability ?? 0) || a.utteranceId.localeCompare(b.utteranceId),
    );
}

/** Phone predictions by frame accuracy, worst first, at most `limit`. */
export function worstByFrameAccuracy(
  predictions: readonly EvaluationPrediction[],
  limit = 20,
): EvaluationPrediction[] {
  return predictions
    .filter((p) => typeof p.frameAccuracy === 'number')
    .sort(
      (a, b) =>
        (a.frameAccuracy as number) - (b.frameAccuracy as number) ||
        a.utteranceId.localeCompare(b.utteranceId),
    )
    .slice(0, limit);
}

/** A prediction's reference or output as text: words as they are, phone strings joined. */
export function predictionText(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(' ') : (value ?? '');
}

/** The stored top-k of a word prediction (label and probability), if the evaluation kept one. */
export function topLabels(
  prediction: EvaluationPrediction,
): { label: string; probability: number }[] {
  const top = prediction.top;
  if (!Array.isArray(top)) return [];
  return top
    .filter(
      (t): t is { label: string; probability: number } =>
        typeof t === 'object' &&
        t !== null &&
        typeof (t as { label?: unknown }).label === 'string' &&
        typeof (t as { probability?: unknown }).probability === 'number',
    )
    .map((t) => ({ label: t.label, probability: t.probability }));
}

/**
 * The utterances behind a cell: word predictions whose reference and prediction are the
 * cell's labels. Phone predictions are frame-level confusions, so a phone cell lists the
 * utterances whose reference contains the row phone and whose decoding contains the column one.
 */
export function utterancesForCell(
  predictions: readonly EvaluationPrediction[],
  reference: string,
  predicted: string,
): EvaluationPrediction[] {
  return predictions.filter((p) => {
    if (typeof p.reference === 'string')
      return p.reference === reference && p.predicted === predicted;
    return p.reference.includes(reference) && (p.decoded ?? []).includes(predicted);
  });
}
