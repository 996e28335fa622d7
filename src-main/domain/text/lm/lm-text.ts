/**
 * The text a language model reads: the sentences (lines) of a corpus selection as units (words
 * or characters), and the units of any text typed or read later, cut the same way.
 */
import type { Corpus, TextSplit } from '../../corpus/model';
import { conlluWords } from '../../corpus/formats/conllu';
import type { ConlluSentence } from '../../corpus/formats/conllu';
import { UnfoldError } from '../../errors';
import type { DataSelection } from '../../experiments/config/common-config';
import type { LmLevel, LmTokenizer } from '../../experiments/config/lm-config';
import { checkTextCharacters, tokenizeText } from '../tokenize';
import { UNK_TOKEN } from '../vocabulary';

/** How a text becomes units: the config's level and tokenizer. */
export interface LmUnitRule {
  level: LmLevel;
  tokenizer: LmTokenizer;
}

export interface LmSentence {
  /** `<split>-<line or sentence number>`. */
  id: string;
  units: string[];
}

export interface SelectedLmSentences {
  sentences: LmSentence[];
  /** Sentences left out, with why (a control character, no unit). */
  skipped: string[];
}

/** A corpus's own unknown-word token standing alone (the Penn Treebank LM data writes `<unk>`). */
const STANDALONE_UNKNOWN = /(?<=^|\s)<unk>(?=\s|$)/u;

/**
 * The words of a text: Penn-style tokens (or white-space pieces), where a standalone `<unk>` of
 * the corpus stays one word, the model's unknown word, instead of being split into `< unk >`.
 */
function wordsOf(text: string, tokenizer: LmTokenizer): string[] {
  if (tokenizer === 'whitespace') {
    checkTextCharacters(text, 'text');
    return text.normalize('NFC').split(/\s+/u).filter(Boolean);
  }
  const words: string[] = [];
  let rest = text;
  for (let match = STANDALONE_UNKNOWN.exec(rest); match; match = STANDALONE_UNKNOWN.exec(rest)) {
    words.push(...tokenizeText(rest.slice(0, match.index)).map((token) => token.text), UNK_TOKEN);
    rest = rest.slice(match.index + UNK_TOKEN.length);
  }
  words.push(...tokenizeText(rest).map((token) => token.text));
  return words;
}

/** The units of one line of text: its words, or its characters (code points of the NFC form). */
export function unitsOf(text: string, rule: LmUnitRule): string[] {
  if (rule.level === 'word') return wordsOf(text, rule.tokenizer);
  checkTextCharacters(text, 'text');
  return [...text.normalize('NFC')];
}

/** The text of a CoNLL-U sentence: its `# text =` comment, else its word forms with spaces. */
function conlluText(sentence: ConlluSentence): string {
  const comment = sentence.comments.find((c) => c.startsWith('text = '));
  return comment
    ? comment.slice('text = '.length)
    : conlluWords(sentence)
        .map((w) => w.form)
        .join(' ');
}

/** Each item of a split as [number, units of it] (CoNLL-U words are the treebank's own forms). */
function* splitUnits(
  split: TextSplit,
  rule: LmUnitRule,
): Generator<{ index: number; units: () => string[] }> {
  if (split.format === 'plain')
    for (const [index, line] of split.lines.entries())
      yield { index, units: () => unitsOf(line, rule) };
  else if (split.format === 'tsv')
    for (const [index, item] of split.items.entries())
      yield { index, units: () => unitsOf(item.text, rule) };
  else if (split.format === 'conllu')
    for (const [index, sentence] of split.sentences.entries()) {
      const text = conlluText(sentence);
      yield {
        index,
        units: () =>
          rule.level === 'word'
            ? conlluWords(sentence).map((w) => w.form.normalize('NFC'))
            : unitsOf(text, rule),
      };
    }
}

/** Says why a corpus cannot train or test a language model, or nothing when it can. */
export function checkLmCorpus(corpus: Corpus): void {
  if (corpus.data.kind !== 'text')
    throw new UnfoldError(
      'LM_NOT_TEXT',
      `${corpus.manifest.name} is a speech corpus: a language model needs text (import plain text with \`unfold corpus import --format text\`, one sentence or paragraph per line; CoNLL-U and TSV corpora work too).`,
    );
}

/** The sentences of the selection's splits, in corpus order, as units. */
export function lmSentencesOf(
  corpus: Corpus,
  selection: DataSelection,
  rule: LmUnitRule,
): SelectedLmSentences {
  checkLmCorpus(corpus);
  const sentences: LmSentence[] = [];
  const skipped: string[] = [];
  if (corpus.data.kind !== 'text') return { sentences, skipped };
  for (const name of selection.splits) {
    const split = corpus.data.splits.get(name);
    if (!split) continue;
    for (const item of splitUnits(split, rule)) {
      const id = `${name}-${item.index + 1}`;
      let units: string[];
      try {
        units = item.units();
      } catch (error) {
        // A control character in one line of a big file: that sentence is left out and named.
        if (error instanceof UnfoldError && error.code === 'TEXT_CONTROL_CHARACTER') {
          skipped.push(`${id}: ${error.message.replace(/^text: /, '')}`);
          continue;
        }
        throw error;
      }
      if (units.length === 0) {
        skipped.push(`${id}: no ${rule.level === 'word' ? 'words' : 'characters'}`);
        continue;
      }
      sentences.push({ id, units });
    }
  }
  return { sentences, skipped };
}
