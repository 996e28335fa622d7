import { describe, expect, it } from 'vitest';
import type { Corpus } from '../../corpus/model';
import { parseConfigWith } from '../../experiments/config/experiment-config';
import { LmConfigSchema } from '../../experiments/config/lm-config';
import { lmCharLstm, lmWordLstm } from '../../experiments/lm-presets';
import { UNK_ID } from '../vocabulary';
import { chunkedStream, trainingStreams } from './lm-task';
import { lmSentencesOf, unitsOf } from './lm-text';
import { EOS_TOKEN, LmVocabulary } from './lm-vocabulary';

function plainCorpus(lines: string[]): Corpus {
  return {
    dir: '/nowhere',
    manifest: { name: 'toy' } as Corpus['manifest'],
    data: { kind: 'text', splits: new Map([['train', { format: 'plain', lines }]]) },
  };
}

describe('the units of a language model', () => {
  it('cuts words Penn-style, keeps a corpus <unk> whole, or splits at white space', () => {
    expect(unitsOf("I don't know <unk> here.", { level: 'word', tokenizer: 'text' })).toEqual([
      'I',
      'do',
      "n't",
      'know',
      '<unk>',
      'here',
      '.',
    ]);
    expect(unitsOf('the <unk> said N', { level: 'word', tokenizer: 'whitespace' })).toEqual([
      'the',
      '<unk>',
      'said',
      'N',
    ]);
    expect(unitsOf('cafe\u0301 🙂', { level: 'char', tokenizer: 'text' })).toEqual([
      'c',
      'a',
      'f',
      'é',
      ' ',
      '🙂',
    ]);
  });

  it('reads a line of 100,000 characters whole, as words and as characters', () => {
    const line = 'the cat sat on the mat . '.repeat(4000);
    expect(unitsOf(line, { level: 'word', tokenizer: 'text' })).toHaveLength(28_000);
    expect(unitsOf(line, { level: 'char', tokenizer: 'text' })).toHaveLength(100_000);
  });

  it('reads the sentences of a selection and names the ones it leaves out', () => {
    const corpus = plainCorpus(['a b', 'bad \u0007 line', 'c']);
    const read = lmSentencesOf(corpus, { splits: ['train'] }, { level: 'word', tokenizer: 'text' });
    expect(read.sentences.map((s) => s.id)).toEqual(['train-1', 'train-3']);
    expect(read.skipped[0]).toMatch(/^train-2: control character U\+0007/);
  });

  it('builds a vocabulary with the end of sentence and a stream that starts after one', () => {
    const sentences = [
      { id: '1', units: ['a', 'b', 'a'] },
      { id: '2', units: ['c'] },
    ];
    const vocabulary = LmVocabulary.fromTraining(sentences, {
      minCount: 2,
      maxVocabulary: 100,
      lowercase: false,
    });
    expect(vocabulary.unit(vocabulary.eosId)).toBe(EOS_TOKEN);
    // b and c were seen once: unknown.
    expect(vocabulary.unknownCount).toBe(2);
    const ids = vocabulary.stream(sentences);
    const a = vocabulary.id('a');
    const eos = vocabulary.eosId;
    expect([...ids]).toEqual([eos, a, UNK_ID, a, eos, UNK_ID, eos]);
    const restored = LmVocabulary.fromLabels(
      vocabulary.labels({ level: 'word', tokenizer: 'text' }),
      'labels.json',
    );
    expect([...restored.stream(sentences)]).toEqual([...ids]);
    expect(restored.countOfId(UNK_ID)).toBe(2);
  });

  it('cuts the training stream into contiguous streams and the dev stream into chunks', () => {
    const ids = Int32Array.from([9, 1, 2, 3, 4, 5, 6, 7, 8]);
    const streams = trainingStreams(ids, 3);
    expect(streams.map((s) => [...s.inputs])).toEqual([
      [9, 1],
      [2, 3, 4],
      [5, 6, 7],
    ]);
    expect(streams.map((s) => [...(s.target as Int32Array)])).toEqual([
      [1, 2],
      [3, 4, 5],
      [6, 7, 8],
    ]);
    expect(trainingStreams(Int32Array.from([9, 1]), 20)).toHaveLength(1);
    const dropped = trainingStreams(ids, 2, (id) => (id === 9 ? 0 : 0.5));
    expect([...(dropped[0]?.tokenDropout ?? [])]).toEqual([0, 0.5, 0.5, 0.5]);
    expect(chunkedStream(ids, 5).map((c) => c.length)).toEqual([5, 3]);
  });

  it('takes truncated BPTT only, unidirectional layers and no character CNN', () => {
    const base = {
      name: 'x',
      task: 'lm',
      corpus: 'c',
      data: { train: { splits: ['train'] }, test: { splits: ['test'] } },
      model: { layers: [{ cell: 'gru', units: 8 }] },
      training: { epochs: 1, batchSize: 2, optimizer: { kind: 'sgd', learningRate: 1 } },
    };
    const config = parseConfigWith(LmConfigSchema, base);
    expect(parseConfigWith(LmConfigSchema, lmWordLstm('c', 'n')).level).toBe('word');
    expect(parseConfigWith(LmConfigSchema, lmCharLstm('c', 'n')).level).toBe('char');
    expect(config.training.bptt).toEqual({ kind: 'truncated', window: 35 });
    expect(config.training.monitor).toBe('loss');
    expect(config.baseline).toEqual({ order: 5 });
    expect(() =>
      parseConfigWith(LmConfigSchema, {
        ...base,
        training: { ...base.training, bptt: { kind: 'full' } },
      }),
    ).toThrow(/truncated/);
    expect(() =>
      parseConfigWith(LmConfigSchema, {
        ...base,
        model: { layers: [{ cell: 'lstm', units: 8, bidirectional: 'concat' }] },
      }),
    ).toThrow(/bidirectional/);
    expect(() =>
      parseConfigWith(LmConfigSchema, { ...base, words: { chars: { filters: 10 } } }),
    ).toThrow(/no chars/);
  });

  it('ties the embeddings only when their size is the top layer output size', () => {
    const base = {
      name: 'x',
      task: 'lm',
      corpus: 'c',
      data: { train: { splits: ['train'] }, test: { splits: ['test'] } },
      words: { embeddingSize: 8 },
      model: {
        layers: [
          { cell: 'lstm', units: 16 },
          { cell: 'gru', units: 8 },
        ],
      },
      training: { epochs: 1, batchSize: 2, optimizer: { kind: 'sgd', learningRate: 1 } },
    };
    expect(parseConfigWith(LmConfigSchema, base).tiedEmbeddings).toBe(false);
    expect(parseConfigWith(LmConfigSchema, { ...base, tiedEmbeddings: true }).tiedEmbeddings).toBe(
      true,
    );
    expect(() =>
      parseConfigWith(LmConfigSchema, {
        ...base,
        tiedEmbeddings: true,
        words: { embeddingSize: 16 },
      }),
    ).toThrow(/words\.embeddingSize.*output size \(8\), not 16/);
  });
});
