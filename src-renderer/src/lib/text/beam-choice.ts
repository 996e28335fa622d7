/**
 * The beams the Text view's sequence-to-sequence mode offers: the model's own (its config's
 * decoding.beam, asked for as no beam at all), greedy, and a few wider ones up to MAX_BEAM.
 */
import { MAX_BEAM } from '@api/seq2seq';

/** The usual widths; a beam costs its width in decoder steps per output unit. */
export const BEAM_CHOICES: readonly number[] = [1, 2, 3, 5, 10, 20].filter((b) => b <= MAX_BEAM);

/** A choice's label: 1 is greedy decoding. */
export function beamLabel(beam: number): string {
  return beam === 1 ? '1 (greedy)' : String(beam);
}

/**
 * What a request is about besides the text, as one key (the typed-answers key: a change asks
 * again, and answers about another key are dropped).
 */
export function translationKey(experiment: string, beam: number | null): string {
  return JSON.stringify([experiment, beam]);
}

export function parseTranslationKey(key: string): { experiment: string; beam: number | null } {
  const [experiment, beam] = JSON.parse(key) as [string, number | null];
  return { experiment, beam };
}
