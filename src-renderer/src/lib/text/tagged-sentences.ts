/**
 * The evaluated sentences of a tagging experiment, and which of them a view lists: all, those
 * with errors, or those where one gold tag was predicted as another (a confusion-matrix cell).
 */
import type { EvaluationPrediction } from '@api/experiments';
import type { TaggedSentencePrediction } from '@api/text';

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/**
 * A prediction as a tagged sentence, or null when it is not one (a speech item, or a file
 * whose arrays disagree in length).
 */
export function asTaggedSentence(
  prediction: EvaluationPrediction,
): TaggedSentencePrediction | null {
  const { utteranceId, reference, decoded } = prediction;
  const { tokens, unseen } = prediction as { tokens?: unknown; unseen?: unknown };
  if (!isStringArray(tokens) || !isStringArray(reference) || !isStringArray(decoded)) return null;
  const n = tokens.length;
  if (reference.length !== n || decoded.length !== n) return null;
  const unseenFlags =
    Array.isArray(unseen) && unseen.length === n
      ? unseen.map((u) => u === true)
      : tokens.map(() => false);
  const errors = reference.filter((tag, i) => decoded[i] !== tag).length;
  return {
    utteranceId,
    tokens,
    reference,
    decoded,
    unseen: unseenFlags,
    errors,
    correct: errors === 0,
  };
}

/** The tagged sentences among predictions (others are left out). */
export function taggedSentences(
  predictions: readonly EvaluationPrediction[],
): TaggedSentencePrediction[] {
  return predictions.flatMap((p) => asTaggedSentence(p) ?? []);
}

/** One cell of a confusion matrix: gold (reference) tag X predicted as Y. */
export interface TagConfusion {
  gold: string;
  predicted: string;
}

export type SentenceFilter =
  { kind: 'all' } | { kind: 'errors' } | { kind: 'confusion'; confusion: TagConfusion };

export const ALL_SENTENCES: SentenceFilter = { kind: 'all' };

/** The filter a confusion-matrix cell sets (null: the cell was closed, back to `fallback`). */
export function filterForCell(
  cell: { reference: string; predicted: string } | null,
  fallback: SentenceFilter = ALL_SENTENCES,
): SentenceFilter {
  return cell
    ? { kind: 'confusion', confusion: { gold: cell.reference, predicted: cell.predicted } }
    : fallback;
}

/** Whether token i is an instance of the confusion (gold X tagged Y). */
export function isConfusionAt(
  sentence: TaggedSentencePrediction,
  i: number,
  confusion: TagConfusion,
): boolean {
  return sentence.reference[i] === confusion.gold && sentence.decoded[i] === confusion.predicted;
}

export function hasConfusion(sentence: TaggedSentencePrediction, confusion: TagConfusion): boolean {
  return sentence.tokens.some((_, i) => isConfusionAt(sentence, i, confusion));
}

/** The sentences a filter keeps, in their evaluation order. */
export function filterSentences<S extends TaggedSentencePrediction>(
  sentences: readonly S[],
  filter: SentenceFilter,
): S[] {
  switch (filter.kind) {
    case 'all':
      return [...sentences];
    case 'errors':
      return sentences.filter((s) => s.errors > 0);
    case 'confusion':
      return sentences.filter((s) => hasConfusion(s, filter.confusion));
  }
}

/** Sentences with errors, most errors first (then by id): the Evaluate view's review list. */
export function sentencesWithErrors(
  sentences: readonly TaggedSentencePrediction[],
): TaggedSentencePrediction[] {
  return sentences
    .filter((s) => s.errors > 0)
    .sort((a, b) => b.errors - a.errors || a.utteranceId.localeCompare(b.utteranceId));
}

/** One word of a sentence as the view draws it: gold and predicted tag side by side. */
export interface TokenMark {
  word: string;
  gold: string;
  predicted: string;
  /** The predicted tag differs from the gold one. */
  mismatch: boolean;
  /** The token is an instance of the chosen confusion. */
  highlighted: boolean;
  unseen: boolean;
}

export function tokenMarks(
  sentence: TaggedSentencePrediction,
  confusion: TagConfusion | null = null,
): TokenMark[] {
  return sentence.tokens.map((word, i) => {
    const gold = sentence.reference[i] ?? '';
    const predicted = sentence.decoded[i] ?? '';
    return {
      word,
      gold,
      predicted,
      mismatch: gold !== predicted,
      highlighted: confusion !== null && isConfusionAt(sentence, i, confusion),
      unseen: sentence.unseen[i] === true,
    };
  });
}

/** The confusion a filter names, if any (for highlighting its tokens). */
export function confusionOf(filter: SentenceFilter): TagConfusion | null {
  return filter.kind === 'confusion' ? filter.confusion : null;
}
