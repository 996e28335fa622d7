/**
 * The synthesis dialog's word list, its extra classes (silence clips and unknown words, as
 * `unfold corpus synth words --silence N --unknown-words a,b` offers), and how many takes that
 * makes, counted the way the synthesis job counts them.
 */

/** Words separated by commas or new lines, trimmed and lower-cased, duplicates dropped. */
export function wordList(text: string): string[] {
  const words = text
    .split(/[,\n]/)
    .map((w) => w.trim().toLowerCase())
    .filter(Boolean);
  return [...new Set(words)];
}

export interface ExtraClasses {
  silenceClips: number;
  unknownWords: string[];
}

/**
 * The silence clip count (a whole number from 0 to 1000; empty is 0) and the unknown words
 * (none of which may be one of the words), or what is wrong with them.
 */
export function extraClasses(
  words: readonly string[],
  silenceText: string,
  unknownText: string,
): { ok: true; value: ExtraClasses } | { ok: false; message: string } {
  const trimmed = silenceText.trim();
  const silenceClips = trimmed === '' ? 0 : Number(trimmed);
  if (!Number.isInteger(silenceClips) || silenceClips < 0 || silenceClips > 1000)
    return {
      ok: false,
      message: `Silence clips must be a whole number from 0 to 1000 (not "${silenceText}").`,
    };
  const unknownWords = wordList(unknownText);
  const spaced = unknownWords.find((w) => /\s/.test(w));
  if (spaced) return { ok: false, message: `"${spaced}" is not one word.` };
  const clash = unknownWords.find((w) => words.includes(w));
  if (clash)
    return {
      ok: false,
      message: `"${clash}" is both a word and an unknown word: the unknown words must be other words.`,
    };
  return { ok: true, value: { silenceClips, unknownWords } };
}

/**
 * Takes of a words corpus: per voice, every word (and one unknown-word class, when there are
 * unknown words) at every rate x pitch, plus the silence clips.
 */
export function wordTakes(
  words: number,
  voices: number,
  variations: number,
  extra: ExtraClasses,
): number {
  return (
    voices * ((words + (extra.unknownWords.length > 0 ? 1 : 0)) * variations + extra.silenceClips)
  );
}
