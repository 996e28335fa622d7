/**
 * How many speakers and items each role of a run (train, dev, test) gets, from the data
 * selections of the config the form writes (so the held-out-speaker case counts what the run
 * will really use) and the corpus overview's items per speaker within each split. A role with few
 * voices or items gives figures that say little about new speech: the warning says what a
 * figure on it means. Text corpora have no speakers: their roles are counted from the items per
 * split, and held-out parts of a training split (held-out-default.ts) from their expected shares.
 */

import { SMALL_ROLE_ITEMS } from '@api/experiment-config';
import { heldOutShares } from './held-out-default';

export const DATA_ROLES = ['train', 'dev', 'test'] as const;
export type DataRole = (typeof DATA_ROLES)[number];

/** A role with fewer speakers or items than this gets a warning (items: the domain's own rule). */
export const SMALL_SPLIT = { speakers: 3, items: SMALL_ROLE_ITEMS } as const;

/** Items of each speaker within each split (CorpusStatistics.perSplitSpeaker). */
export type SplitSpeakerCounts = Readonly<Record<string, Readonly<Record<string, number>>>>;

export interface RoleSize {
  role: DataRole;
  /** The selection in words: "test", "train without jackson", "jackson in train+test". */
  selection: string;
  /** Null for a text corpus (no speakers). */
  speakers: number | null;
  items: number;
  /** The items are expected from a share (a held-out part), not counted. */
  approximate: boolean;
  /** What the role's smallness means for the run; empty when it is large enough. */
  warnings: string[];
}

/** One role's selection as config.json holds it (DataSelection in the domain). */
interface Selection {
  splits: string[];
  speakers?: string[];
  excludeSpeakers?: string[];
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
}

function selectionOf(value: unknown): Selection | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const splits = strings(record.splits);
  if (!splits || splits.length === 0) return null;
  const speakers = strings(record.speakers);
  const excludeSpeakers = strings(record.excludeSpeakers);
  return {
    splits,
    ...(speakers ? { speakers } : {}),
    ...(excludeSpeakers ? { excludeSpeakers } : {}),
  };
}

function describeSelection(selection: Selection): string {
  const splits = [...new Set(selection.splits)].join('+');
  if (selection.speakers) return `${selection.speakers.join(', ')} in ${splits}`;
  if (selection.excludeSpeakers?.length)
    return `${splits} without ${selection.excludeSpeakers.join(', ')}`;
  return splits;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** What too few voices in a role does to the run (a held-out test voice is one by design). */
function fewSpeakers(role: DataRole, speakers: number, heldOut: boolean): string {
  const voices = speakers === 1 ? 'that one voice' : `those ${speakers} voices`;
  const has = `${role} has ${count(speakers, 'speaker', 'speakers')}`;
  switch (role) {
    case 'train':
      return `${has}: the model hears only ${voices} and may not recognise other voices.`;
    case 'dev':
      return `${has}: the best epoch (and early stopping) is chosen by how the model does on ${voices}.`;
    case 'test':
      return heldOut
        ? `${has}: its accuracy says how well the model does on ${voices}, unheard in training; hold out each speaker in turn for a figure on new voices in general.`
        : `${has}: its accuracy says how well the model does on ${voices}, not on new voices in general.`;
  }
}

/** What too few items in a role does to the run (`about`: an expected size, not a count). */
function fewItems(role: DataRole, items: number, about = false): string {
  const has = `${role} has ${about ? 'about ' : ''}${count(items, 'item', 'items')}`;
  if (items === 0) {
    const purpose = { train: 'learn from', dev: 'choose the best epoch on', test: 'test on' };
    return `${has}: the run has nothing to ${purpose[role]}.`;
  }
  if (role === 'train') return `${has}: too few examples for a model to learn much from.`;
  const step = `one error moves its accuracy by ${(100 / items).toFixed(1)} points`;
  return role === 'dev'
    ? `${has}: ${step}, and the best epoch is chosen by that accuracy.`
    : `${has}: ${step}.`;
}

function sizeOf(
  role: DataRole,
  selection: Selection,
  perSplitSpeaker: SplitSpeakerCounts,
): RoleSize {
  const only = selection.speakers ? new Set(selection.speakers) : null;
  const excluded = new Set(selection.excludeSpeakers ?? []);
  const speakers = new Set<string>();
  let items = 0;
  for (const split of new Set(selection.splits)) {
    if (!Object.hasOwn(perSplitSpeaker, split)) continue;
    for (const [speaker, n] of Object.entries(perSplitSpeaker[split] ?? {})) {
      if ((only !== null && !only.has(speaker)) || excluded.has(speaker) || n <= 0) continue;
      speakers.add(speaker);
      items += n;
    }
  }
  const warnings: string[] = [];
  if (items === 0) warnings.push(fewItems(role, 0));
  else {
    if (speakers.size < SMALL_SPLIT.speakers)
      warnings.push(fewSpeakers(role, speakers.size, selection.speakers !== undefined));
    if (items < SMALL_SPLIT.items) warnings.push(fewItems(role, items));
  }
  return {
    role,
    selection: describeSelection(selection),
    speakers: speakers.size,
    items,
    approximate: false,
    warnings,
  };
}

/**
 * The size of every role the config's `data` uses (a role set to null, such as no dev set, is
 * left out), in the order train, dev, test.
 */
export function roleSizes(data: unknown, perSplitSpeaker: SplitSpeakerCounts): RoleSize[] {
  if (typeof data !== 'object' || data === null) return [];
  const roles = data as Record<string, unknown>;
  const sizes: RoleSize[] = [];
  for (const role of DATA_ROLES) {
    const selection = selectionOf(roles[role]);
    if (selection) sizes.push(sizeOf(role, selection, perSplitSpeaker));
  }
  return sizes;
}

/** Items of each split (CorpusStatistics.perSplit). */
export type SplitCounts = Readonly<Record<string, number>>;

function itemsOf(splits: readonly string[], perSplit: SplitCounts): number {
  return [...new Set(splits)].reduce(
    (sum, split) => sum + (Object.hasOwn(perSplit, split) ? (perSplit[split] ?? 0) : 0),
    0,
  );
}

function textWarnings(role: DataRole, items: number, about: boolean): string[] {
  return items < SMALL_SPLIT.items ? [fewItems(role, items, about)] : [];
}

/**
 * The items of every role a text corpus's run uses, from the items per split. With `heldOut`
 * (the form's usesHeldOutDefault), every role is a held-out part of the training split: its
 * expected size is the part's share of the training items (the hash decides each item, so the
 * real size varies around it), marked approximate.
 */
export function textRoleSizes(data: unknown, perSplit: SplitCounts, heldOut: boolean): RoleSize[] {
  if (typeof data !== 'object' || data === null) return [];
  const roles = data as Record<string, unknown>;
  const selections = DATA_ROLES.map((role) => [role, selectionOf(roles[role])] as const).filter(
    (entry): entry is readonly [DataRole, Selection] => entry[1] !== null,
  );
  const train = selections.find(([role]) => role === 'train')?.[1];
  if (heldOut && train) {
    const total = itemsOf(train.splits, perSplit);
    const shares = heldOutShares(selections.some(([role]) => role === 'dev'));
    const splits = describeSelection(train);
    return selections.map(([role]) => {
      const items = Math.round(total * shares[role]);
      return {
        role,
        selection: `held-out ${role} part: ${Math.round(shares[role] * 100)}% of ${splits}`,
        speakers: null,
        items,
        approximate: true,
        warnings: textWarnings(role, items, true),
      };
    });
  }
  return selections.map(([role, selection]) => {
    const items = itemsOf(selection.splits, perSplit);
    return {
      role,
      selection: describeSelection(selection),
      speakers: null,
      items,
      approximate: false,
      warnings: items === 0 ? [fewItems(role, 0)] : textWarnings(role, items, false),
    };
  });
}
