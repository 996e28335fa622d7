import { describe, expect, it } from 'vitest';
import { evaluationParams } from './evaluation-request';

describe('evaluationParams', () => {
  it('names the corpus only for an evaluation on another corpus', () => {
    expect(evaluationParams({ corpus: null, split: 'test' })).toEqual({ split: 'test' });
    expect(evaluationParams({ corpus: 'other', split: 'train' })).toEqual({
      split: 'train',
      corpus: 'other',
    });
  });
});
