/**
 * A toy sentiment language for classifiers that must learn it fully in a test: filler words
 * around exactly one sentiment word ("good"/"great" positive, "bad"/"awful" negative) at a
 * random position, so the label is only right when the model finds that word.
 */
import type { LabelledText } from '../../src-main/domain/corpus/formats/tsv';
import { mulberry32 } from '../../src-main/domain/seeded-random';

export const TOY_POSITIVE_WORDS = ['good', 'great'];
export const TOY_NEGATIVE_WORDS = ['bad', 'awful'];
const FILLER = ['the', 'film', 'was', 'plot', 'actors', 'really', 'quite', 'and', 'story', 'a'];

const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;

export function toySentimentItems(count: number, seed: number): LabelledText[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const positive = random() < 0.5;
    const words = Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(random, FILLER));
    const at = Math.floor(random() * (words.length + 1));
    words.splice(at, 0, pick(random, positive ? TOY_POSITIVE_WORDS : TOY_NEGATIVE_WORDS));
    return { label: positive ? 'positive' : 'negative', text: words.join(' ') };
  });
}
