/** Toy sequence pairs for the seq2seq tests: short letter strings and their reversals. */
import { createRng } from '../../src-main/domain/rnn/random';

/** `count` strings of 2-4 letters from `alphabet`, each paired with itself reversed (seeded). */
export function reversalPairs(
  count: number,
  seed: number,
  alphabet = 'abcd',
): { source: string; target: string }[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => {
    const length = 2 + Math.floor(rng.next() * 3);
    const source = Array.from(
      { length },
      () => alphabet[Math.floor(rng.next() * alphabet.length)] as string,
    ).join('');
    return { source, target: [...source].reverse().join('') };
  });
}

/** The pairs as `source<TAB>target` lines. */
export function pairLines(pairs: readonly { source: string; target: string }[]): string {
  return pairs.map((p) => `${p.source}\t${p.target}\n`).join('');
}
