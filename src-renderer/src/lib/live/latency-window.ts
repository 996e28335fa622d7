/**
 * The live posteriorgram's latency readout: how long from the audio reaching main to its
 * column being on screen, over a sliding window of recent batches.
 */

/** The budget for audio-to-drawn-column latency on this machine. */
export const LATENCY_BUDGET_MS = 100;

/**
 * Audio-to-drawn-column latency of one batch: main's processing time (chunk arrival to
 * posteriors) plus the time from main sending the batch to the column being drawn. Both
 * clocks are this machine's wall clock (main and the page run on the same computer).
 */
export function drawnLatencyMs(
  batch: { latencyMs: number; sentAt: number },
  drawnAtEpochMs: number,
): number {
  return batch.latencyMs + Math.max(0, drawnAtEpochMs - batch.sentAt);
}

export interface LatencySummary {
  last: number;
  median: number;
  /** How many batches the median covers. */
  count: number;
  /** True when the median is over the budget (latency over it most of the time). */
  overBudget: boolean;
  /** True when the newest batch alone was over the budget. */
  lastOverBudget: boolean;
}

/** The last `size` latencies, with their median. */
export class LatencyWindow {
  private readonly values: number[] = [];

  constructor(
    readonly size = 50,
    readonly budgetMs = LATENCY_BUDGET_MS,
  ) {}

  push(ms: number): void {
    if (!Number.isFinite(ms)) return;
    this.values.push(ms);
    if (this.values.length > this.size) this.values.splice(0, this.values.length - this.size);
  }

  get count(): number {
    return this.values.length;
  }

  /** Null until a latency has been recorded. */
  summary(): LatencySummary | null {
    const count = this.values.length;
    if (count === 0) return null;
    const sorted = [...this.values].sort((a, b) => a - b);
    const middle = Math.floor(count / 2);
    const last = this.values[count - 1] as number;
    const median =
      count % 2 === 1
        ? (sorted[middle] as number)
        : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
    return {
      last,
      median,
      count,
      overBudget: median > this.budgetMs,
      lastOverBudget: last > this.budgetMs,
    };
  }

  reset(): void {
    this.values.length = 0;
  }
}
