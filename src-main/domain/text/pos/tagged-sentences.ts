/**
 * The tagged sentences of a corpus selection: the syntactic words of each CoNLL-U sentence
 * (Brown is imported as CoNLL-U too) with the tag column the experiment learns.
 */
import { conlluWords } from '../../corpus/formats/conllu';
import type { ConlluSentence } from '../../corpus/formats/conllu';
import type { Corpus } from '../../corpus/model';
import { UnfoldError } from '../../errors';
import type { DataSelection } from '../../experiments/config/common-config';
import type { TagSetChoice } from '../../experiments/config/text-config';

export interface TaggedSentence {
  /** `sent_id` of the sentence, else `<split>-<number>`. */
  id: string;
  words: string[];
  tags: string[];
}

export interface SelectedSentences {
  sentences: TaggedSentence[];
  /** Sentences left out, with why (a word without a tag in the chosen column). */
  skipped: string[];
}

function sentenceId(sentence: ConlluSentence, split: string, index: number): string {
  for (const comment of sentence.comments) {
    const match = /^sent_id\s*=\s*(.+)$/.exec(comment);
    if (match?.[1]) return match[1].trim();
  }
  return `${split}-${index + 1}`;
}

/** Says why a corpus cannot train or test a tagger, or nothing when it can. */
export function checkTaggedCorpus(corpus: Corpus): void {
  const data = corpus.data;
  const format = data.kind === 'text' ? corpus.manifest.textFormat : null;
  if (data.kind !== 'text' || format !== 'conllu')
    throw new UnfoldError(
      'POS_NOT_TAGGED',
      `${corpus.manifest.name} is a ${data.kind === 'text' ? `${format ?? 'text'} text` : 'speech'} corpus: part-of-speech tagging needs words with tags (import a CoNLL-U treebank or the Brown corpus: unfold corpus import --format conllu|brown).`,
    );
}

export function taggedSentencesOf(
  corpus: Corpus,
  selection: DataSelection,
  tagSet: TagSetChoice,
): SelectedSentences {
  checkTaggedCorpus(corpus);
  const sentences: TaggedSentence[] = [];
  const skipped: string[] = [];
  if (corpus.data.kind !== 'text') return { sentences, skipped };
  for (const split of selection.splits) {
    const data = corpus.data.splits.get(split);
    if (data?.format !== 'conllu') continue;
    data.sentences.forEach((sentence, index) => {
      const id = sentenceId(sentence, split, index);
      const words = conlluWords(sentence);
      if (words.length === 0) return;
      const tags = words.map((word) => (tagSet === 'upos' ? word.upos : word.xpos));
      const untagged = tags.findIndex((tag) => tag === '_' || tag === '');
      if (untagged >= 0) {
        skipped.push(
          `${id}: word ${untagged + 1} ("${words[untagged]?.form ?? ''}") has no ${tagSet.toUpperCase()} tag`,
        );
        return;
      }
      sentences.push({ id, words: words.map((word) => word.form.normalize('NFC')), tags });
    });
  }
  return { sentences, skipped };
}
