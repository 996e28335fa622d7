/** How the Evaluate view and the inspector ask the server about one evaluation. */
import type { EvaluationRef } from '@api/experiments';

/**
 * The `split` of a request about an evaluation (experiments:evaluation, experiments:posteriorgram)
 * and, for an evaluation on another corpus, its `corpus`: without one the server reads the
 * experiment's own.
 */
export function evaluationParams(ref: EvaluationRef): { split: string; corpus?: string } {
  return ref.corpus === null ? { split: ref.split } : { split: ref.split, corpus: ref.corpus };
}
