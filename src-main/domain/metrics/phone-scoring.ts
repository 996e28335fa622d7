import type { PhoneFolding } from '../corpus/phone-folding';
import { foldPhones } from '../corpus/phone-folding';

/** Phones that count as silence after folding to 39 (TIMIT's h#, pau, epi and closures fold to sil). */
export const SCORING_SILENCE = ['sil'];

/**
 * Folds a phone string to the 39 scoring phones and drops silence: how the reference and the
 * hypothesis are compared (train on the full set, score on the 39-phone folding).
 */
export function foldForScoring(phones: readonly string[], folding: PhoneFolding): string[] {
  const silence = new Set(SCORING_SILENCE);
  const folded = foldPhones(phones, folding, 39).filter((p) => !silence.has(p));
  // Folding can make neighbours equal (e.g. ao aa -> aa aa): merge them as decoding would.
  return folded.filter((p, i) => i === 0 || folded[i - 1] !== p);
}

/** Maps every class of a phone set to its index in the 39-phone scoring set (for frame accuracy and confusions). */
export function scoringClassMap(
  phones: readonly string[],
  folding: PhoneFolding,
): { scoringPhones: string[]; map: Int32Array } {
  const folded = phones.map((p) => foldPhones([p], folding, 39)[0] ?? 'sil');
  const scoringPhones = [...new Set(folded)].sort();
  const index = new Map(scoringPhones.map((p, i) => [p, i]));
  return { scoringPhones, map: Int32Array.from(folded, (p) => index.get(p) ?? 0) };
}
