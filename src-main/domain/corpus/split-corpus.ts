import { UnfoldError } from '../errors';
import type { SplitMethod } from './manifest';
import { CorpusSession } from './session';
import type { SplitConvention, SplitPlan } from './splits';
import { planConventionSplit, planSpeakerSplit } from './splits';

export type SplitRequest =
  | { by: 'speaker'; fractions?: Record<string, number>; seed?: number }
  | { by: 'convention'; convention: SplitConvention };

export interface SplitResult {
  applied: boolean;
  counts: SplitPlan['counts'];
  /** Utterances whose split changes. */
  moved: number;
}

/**
 * Plans a re-split of a speech corpus and, unless `dryRun`, applies it as one undoable
 * commit. The counts are what the UI shows before the user confirms.
 */
export async function splitCorpus(
  dir: string,
  request: SplitRequest,
  options: { dryRun?: boolean; session?: CorpusSession } = {},
): Promise<SplitResult> {
  const session = options.session ?? (await CorpusSession.open(dir));
  if (session.data.kind !== 'speech')
    throw new UnfoldError(
      'BAD_SPLIT',
      'Text corpora keep the splits of their files; re-split applies to speech corpora.',
    );
  const utterances = session.data.utterances;
  const plan =
    request.by === 'speaker'
      ? planSpeakerSplit(utterances, { fractions: request.fractions, seed: request.seed ?? 0 })
      : planConventionSplit(utterances, request.convention);
  const moved = utterances.filter((u) => plan.assignments.get(u.id) !== u.split).length;
  if (!options.dryRun) {
    const method: SplitMethod =
      request.by === 'speaker'
        ? {
            method: 'speaker',
            seed: request.seed ?? 0,
            ...(request.fractions ? { fractions: request.fractions } : {}),
          }
        : { method: 'convention', convention: request.convention };
    await session.apply({
      type: 'set-splits',
      assignments: Object.fromEntries(plan.assignments),
      method,
    });
  }
  return { applied: !options.dryRun, counts: plan.counts, moved };
}
