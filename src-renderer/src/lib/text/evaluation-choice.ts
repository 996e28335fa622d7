/** Which stored evaluation the Text view shows first: the experiment's own dev set, else its test set. */
import type { EvaluationRef } from '@api/experiments';

const PREFERRED_SPLITS = ['dev', 'test'];

export function defaultEvaluation(refs: readonly EvaluationRef[]): EvaluationRef | null {
  const own = refs.filter((r) => r.corpus === null);
  for (const split of PREFERRED_SPLITS) {
    const ref = own.find((r) => r.split === split);
    if (ref) return ref;
  }
  return own[0] ?? refs[0] ?? null;
}
