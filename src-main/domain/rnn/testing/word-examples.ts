import type { SequenceExample } from '../batching';

/**
 * Sequence examples from words for the token-input tests: char ids from `alphabet` (id 1 + its
 * index; 0 is padding), case class 1 for a capitalised word else 0, word ids from `wordId`.
 */
export function wordExample(
  words: string[],
  tags: number[],
  options: { alphabet: string; wordId: (word: string) => number; tokenDropout?: number },
): SequenceExample {
  const per = Math.max(...words.map((w) => w.length));
  const chars = new Int32Array(words.length * per);
  words.forEach((word, t) => {
    [...word].forEach((ch, c) => {
      const index = options.alphabet.indexOf(ch);
      if (index < 0) throw new Error(`"${ch}" is not in the test alphabet`);
      chars[t * per + c] = index + 1;
    });
  });
  return {
    inputs: Int32Array.from(words, options.wordId),
    length: words.length,
    target: Int32Array.from(tags),
    chars,
    charsPerToken: per,
    cases: Int32Array.from(words, (w) =>
      w[0] !== undefined && w[0] !== w[0].toLowerCase() ? 1 : 0,
    ),
    ...(options.tokenDropout !== undefined
      ? { tokenDropout: new Float32Array(words.length).fill(options.tokenDropout) }
      : {}),
  };
}
