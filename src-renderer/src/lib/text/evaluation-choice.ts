/**
 * Which stored evaluation the Text view shows first: of the experiment's own corpus, the first
 * of the mode's preferred splits it has (a tagger's dev set, a classifier's test sentences),
 * else any of its own, else any. A run on a corpus of one split was evaluated on its held-out
 * parts (HELD_OUT_SPLITS), which stand for the dev and test splits it lacks; a run has either
 * those parts or the splits, so their order between them only matters for odd folders.
 */
import { HELD_OUT_SPLITS } from '@api/experiment-config';
import type { EvaluationRef } from '@api/experiments';
import type { TextMode } from '../tasks/task-view';

/** The splits each mode shows first, in order. */
export const PREFERRED_SPLITS: Readonly<Record<TextMode, readonly string[]>> = {
  tagging: [HELD_OUT_SPLITS.dev, 'dev', HELD_OUT_SPLITS.test, 'test'],
  // The test sentences the model got most confidently wrong are the list worth reading.
  classification: [HELD_OUT_SPLITS.test, 'test', HELD_OUT_SPLITS.dev, 'dev'],
  'language-model': [HELD_OUT_SPLITS.test, 'test', HELD_OUT_SPLITS.dev, 'dev'],
  'sequence-to-sequence': [HELD_OUT_SPLITS.test, 'test', HELD_OUT_SPLITS.dev, 'dev'],
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
