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
  it('keys and titles an utterance by split and id, a file by its path', () => {
    const utterance: InspectTarget = { kind: 'utterance', split: 'test', prediction };
    const file: InspectTarget = { kind: 'file', path: 'recordings/take 1.wav' };
    expect(targetKey(utterance)).toBe('utterance:test:kal-s0001');
    expect(targetKey({ ...utterance, split: 'dev' })).not.toBe(targetKey(utterance));
    expect(targetKey(file)).toBe('file:recordings/take 1.wav');
    expect(targetTitle(utterance)).toBe('kal-s0001');
    expect(targetTitle(file)).toBe('take 1.wav');
  });
});
