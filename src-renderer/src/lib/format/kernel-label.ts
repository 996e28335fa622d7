import type { RnnKernelStatus } from '@api/app';

/** The words the status bar and the System card use for the recurrent-layer kernel. */
export function kernelLabel(kernel: RnnKernelStatus): string {
  if (kernel.implementation === 'native') return 'native kernel';
  if (kernel.implementation === 'tfjs') return 'TF.js kernels';
  return 'invalid kernel setting';
}
