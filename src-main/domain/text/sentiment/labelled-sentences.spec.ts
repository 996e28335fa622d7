import { describe, expect, it } from 'vitest';
import { newManifest } from '../../corpus/manifest';
import type { Corpus, TextSplit } from '../../corpus/model';
import { checkLabelledCorpus, labelledSentencesOf, sentenceKey } from './labelled-sentences';

function textCorpus(format: TextSplit['format'], splits: Record<string, TextSplit>): Corpus {
  return {
    dir: '/nowhere',
    manifest: newManifest({
      name: 'c',
      kind: 'text',
      textFormat: format,
      tasks: [],
      labels: [],
      phoneSet: null,
      splits: Object.keys(splits),
    }),
    data: { kind: 'text', splits: new Map(Object.entries(splits)) },
  };
}

describe('labelled sentences', () => {
  it('tokenises each item of the selected splits, ids by split and line', () => {
    const corpus = textCorpus('tsv', {
      train: {
        format: 'tsv',
        items: [
          { label: 'pos', text: "it's a well-made film ." },
          { label: 'neg', text: 'dull' },
        ],
      },
      test: { format: 'tsv', items: [{ label: 'neg', text: 'no' }] },
    });
    expect(labelledSentencesOf(corpus, { splits: ['train'] })).toEqual({
      sentences: [
        {
          id: 'train-1',
          text: "it's a well-made film .",
          words: ['it', "'s", 'a', 'well', '-', 'made', 'film', '.'],
          label: 'pos',
        },
        { id: 'train-2', text: 'dull', words: ['dull'], label: 'neg' },
      ],
      skipped: [],
    });
  });

  it('leaves out a sentence with a control character, saying where, and keeps the rest', () => {
    const corpus = textCorpus('tsv', {
      train: {
        format: 'tsv',
        items: [
          { label: 'pos', text: 'fine' },
          { label: 'neg', text: 'a\u0007b' },
        ],
      },
    });
    const selected = labelledSentencesOf(corpus, { splits: ['train'] });
    expect(selected.sentences.map((s) => s.id)).toEqual(['train-1']);
    expect(selected.skipped).toEqual([
      'train-2: control character U+0007 at line 1, column 2: remove it or replace it with a space',
    ]);
  });

  it('refuses CoNLL-U and plain text, naming the formats that work', () => {
    const plain = textCorpus('plain', { train: { format: 'plain', lines: ['a b'] } });
    expect(() => checkLabelledCorpus(plain)).toThrow(
      /c is a plain text corpus: sentence classification needs sentences with labels .*--format tsv.*--format polarity/,
    );
    const conllu = textCorpus('conllu', { train: { format: 'conllu', sentences: [] } });
    expect(() => labelledSentencesOf(conllu, { splits: ['train'] })).toThrow(/conllu text corpus/);
  });

  it('treats sentences with the same words in another case as the same sentence', () => {
    expect(sentenceKey(['A', 'Fine', 'film'])).toBe(sentenceKey(['a', 'fine', 'FILM']));
    expect(sentenceKey(['a', 'fine'])).not.toBe(sentenceKey(['a', 'fine', 'film']));
  });
});
