import { UnfoldError } from '../errors';
import { compareCodePoints } from './formats/utf8';
import type { Utterance } from './model';
import { mulberry32 } from '../seeded-random';

export interface SplitCounts {
  utterances: number;
  speakers: number;
  /** Total seconds, when durations are known. */
  seconds?: number;
}

export interface SplitPlan {
  /** utterance id -> split name */
  assignments: Map<string, string>;
  counts: Record<string, SplitCounts>;
}

export const DEFAULT_SPLIT_FRACTIONS: Readonly<Record<string, number>> = {
  train: 0.8,
  dev: 0.1,
  test: 0.1,
};

function countPlan(
  utterances: readonly Pick<Utterance, 'id' | 'speaker'>[],
  assignments: Map<string, string>,
): Record<string, SplitCounts> {
  const counts: Record<string, SplitCounts> = {};
  const speakers: Record<string, Set<string>> = {};
  for (const u of utterances) {
    const split = assignments.get(u.id);
    if (split === undefined) continue;
    counts[split] ??= { utterances: 0, speakers: 0 };
    counts[split].utterances++;
    (speakers[split] ??= new Set()).add(u.speaker);
  }
  for (const [split, set] of Object.entries(speakers))
    if (counts[split]) counts[split].speakers = set.size;
  return counts;
}

/**
 * Assigns whole speakers to splits so that no speaker is in two splits (testing on unseen
 * voices). Speakers are shuffled with the seed, then each goes to the split furthest below
 * its target share of utterances; every split with a share gets at least one speaker when
 * there are enough speakers.
 */
export function planSpeakerSplit(
  utterances: readonly Pick<Utterance, 'id' | 'speaker'>[],
  options: { fractions?: Record<string, number>; seed?: number } = {},
): SplitPlan {
  const fractions = Object.entries(options.fractions ?? DEFAULT_SPLIT_FRACTIONS).filter(
    ([, f]) => f > 0,
  );
  const total = fractions.reduce((sum, [, f]) => sum + f, 0);
  if (fractions.length === 0 || !(total > 0))
    throw new UnfoldError('BAD_SPLIT', 'Give at least one split with a positive fraction.');
  const perSpeaker = new Map<string, string[]>();
  for (const u of utterances)
    perSpeaker.set(u.speaker, [...(perSpeaker.get(u.speaker) ?? []), u.id]);
  const speakers = [...perSpeaker.keys()].sort(compareCodePoints);
  const random = mulberry32(options.seed ?? 0);
  for (let i = speakers.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [speakers[i], speakers[j]] = [speakers[j] as string, speakers[i] as string];
  }
  const assigned: Record<string, number> = Object.fromEntries(fractions.map(([name]) => [name, 0]));
  const assignments = new Map<string, string>();
  // Smallest shares first get one speaker each, so small test sets are not left empty.
  const bySize = [...fractions].sort((a, b) => a[1] - b[1]);
  speakers.forEach((speaker, index) => {
    const ids = perSpeaker.get(speaker) ?? [];
    let split: string;
    if (index < bySize.length && speakers.length >= bySize.length) {
      split = (bySize[index] as [string, number])[0];
    } else {
      const done = Object.values(assigned).reduce((a, b) => a + b, 0) + ids.length;
      split = fractions
        .map(([name, f]) => ({ name, deficit: (f / total) * done - (assigned[name] ?? 0) }))
        .sort((a, b) => b.deficit - a.deficit)[0]?.name as string;
    }
    assigned[split] = (assigned[split] ?? 0) + ids.length;
    for (const id of ids) assignments.set(id, split);
  });
  return { assignments, counts: countPlan(utterances, assignments) };
}

/** Split conventions of known data sets, applied to utterance ids. */
export const SPLIT_CONVENTIONS = {
  /** Free Spoken Digit Dataset: takes 0-4 of each speaker and digit are test, 5-49 train. */
  fsdd: (utterance: Pick<Utterance, 'id'>): string => {
    const take = Number(/_(\d+)$/.exec(utterance.id)?.[1]);
    if (!Number.isInteger(take)) {
      throw new UnfoldError(
        'BAD_SPLIT',
        `${utterance.id} does not end with _<take>, so the FSDD convention cannot place it.`,
      );
    }
    return take <= 4 ? 'test' : 'train';
  },
} as const;
export type SplitConvention = keyof typeof SPLIT_CONVENTIONS;

export function planConventionSplit(
  utterances: readonly Pick<Utterance, 'id' | 'speaker'>[],
  convention: SplitConvention,
): SplitPlan {
  const rule = SPLIT_CONVENTIONS[convention];
  if (!rule)
    throw new UnfoldError(
      'BAD_SPLIT',
      `Unknown split convention "${String(convention)}"; known: ${Object.keys(SPLIT_CONVENTIONS).join(', ')}.`,
    );
  const assignments = new Map(utterances.map((u) => [u.id, rule(u)]));
  return { assignments, counts: countPlan(utterances, assignments) };
}

/** Parses `train=0.8,dev=0.1,test=0.1`. */
export function parseFractions(text: string): Record<string, number> {
  const fractions: Record<string, number> = {};
  for (const part of text.split(',')) {
    const [name, value] = part.split('=');
    const fraction = Number(value);
    if (!name || !/^[A-Za-z0-9_.]+$/.test(name) || !Number.isFinite(fraction) || fraction < 0) {
      throw new UnfoldError(
        'BAD_SPLIT',
        `"${part}" is not name=fraction (e.g. train=0.8,dev=0.1,test=0.1).`,
      );
    }
    fractions[name] = fraction;
  }
  return fractions;
}
