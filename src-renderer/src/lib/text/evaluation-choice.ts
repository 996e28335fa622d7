/**
 * Which stored evaluation the Text view shows first: of the experiment's own corpus, the first
 * of the mode's preferred splits it has (a tagger's dev set, a classifier's test sentences),
 * else any of its own, else any.
 */
import type { EvaluationRef } from '@api/experiments';
import type { TextMode } from '../tasks/task-view';

/** The splits each mode shows first, in order. */
export const PREFERRED_SPLITS: Readonly<Record<TextMode, readonly string[]>> = {
  tagging: ['dev', 'test'],
  // The test sentences the model got most confidently wrong are the list worth reading.
  classification: ['test', 'dev'],
};

export function defaultEvaluation(
  refs: readonly EvaluationRef[],
  preferred: readonly string[] = PREFERRED_SPLITS.tagging,
): EvaluationRef | null {
  const own = refs.filter((r) => r.corpus === null);
  for (const split of preferred) {
    const ref = own.find((r) => r.split === split);
    if (ref) return ref;
  }
  return own[0] ?? refs[0] ?? null;
}
