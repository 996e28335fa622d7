/**
 * The evaluated items of a sequence-to-sequence model as the Text view lists them: the worst
 * test items, each with its output aligned against the closest reference (the stored
 * edit-distance alignment, score-seq2seq.ts), so that every error is seen in place. Worst means
 * most edits per reference symbol, as the evaluation's own `worst` list ranks them.
 */
import type { EvaluationPrediction } from '@api/experiments';

/** The gap shown where one side has no symbol (the stored confusion matrix's gap). */
export const GAP = '∅';

export type AlignmentOp = 'match' | 'substitution' | 'insertion' | 'deletion';

/** One column of an aligned pair: the reference symbol over the output symbol. */
export interface AlignedStep {
  op: AlignmentOp;
  /** GAP for an insertion. */
  ref: string;
  /** GAP for a deletion. */
  hyp: string;
}

export interface TranslatedItem {
  utteranceId: string;
  source: string;
  predicted: string;
  /** The closest reference. */
  reference: string;
  correct: boolean;
  /** Edits against the closest reference. */
  errors: number;
  /** Edits per reference symbol. */
  errorRate: number;
  alignment: AlignedStep[];
}

function opOf(ref: string | null, hyp: string | null): AlignmentOp {
  if (ref === null) return 'insertion';
  if (hyp === null) return 'deletion';
  return ref === hyp ? 'match' : 'substitution';
}

const OPS: readonly string[] = ['match', 'substitution', 'insertion', 'deletion'];

function alignedStep(step: unknown): AlignedStep | null {
  if (typeof step !== 'object' || step === null) return null;
  const { op, ref, hyp } = step as Record<string, unknown>;
  const side = (value: unknown): string | null | undefined =>
    typeof value === 'string' ? value : value === null || value === undefined ? null : undefined;
  const [r, h] = [side(ref), side(hyp)];
  if (r === undefined || h === undefined || (r === null && h === null)) return null;
  return {
    op: typeof op === 'string' && OPS.includes(op) ? (op as AlignmentOp) : opOf(r, h),
    ref: r ?? GAP,
    hyp: h ?? GAP,
  };
}

/** A prediction as a translated item, or null when it is not one (another task's). */
export function asTranslatedItem(prediction: EvaluationPrediction): TranslatedItem | null {
  const { utteranceId, source, predicted, reference, errors, correct, alignment } = prediction;
  if (
    typeof source !== 'string' ||
    typeof predicted !== 'string' ||
    typeof reference !== 'string' ||
    typeof errors !== 'number' ||
    !Array.isArray(alignment)
  )
    return null;
  const steps = alignment.map(alignedStep);
  if (steps.some((step) => step === null)) return null;
  const aligned = steps as AlignedStep[];
  const referenceSymbols = aligned.filter((step) => step.op !== 'insertion').length;
  return {
    utteranceId,
    source,
    predicted,
    reference,
    correct: correct === true || errors === 0,
    errors,
    errorRate: errors / Math.max(1, referenceSymbols),
    alignment: aligned,
  };
}

/** The translated items among predictions, in their order (others are left out). */
export function translatedItems(predictions: readonly EvaluationPrediction[]): TranslatedItem[] {
  return predictions.flatMap((p) => asTranslatedItem(p) ?? []);
}

/** How many of the worst items the Text view lists. */
export const WORST_ITEMS_LISTED = 20;

/**
 * The wrong items, most edits per reference symbol first (then most edits, then by id), at most
 * `limit`.
 */
export function worstItems(
  items: readonly TranslatedItem[],
  limit = WORST_ITEMS_LISTED,
): TranslatedItem[] {
  return items
    .filter((item) => !item.correct)
    .sort(
      (a, b) =>
        b.errorRate - a.errorRate ||
        b.errors - a.errors ||
        a.utteranceId.localeCompare(b.utteranceId),
    )
    .slice(0, limit);
}
