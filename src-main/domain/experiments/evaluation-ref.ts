/**
 * Which evaluation of an experiment: a split of its own corpus (corpus null) or of another
 * corpus, by name. Plain data and rules, no Node import (the API re-exports them).
 */
export interface EvaluationRef {
  corpus: string | null;
  split: string;
}

/** The key of an evaluation in metrics.json: `<split>`, or `<corpus>/<split>` (names hold no slash). */
export function evaluationKey(ref: EvaluationRef): string {
  return ref.corpus === null ? ref.split : `${ref.corpus}/${ref.split}`;
}

/** How a view names an evaluation: "test", or "test of other-corpus". */
export function evaluationLabel(ref: EvaluationRef): string {
  return ref.corpus === null ? ref.split : `${ref.split} of ${ref.corpus}`;
}
