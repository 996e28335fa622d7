import type { WordResult } from '../../domain/speech/recognizer';

/**
 * What `unfold recognize` prints for a word: the word and its probability, or what a silence
 * or unknown class or a rejection means (so "_silence_" is never shown as if it were a word).
 */
export function describeWord(
  result: Pick<WordResult, 'word' | 'probability' | 'kind' | 'top'>,
): string {
  const p = result.probability.toFixed(3);
  switch (result.kind) {
    case 'silence':
      return `(silence: ${result.word}, ${p})`;
    case 'unknown':
      return `(unknown word: ${result.word}, ${p})`;
    case 'not-sure':
      return `not sure (best ${result.top[0]?.label ?? '?'} ${p})`;
    default:
      return `${result.word} (${p})`;
  }
}
