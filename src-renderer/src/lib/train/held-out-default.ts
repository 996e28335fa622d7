/**
 * The Train form's side of the domain's held-out default (withHeldOutDefault in
 * config-splits.ts): a text corpus whose test (and dev) split the run names but does not have
 * is divided by a hash of each item into held-out parts of its training split, by the declared
 * rule DEFAULT_HELD_OUT. The form offers those parts as the test and dev choices, names the rule
 * and the expected share of each part; the numbers are read from the rule, never restated.
 */

import { DEFAULT_HELD_OUT, HELD_OUT_SPLITS, type HeldOut } from '@api/experiment-config';
import type { TrainForm } from './key-settings';

export type HeldOutRole = keyof typeof HELD_OUT_SPLITS;

/** The splits a run's form names. */
export type SplitChoice = Pick<TrainForm, 'trainSplit' | 'devSplit' | 'testSplit'>;

/** What decides whether the default applies: the corpus's kind and its splits. */
export interface CorpusKindSplits {
  kind?: 'speech' | 'text' | null;
  splits: readonly string[];
}

/** The share of the training split's items each part gets on average (each item's part is its hash's). */
export function heldOutShares(
  withDev: boolean,
  heldOut: Pick<HeldOut, 'folds' | 'devShare'> = DEFAULT_HELD_OUT,
): Record<HeldOutRole, number> {
  const test = 1 / heldOut.folds;
  const dev = withDev ? (1 - test) * heldOut.devShare : 0;
  return { train: 1 - test - dev, dev, test };
}

const percent = (share: number): string => `${Math.round(share * 100)}`;

/** "81/9/10" (train/dev/test), or "90/10" without a dev part. */
export function sharesText(withDev: boolean): string {
  const shares = heldOutShares(withDev);
  return (withDev ? [shares.train, shares.dev, shares.test] : [shares.train, shares.test])
    .map(percent)
    .join('/');
}

/** Whether the corpus's training split can be divided into held-out parts (text corpora only). */
export function offersHeldOutParts(corpus: Pick<CorpusKindSplits, 'kind'>): boolean {
  return corpus.kind === 'text';
}

/** Whether a form's split is one of the held-out parts the form offers. */
export function isHeldOutPart(split: string): boolean {
  return split === HELD_OUT_SPLITS.dev || split === HELD_OUT_SPLITS.test;
}

/**
 * Whether the run will use the held-out default: a text corpus that has the training split and
 * none of the dev and test splits the form names (the domain's withHeldOutDefault).
 */
export function usesHeldOutDefault(form: SplitChoice, corpus: CorpusKindSplits): boolean {
  const has = (split: string): boolean => corpus.splits.includes(split);
  return (
    offersHeldOutParts(corpus) &&
    form.testSplit !== '' &&
    has(form.trainSplit) &&
    !has(form.testSplit) &&
    (form.devSplit === '' || !has(form.devSplit))
  );
}

/** The option label of a held-out part in the dev and test selects. */
export function heldOutPartLabel(role: 'dev' | 'test', withDev: boolean): string {
  return `held-out ${role} part (${sharesText(withDev)} by hash)`;
}

/** What the form says when the run will use the held-out default; null when it will not. */
export function heldOutNote(form: SplitChoice, corpus: CorpusKindSplits): string | null {
  if (!usesHeldOutDefault(form, corpus)) return null;
  const withDev = form.devSplit !== '';
  const { folds, testFold, seed } = DEFAULT_HELD_OUT;
  const parts = withDev ? 'train, dev and test' : 'train and test';
  return (
    `Held-out parts: the items of ${form.trainSplit} are divided by a hash of each item into ${parts} parts, ${sharesText(withDev)} ` +
    `(fold ${testFold} of ${folds}, seed ${seed}: every run on this corpus tests on the same items). The run is tested on the held-out test part; its evaluations are kept as ${HELD_OUT_SPLITS.test}.`
  );
}
