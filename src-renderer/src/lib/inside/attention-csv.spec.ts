import { describe, expect, it } from 'vitest';
import { attentionCsv } from './attention-csv';

describe('the attention as CSV', () => {
  it('has one line per decoder step, one column per source symbol', () => {
    const matrix = { data: Float32Array.from([0.75, 0.25, 0, 1]), rows: 2, cols: 2 };
    expect(attentionCsv(matrix, ['B', '</s>'], ['a', ','])).toBe(
      'step,output,s0:a,"s1:,"\n0,B,0.75,0.25\n1,</s>,0,1\n',
    );
  });
});
