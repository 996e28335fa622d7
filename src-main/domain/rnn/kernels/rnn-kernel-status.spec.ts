import { describe, expect, it } from 'vitest';
import { rnnKernelStatus } from './native-sequence';

describe('the recurrent-layer kernel as the app reports it', () => {
  it('says the TF.js kernels when asked for, and a bad setting as a status with the reason', () => {
    expect(rnnKernelStatus({ UNFOLD_RNN_KERNEL: 'tfjs' })).toEqual({
      implementation: 'tfjs',
      reason: 'UNFOLD_RNN_KERNEL=tfjs',
    });
    expect(rnnKernelStatus({ UNFOLD_RNN_KERNEL: 'gpu' })).toEqual({
      implementation: null,
      reason: 'UNFOLD_RNN_KERNEL=gpu is not a kernel; use native, tfjs or auto.',
    });
  });
});
