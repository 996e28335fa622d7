import { describe, expect, it } from 'vitest';
import type { ExperimentPreset } from '@api/experiments';
import { hasPhoneAlignments, presetsInOrder, suitedTask, tasksForCorpus } from './preset-order';

// In the order the server lists them.
const presets: ExperimentPreset[] = [
  { name: 'phones-2x256-lstm', task: 'phones', config: {} },
  { name: 'small-words-lstm', task: 'words', config: {} },
  { name: 'words-new-speakers', task: 'words', config: {} },
  { name: 'pos-bilstm-charcnn', task: 'pos', config: {} },
  { name: 'sentiment-bilstm-max', task: 'sentiment', config: {} },
  { name: 'lm-word-lstm', task: 'lm', config: {} },
  { name: 'seq2seq-g2p-lstm', task: 'seq2seq', config: {} },
];
const names = (list: ExperimentPreset[]): string[] => list.map((p) => p.name);

const speech = { kind: 'speech' } as const;
const yesNo = { tasks: ['word-classification'], phoneSet: null, summary: speech };
const aligned = {
  tasks: ['phone-recognition', 'speech-recognition'],
  phoneSet: 'arpabet',
  summary: speech,
};
const transcribed = { tasks: ['speech-recognition'], phoneSet: null, summary: speech };

describe('presetsInOrder', () => {
  it('offers the words presets first for a word corpus without alignments', () => {
    expect(names(presetsInOrder(presets, yesNo))).toEqual([
      'small-words-lstm',
      'words-new-speakers',
      'phones-2x256-lstm',
    ]);
    expect(suitedTask(transcribed)).toBe('words');
  });

  it('offers the phones presets first for a corpus with phone alignments', () => {
    expect(names(presetsInOrder(presets, aligned))).toEqual([
      'phones-2x256-lstm',
      'small-words-lstm',
      'words-new-speakers',
    ]);
    expect(hasPhoneAlignments({ tasks: [], phoneSet: 'arpabet' })).toBe(true);
    expect(hasPhoneAlignments(yesNo)).toBe(false);
  });

  it('keeps words first for a word corpus that also has alignments, and leaves its input alone', () => {
    const both = {
      tasks: ['word-classification', 'phone-recognition'],
      phoneSet: 'arpabet',
      summary: speech,
    };
    expect(presetsInOrder(presets, both)[0]?.task).toBe('words');
    expect(presets[0]?.name).toBe('phones-2x256-lstm');
  });
});

describe('the tasks and presets of a corpus kind', () => {
  const treebank = {
    tasks: [],
    phoneSet: null,
    summary: { kind: 'text' as const, textFormat: 'conllu' as const },
  };

  it('offers the speech tasks for speech corpora, tagging for tagged text, classification for labelled sentences', () => {
    expect(tasksForCorpus({ kind: 'speech' })).toEqual(['words', 'phones']);
    // A language model reads the sentences of any text, tagged, labelled or plain.
    expect(tasksForCorpus({ kind: 'text', textFormat: 'conllu' })).toEqual(['pos', 'lm']);
    expect(tasksForCorpus({ kind: 'text', textFormat: 'tsv' })).toEqual(['sentiment', 'lm']);
    expect(tasksForCorpus({ kind: 'text', textFormat: 'plain' })).toEqual(['lm']);
    expect(tasksForCorpus({ kind: 'text', textFormat: 'pairs' })).toEqual(['seq2seq']);
    // A corpus of no known kind trains nothing here.
    expect(tasksForCorpus({ kind: null })).toEqual([]);
  });

  it('offers the sentiment presets for labelled sentences alone', () => {
    const labelled = {
      ...treebank,
      summary: { kind: 'text' as const, textFormat: 'tsv' as const },
    };
    expect(names(presetsInOrder(presets, labelled))).toEqual([
      'sentiment-bilstm-max',
      'lm-word-lstm',
    ]);
    expect(suitedTask(labelled)).toBe('sentiment');
    for (const corpus of [yesNo, treebank])
      expect(names(presetsInOrder(presets, corpus))).not.toContain('sentiment-bilstm-max');
  });

  it('offers the pos preset for a treebank alone, and never for a speech corpus', () => {
    expect(names(presetsInOrder(presets, treebank))).toEqual([
      'pos-bilstm-charcnn',
      'lm-word-lstm',
    ]);
    expect(suitedTask(treebank)).toBe('pos');
    for (const corpus of [yesNo, aligned, transcribed])
      expect(names(presetsInOrder(presets, corpus))).not.toContain('pos-bilstm-charcnn');
  });

  it('offers the language-model presets for plain text, the seq2seq ones for pairs', () => {
    const plain = { ...treebank, summary: { kind: 'text' as const, textFormat: 'plain' as const } };
    expect(names(presetsInOrder(presets, plain))).toEqual(['lm-word-lstm']);
    expect(suitedTask(plain)).toBe('lm');
    const pairs = { ...treebank, summary: { kind: 'text' as const, textFormat: 'pairs' as const } };
    expect(names(presetsInOrder(presets, pairs))).toEqual(['seq2seq-g2p-lstm']);
    expect(suitedTask(pairs)).toBe('seq2seq');
    for (const corpus of [yesNo, aligned])
      expect(names(presetsInOrder(presets, corpus))).not.toContain('lm-word-lstm');
    expect(suitedTask({ ...treebank, summary: { kind: null } })).toBeNull();
  });
});
