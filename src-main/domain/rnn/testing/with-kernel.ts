/** Runs `body` with UNFOLD_RNN_KERNEL set to `implementation`, restoring it afterwards. */
export function withKernel<T>(implementation: 'native' | 'tfjs', body: () => T): T {
  const before = process.env.UNFOLD_RNN_KERNEL;
  process.env.UNFOLD_RNN_KERNEL = implementation;
  try {
    return body();
  } finally {
    if (before === undefined) delete process.env.UNFOLD_RNN_KERNEL;
    else process.env.UNFOLD_RNN_KERNEL = before;
  }
}
