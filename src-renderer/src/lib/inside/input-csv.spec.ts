import { describe, expect, it } from 'vitest';
import { inputCsv } from './input-csv';

describe('the input strip as CSV', () => {
  it('has a speech input’s features per frame as the model reads them, with the time', () => {
    const csv = inputCsv({
      steps: 4,
      axis: { kind: 'frames', frameShiftSeconds: 0.1 },
      features: { data: Float32Array.from([0, 5, 2, 5, 4.5, -5, 1, 1]), dims: 2 },
    });
    // 3 x 0.1 is 0.30000000000000004 in floating point: the time is rounded.
    expect(csv).toBe('step,time_s,f0,f1\n0,0,0,5\n1,0.1,2,5\n2,0.2,4.5,-5\n3,0.3,1,1\n');
  });

  it('has a text input’s tokens, quoted where they hold a comma or a quote', () => {
    const csv = inputCsv({
      steps: 3,
      axis: { kind: 'tokens', tokens: ['yes', ',', '"no"'] },
      features: null,
    });
    expect(csv).toBe('step,token\n0,yes\n1,","\n2,"""no"""\n');
  });
});
