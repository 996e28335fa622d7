/**
 * A toy English grammar with tagged sentences, for taggers that must learn it fully in a test:
 * "can", "run" and "walk" are nouns after a determiner or adjective and an auxiliary or verbs
 * after a pronoun, so a word's tag is only right when the model reads its context.
 */
import { sentenceFromTaggedWords } from '../../src-main/domain/corpus/formats/conllu';
import type { ConlluSentence } from '../../src-main/domain/corpus/formats/conllu';
import { mulberry32 } from '../../src-main/domain/seeded-random';

export interface TaggedWord {
  form: string;
  upos: string;
}

const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;

const DET = ['the', 'a', 'every'];
const ADJ = ['big', 'small', 'red'];
const NOUN = ['dog', 'cat', 'can', 'run', 'walk'];
const PRON = ['they', 'we'];
const VERB_AFTER_AUX = ['run', 'walk', 'see'];
const VERB = ['sees', 'likes', 'needs'];

function nounPhrase(random: () => number): TaggedWord[] {
  const words: TaggedWord[] = [{ form: pick(random, DET), upos: 'DET' }];
  if (random() < 0.5) words.push({ form: pick(random, ADJ), upos: 'ADJ' });
  words.push({ form: pick(random, NOUN), upos: 'NOUN' });
  return words;
}

/** One sentence of the grammar (capitalised first word, final full stop). */
export function toySentence(random: () => number): TaggedWord[] {
  let words: TaggedWord[];
  const pattern = random();
  if (pattern < 0.4)
    words = [
      ...nounPhrase(random),
      { form: pick(random, VERB), upos: 'VERB' },
      ...nounPhrase(random),
    ];
  else if (pattern < 0.7)
    words = [
      { form: pick(random, PRON), upos: 'PRON' },
      { form: 'can', upos: 'AUX' },
      { form: pick(random, VERB_AFTER_AUX), upos: 'VERB' },
    ];
  else
    words = [
      { form: pick(random, PRON), upos: 'PRON' },
      { form: pick(random, ['run', 'walk']), upos: 'VERB' },
      { form: 'with', upos: 'ADP' },
      ...nounPhrase(random),
    ];
  const first = words[0] as TaggedWord;
  words[0] = { ...first, form: first.form[0]?.toUpperCase() + first.form.slice(1) };
  return [...words, { form: '.', upos: 'PUNCT' }];
}

export function toySentences(count: number, seed: number): TaggedWord[][] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => toySentence(random));
}

/** Penn Treebank tags of the grammar's words: the XPOS column. */
export const TOY_PENN_TAGS: Readonly<Record<string, string>> = {
  DET: 'DT',
  ADJ: 'JJ',
  NOUN: 'NN',
  VERB: 'VB',
  PRON: 'PRP',
  AUX: 'MD',
  ADP: 'IN',
  PUNCT: '.',
};

/**
 * The sentences as CoNLL-U (with `sent_id` and `text` comments), UPOS and Penn XPOS; `xposOf`
 * may put something else in the XPOS column.
 */
export function toyConllu(
  sentences: readonly TaggedWord[][],
  prefix: string,
  xposOf: (word: TaggedWord) => string = (word) => TOY_PENN_TAGS[word.upos] ?? '_',
): ConlluSentence[] {
  return sentences.map((words, i) =>
    sentenceFromTaggedWords(
      words.map((word) => ({ ...word, xpos: xposOf(word) })),
      [`sent_id = ${prefix}-${i + 1}`, `text = ${words.map((w) => w.form).join(' ')}`],
    ),
  );
}
