import { describe, expect, it } from 'vitest';
import type { ExperimentPreset } from '@api/experiments';
import { hasPhoneAlignments, presetsInOrder, suitedTask } from './preset-order';

// In the order the server lists them.
const presets: ExperimentPreset[] = [
  { name: 'phones-2x256-lstm', task: 'phones', config: {} },
  { name: 'small-words-lstm', task: 'words', config: {} },
  { name: 'words-new-speakers', task: 'words', config: {} },
];
const names = (list: ExperimentPreset[]): string[] => list.map((p) => p.name);

const yesNo = { tasks: ['word-classification'], phoneSet: null };
const aligned = { tasks: ['phone-recognition', 'speech-recognition'], phoneSet: 'arpabet' };
const transcribed = { tasks: ['speech-recognition'], phoneSet: null };

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
    const both = { tasks: ['word-classification', 'phone-recognition'], phoneSet: 'arpabet' };
    expect(presetsInOrder(presets, both)[0]?.task).toBe('words');
    expect(presets[0]?.name).toBe('phones-2x256-lstm');
  });
});
