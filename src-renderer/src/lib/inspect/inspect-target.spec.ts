import { describe, expect, it } from 'vitest';
import type { EvaluationPrediction } from '@api/experiments';
import { targetKey, targetTitle, type InspectTarget } from './inspect-target';

const prediction: EvaluationPrediction = {
  utteranceId: 'kal-s0001',
  speaker: 'kal',
  audioPath: '/data/corpora/s/audio/kal-s0001.wav',
  reference: ['k', 'ae'],
};

describe('inspector targets', () => {
  it('keys and titles an utterance by its evaluation and id, a file by its path', () => {
    const evaluation = { corpus: null, split: 'test' };
    const utterance: InspectTarget = { kind: 'utterance', evaluation, prediction };
    const file: InspectTarget = { kind: 'file', path: 'recordings/take 1.wav' };
    expect(targetKey(utterance)).toBe('utterance:test:kal-s0001');
    const dev = { ...utterance, evaluation: { corpus: null, split: 'dev' } };
    expect(targetKey(dev)).not.toBe(targetKey(utterance));
    // The same split of another corpus is another evaluation.
    const other = { ...utterance, evaluation: { corpus: 'other', split: 'test' } };
    expect(targetKey(other)).toBe('utterance:other/test:kal-s0001');
    expect(targetKey(file)).toBe('file:recordings/take 1.wav');
    expect(targetTitle(utterance)).toBe('kal-s0001');
    expect(targetTitle(file)).toBe('take 1.wav');
  });
});
