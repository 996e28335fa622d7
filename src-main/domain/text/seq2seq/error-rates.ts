/**
 * Grapheme-to-phoneme scoring with several references per word: the word error rate (the output
 * matches none of the word's pronunciations) and the phone error rate (edits against the closest
 * pronunciation over that pronunciation's length, summed over the words, as sclite sums them).
 * Each item keeps its edit-distance alignment against the closest reference.
 */
import { editDistance } from '../../metrics/edit-distance';
import type { AlignmentStep } from '../../metrics/edit-distance';

export interface ClosestReference {
  /** Index of the closest reference (fewest edits; the first of equals). */
  index: number;
  reference: string[];
  errors: number;
  substitutions: number;
  insertions: number;
  deletions: number;
  alignment: AlignmentStep<string>[];
}

export function closestReference(
  references: readonly (readonly string[])[],
  hypothesis: readonly string[],
): ClosestReference {
  let best: ClosestReference | null = null;
  references.forEach((reference, index) => {
    const d = editDistance(reference, hypothesis);
    if (best === null || d.distance < best.errors)
      best = {
        index,
        reference: [...reference],
        errors: d.distance,
        substitutions: d.substitutions,
        insertions: d.insertions,
        deletions: d.deletions,
        alignment: d.alignment,
      };
  });
  if (best === null) throw new Error('an item needs at least one reference');
  return best;
}

export interface SequenceErrorRates {
  items: number;
  /** Items whose output matches none of their references, over all items. */
  wordErrorRate: number;
  wordErrors: number;
  /** Edits against the closest references over their total length. */
  phoneErrorRate: number;
  phoneErrors: number;
  referencePhones: number;
  substitutions: number;
  insertions: number;
  deletions: number;
}

/** WER and PER of outputs against their references (items in the same order). */
export function sequenceErrorRates(
  items: readonly { references: readonly (readonly string[])[]; hypothesis: readonly string[] }[],
): { rates: SequenceErrorRates; closest: ClosestReference[] } {
  const closest = items.map((item) => closestReference(item.references, item.hypothesis));
  const sum = (pick: (c: ClosestReference) => number): number =>
    closest.reduce((total, c) => total + pick(c), 0);
  const wordErrors = closest.filter((c) => c.errors > 0).length;
  const phoneErrors = sum((c) => c.errors);
  const referencePhones = sum((c) => c.reference.length);
  return {
    rates: {
      items: items.length,
      wordErrorRate: items.length > 0 ? wordErrors / items.length : 0,
      wordErrors,
      phoneErrorRate: referencePhones > 0 ? phoneErrors / referencePhones : 0,
      phoneErrors,
      referencePhones,
      substitutions: sum((c) => c.substitutions),
      insertions: sum((c) => c.insertions),
      deletions: sum((c) => c.deletions),
    },
    closest,
  };
}
