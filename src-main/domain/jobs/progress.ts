import type { GradientReport } from '../rnn/gradient-report';

/** What a long operation reports while it runs. */
export interface Progress {
  /** 0..1, or null when the total is unknown. */
  fraction: number | null;
  message?: string;
  /** Named figures such as loss, accuracy, frames per second. */
  metrics?: Record<string, number>;
  /** Training only: the batch's gradient norms (rnn/gradient-report.ts). */
  gradients?: GradientReport;
}

/** Every long operation in the domain takes these: it reports progress and stops when aborted. */
export interface LongOperationOptions {
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
}

/** The progress of one part of a long operation, mapped into its range [from, to) of the whole. */
export function scaledProgress(
  onProgress: ((p: Progress) => void) | undefined,
  from: number,
  to: number,
): (p: Progress) => void {
  return (p) =>
    onProgress?.({ ...p, fraction: p.fraction === null ? null : from + (to - from) * p.fraction });
}
