/**
 * Which items of a corpus train, tune and test an experiment: the splits its config's roles
 * name, checked before anything runs; for a text corpus that comes as one split, the declared
 * held-out default; and a held-out division (data.heldOut) shown to the task as a corpus whose
 * splits are the parts, so that every task gets it without knowing of it.
 */
import type { Corpus, TextSplit, Utterance } from '../corpus/model';
import { UnfoldError } from '../errors';
import type { CommonExperimentConfig, DataSelection, HeldOut } from './config/common-config';
import { DEFAULT_HELD_OUT, HELD_OUT_SPLITS, SMALL_ROLE_ITEMS } from './config/common-config';
import type { HeldOutRole } from './held-out-parts';
import { conlluSentenceKey, heldOutRoleOf, labelledTextKey, pairKey } from './held-out-parts';

type DataRoles = CommonExperimentConfig['data'];

const sameSplits = (a: DataSelection, b: DataSelection): boolean =>
  a.splits.length === b.splits.length && a.splits.every((split) => b.splits.includes(split));

/**
 * Checks, before any feature is computed or anything trained, that the corpus has every split
 * the config's train, dev and test selections name (the test split is read only at the very
 * end of training), and says how to make the missing ones.
 */
export function checkConfigSplits(corpus: Corpus, config: CommonExperimentConfig): void {
  const roles = [
    ['train', config.data.train],
    ['dev', config.data.dev],
    ['test', config.data.test],
  ] as const;
  const has = corpus.manifest.splits;
  for (const [role, selection] of roles) {
    for (const split of selection?.splits ?? []) {
      if (has.includes(split)) continue;
      const name = corpus.manifest.name;
      // Speech corpora can be split by speaker here; a text corpus brings its splits as files.
      const splitFirst =
        corpus.manifest.kind === 'speech'
          ? `Split the corpus first, by speaker (train, dev and test; no speaker in two of them): \`unfold corpus split ${name} --by speaker\` or Split in the Corpora view; or choose`
          : 'Choose';
      throw new UnfoldError(
        'SPEECH_NO_SUCH_SPLIT',
        `${name} has no split "${split}", which the experiment's ${role} data needs (it has ${has.length > 0 ? has.join(', ') : 'no splits'}). ` +
          `${splitFirst} splits it has with \`unfold train --train-split ... --dev-split ... --test-split ...\` (data.train/dev/test in a config). Nothing was trained.`,
      );
    }
  }
  const { heldOut, train, dev, test } = config.data;
  if (heldOut && (!sameSplits(test, train) || (dev !== null && !sameSplits(dev, train))))
    throw new UnfoldError(
      'BAD_EXPERIMENT_CONFIG',
      `data.heldOut divides the items of the training splits (${train.splits.join(', ')}) into train, dev and test parts: data.dev and data.test must name the same splits (or dev none). Nothing was trained.`,
    );
}

/**
 * The declared default (DEFAULT_HELD_OUT) for a text corpus that has the training splits but
 * none of the dev and test splits the config names (the polarity importer writes MR as one
 * `train` split): held-out parts of the training splits instead. Speech corpora keep the
 * error of checkConfigSplits: their items must be split by speaker, not one by one.
 */
export function withHeldOutDefault<C extends CommonExperimentConfig>(config: C, corpus: Corpus): C {
  const { train, dev, test, heldOut } = config.data;
  const has = (split: string): boolean => corpus.manifest.splits.includes(split);
  const heldOutNamed = [...test.splits, ...(dev?.splits ?? [])];
  if (
    heldOut !== null ||
    corpus.manifest.kind !== 'text' ||
    !train.splits.every(has) ||
    heldOutNamed.some(has)
  )
    return config;
  return {
    ...config,
    data: {
      train,
      dev: dev === null ? null : { ...train },
      test: { ...train },
      heldOut: DEFAULT_HELD_OUT,
    },
  };
}

/** The items of each held-out part. */
export type HeldOutSizes = Record<HeldOutRole, number>;

export interface DataView<C extends CommonExperimentConfig> {
  /** The corpus as the task reads it: with a held-out division, its splits are the parts. */
  corpus: Corpus;
  /** The config as the task reads it: roles naming those parts. */
  config: C;
  /** Items per part, null without a held-out division. */
  sizes: HeldOutSizes | null;
}

/** The roles (with their selections) an item of a split may play, given its held-out part. */
function rolesOf(data: DataRoles): [HeldOutRole, DataSelection][] {
  return [
    ['train', data.train],
    ...(data.dev ? [['dev', data.dev] as [HeldOutRole, DataSelection]] : []),
    ['test', data.test],
  ];
}

function partOf(key: string, heldOut: HeldOut, data: DataRoles): HeldOutRole {
  return heldOutRoleOf(key, heldOut, data.dev !== null);
}

/** What identifies each item of a text split (held-out-parts.ts). */
function textKeys(split: TextSplit): string[] {
  if (split.format === 'tsv') return split.items.map(labelledTextKey);
  if (split.format === 'conllu') return split.sentences.map(conlluSentenceKey);
  if (split.format === 'pairs') return split.pairs.map(pairKey);
  return split.lines;
}

/** The items of a text split that `keep` accepts (by index), in order. */
function pickItems(split: TextSplit, keep: (index: number) => boolean): TextSplit {
  if (split.format === 'tsv')
    return { format: 'tsv', items: split.items.filter((_, i) => keep(i)) };
  if (split.format === 'conllu')
    return { format: 'conllu', sentences: split.sentences.filter((_, i) => keep(i)) };
  if (split.format === 'pairs')
    return { format: 'pairs', pairs: split.pairs.filter((_, i) => keep(i)) };
  return { format: 'plain', lines: split.lines.filter((_, i) => keep(i)) };
}

/** Two text splits one after the other (a corpus's splits all have one format). */
function joinSplits(first: TextSplit | undefined, second: TextSplit): TextSplit {
  if (first?.format === 'tsv' && second.format === 'tsv')
    return { format: 'tsv', items: [...first.items, ...second.items] };
  if (first?.format === 'conllu' && second.format === 'conllu')
    return { format: 'conllu', sentences: [...first.sentences, ...second.sentences] };
  if (first?.format === 'plain' && second.format === 'plain')
    return { format: 'plain', lines: [...first.lines, ...second.lines] };
  if (first?.format === 'pairs' && second.format === 'pairs')
    return { format: 'pairs', pairs: [...first.pairs, ...second.pairs] };
  return second;
}

function textView(corpus: Corpus, data: DataRoles, heldOut: HeldOut): Corpus {
  if (corpus.data.kind !== 'text') return corpus;
  const parts = new Map<string, TextSplit>();
  const roles = rolesOf(data);
  for (const split of new Set(roles.flatMap(([, selection]) => selection.splits))) {
    const source = corpus.data.splits.get(split);
    if (!source) continue;
    const itemRoles = textKeys(source).map((key) => partOf(key, heldOut, data));
    for (const [role, selection] of roles) {
      if (!selection.splits.includes(split)) continue;
      const name = HELD_OUT_SPLITS[role];
      parts.set(
        name,
        joinSplits(
          parts.get(name),
          pickItems(source, (i) => itemRoles[i] === role),
        ),
      );
    }
  }
  return { ...corpus, data: { kind: 'text', splits: parts } };
}

function speechView(corpus: Corpus, data: DataRoles, heldOut: HeldOut): Corpus {
  if (corpus.data.kind !== 'speech') return corpus;
  const utterances: Utterance[] = [];
  for (const utterance of corpus.data.utterances) {
    const role = partOf(utterance.id, heldOut, data);
    const selection = rolesOf(data).find(([r]) => r === role)?.[1];
    if (selection?.splits.includes(utterance.split))
      utterances.push({ ...utterance, split: HELD_OUT_SPLITS[role] });
  }
  return { ...corpus, data: { ...corpus.data, utterances } };
}

function partSize(corpus: Corpus, split: string): number {
  if (corpus.data.kind === 'speech')
    return corpus.data.utterances.filter((u) => u.split === split).length;
  const part = corpus.data.splits.get(split);
  if (!part) return 0;
  if (part.format === 'pairs') return part.pairs.length;
  return part.format === 'tsv'
    ? part.items.length
    : part.format === 'conllu'
      ? part.sentences.length
      : part.lines.length;
}

/**
 * The corpus and config a task reads for an experiment: as they are, or with a held-out
 * division applied (each role's items in a split of its own, HELD_OUT_SPLITS). An empty part
 * is refused here, before anything is trained.
 */
export function dataViewOf<C extends CommonExperimentConfig>(
  corpus: Corpus,
  config: C,
): DataView<C> {
  const heldOut = config.data.heldOut;
  if (heldOut === null) return { corpus, config, sizes: null };
  const parted =
    corpus.data.kind === 'text'
      ? textView(corpus, config.data, heldOut)
      : speechView(corpus, config.data, heldOut);
  const roles = rolesOf(config.data);
  const view: Corpus = {
    ...parted,
    manifest: { ...parted.manifest, splits: roles.map(([role]) => HELD_OUT_SPLITS[role]) },
  };
  const sizes: HeldOutSizes = { train: 0, dev: 0, test: 0 };
  for (const [role] of roles) sizes[role] = partSize(view, HELD_OUT_SPLITS[role]);
  const empty = roles.find(([role]) => sizes[role] === 0);
  if (empty)
    throw new UnfoldError(
      'HELD_OUT_EMPTY',
      `The held-out ${empty[0]} part of ${corpus.manifest.name} (splits ${config.data.train.splits.join(', ')}, fold ${heldOut.testFold} of ${heldOut.folds}${empty[0] === 'dev' ? `, dev share ${heldOut.devShare}` : ''}) has no item: the corpus is too small for this division. Use fewer folds or a larger corpus. Nothing was trained.`,
    );
  const data: DataRoles = {
    train: { ...config.data.train, splits: [HELD_OUT_SPLITS.train] },
    dev: config.data.dev ? { ...config.data.dev, splits: [HELD_OUT_SPLITS.dev] } : null,
    test: { ...config.data.test, splits: [HELD_OUT_SPLITS.test] },
    heldOut: null,
  };
  return { corpus: view, config: { ...config, data }, sizes };
}

/** What a held-out part too small to say much means for the run (reported with it). */
function smallPart(role: HeldOutRole, items: number): string {
  const has = `the held-out ${role} part has ${items} items`;
  if (role === 'train') return `${has}: too few examples for a model to learn much from`;
  const step = `one error moves its accuracy by ${(100 / items).toFixed(1)} points`;
  return role === 'dev'
    ? `${has}: ${step}, and the best epoch is chosen by that accuracy`
    : `${has}: ${step}`;
}

/** Warnings for held-out parts under SMALL_ROLE_ITEMS items (dev only when there is a dev role). */
export function smallPartWarnings(sizes: HeldOutSizes | null, withDev: boolean): string[] {
  if (sizes === null) return [];
  return (['train', 'dev', 'test'] as const)
    .filter((role) => (role !== 'dev' || withDev) && sizes[role] < SMALL_ROLE_ITEMS)
    .map((role) => smallPart(role, sizes[role]));
}
