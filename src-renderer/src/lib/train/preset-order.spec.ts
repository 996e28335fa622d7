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
    expect(tasksForCorpus({ kind: 'text', textFormat: 'conllu' })).toEqual(['pos']);
    expect(tasksForCorpus({ kind: 'text', textFormat: 'tsv' })).toEqual(['sentiment']);
    // Text without tags or labels, and a corpus of no known kind, train nothing here.
    expect(tasksForCorpus({ kind: 'text', textFormat: 'plain' })).toEqual([]);
    expect(tasksForCorpus({ kind: null })).toEqual([]);
  });

  it('offers the sentiment presets for labelled sentences alone', () => {
    const labelled = {
      ...treebank,
      summary: { kind: 'text' as const, textFormat: 'tsv' as const },
    };
    expect(names(presetsInOrder(presets, labelled))).toEqual(['sentiment-bilstm-max']);
    expect(suitedTask(labelled)).toBe('sentiment');
    for (const corpus of [yesNo, treebank])
      expect(names(presetsInOrder(presets, corpus))).not.toContain('sentiment-bilstm-max');
  });

  it('offers the pos preset for a treebank alone, and never for a speech corpus', () => {
    expect(names(presetsInOrder(presets, treebank))).toEqual(['pos-bilstm-charcnn']);
    expect(suitedTask(treebank)).toBe('pos');
    for (const corpus of [yesNo, aligned, transcribed])
      expect(names(presetsInOrder(presets, corpus))).not.toContain('pos-bilstm-charcnn');
    const plain = { ...treebank, summary: { kind: 'text' as const, textFormat: 'plain' as const } };
    expect(presetsInOrder(presets, plain)).toEqual([]);
    expect(suitedTask(plain)).toBeNull();
  });
});
