/**
 * The labelled sentences of a corpus selection: every `label<TAB>text` item of a TSV corpus
 * (the polarity importer writes MR as one), tokenised with the text ground's tokenizer.
 */
import type { Corpus } from '../../corpus/model';
import { UnfoldError } from '../../errors';
import type { DataSelection } from '../../experiments/config/common-config';
import { tokenizeText } from '../tokenize';

export interface LabelledSentence {
  /** `<split>-<line number>`. */
  id: string;
  text: string;
  words: string[];
  label: string;
}

export interface SelectedLabelledSentences {
  sentences: LabelledSentence[];
  /** Sentences left out, with why (no token once tokenised). */
  skipped: string[];
}

/** Says why a corpus cannot train or test a sentence classifier, or nothing when it can. */
export function checkLabelledCorpus(corpus: Corpus): void {
  const format = corpus.data.kind === 'text' ? corpus.manifest.textFormat : null;
  if (corpus.data.kind !== 'text' || format !== 'tsv')
    throw new UnfoldError(
      'SENTIMENT_NOT_LABELLED',
      `${corpus.manifest.name} is a ${corpus.data.kind === 'text' ? `${format ?? 'plain'} text` : 'speech'} corpus: sentence classification needs sentences with labels (import label<TAB>text files with \`unfold corpus import --format tsv\`, a folder with rt-polarity.pos/.neg with \`--format polarity\`, or folders of .txt files per label with \`--format text-folders\`).`,
    );
}

/** The words of a sentence as the classifier reads them, from training to `unfold classify`. */
export function sentenceWords(text: string): string[] {
  return tokenizeText(text).map((token) => token.text);
}

export function labelledSentencesOf(
  corpus: Corpus,
  selection: DataSelection,
): SelectedLabelledSentences {
  checkLabelledCorpus(corpus);
  const sentences: LabelledSentence[] = [];
  const skipped: string[] = [];
  if (corpus.data.kind !== 'text') return { sentences, skipped };
  for (const split of selection.splits) {
    const data = corpus.data.splits.get(split);
    if (data?.format !== 'tsv') continue;
    data.items.forEach((item, index) => {
      const id = `${split}-${index + 1}`;
      let words: string[];
      try {
        words = sentenceWords(item.text);
      } catch (error) {
        // A control character in one line of a big file: that sentence is left out and named.
        if (error instanceof UnfoldError && error.code === 'TEXT_CONTROL_CHARACTER') {
          skipped.push(`${id}: ${error.message.replace(/^text: /, '')}`);
          return;
        }
        throw error;
      }
      if (words.length === 0) {
        skipped.push(`${id}: no words in "${item.text}"`);
        return;
      }
      sentences.push({ id, text: item.text, words, label: item.label });
    });
  }
  return { sentences, skipped };
}

/** What makes two sentences the same one: their words, lower-cased. */
export function sentenceKey(words: readonly string[]): string {
  return words.join(' ').toLowerCase();
}
