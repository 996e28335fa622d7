import type { TextGridData, TextGridIntervalData } from '@api/corpus';

export interface IntervalTierData {
  kind: 'interval';
  name: string;
  xmin: number;
  xmax: number;
  intervals: TextGridIntervalData[];
}

/** The interval tiers to edit, words first, then phones, then any other. */
export function editableTiers(grid: TextGridData | null): IntervalTierData[] {
  if (!grid) return [];
  const order = (name: string): number => (name === 'words' ? 0 : name === 'phones' ? 1 : 2);
  return grid.tiers
    .filter((t): t is IntervalTierData => t.kind === 'interval')
    .sort((a, b) => order(a.name) - order(b.name));
}

/** Position and width of [start, end] in percent of a span of `duration` seconds. */
export function spanPercent(
  start: number,
  end: number,
  duration: number,
): { left: number; width: number } {
  if (duration <= 0) return { left: 0, width: 0 };
  return { left: (start / duration) * 100, width: ((end - start) / duration) * 100 };
}

/** The index of the interval holding `time` (the later one on a boundary), or -1. */
export function intervalAt(intervals: readonly TextGridIntervalData[], time: number): number {
  for (let k = intervals.length - 1; k >= 0; k--) {
    const item = intervals[k]!;
    if (time >= item.xmin && time <= item.xmax) return k;
  }
  return -1;
}

/**
 * Where a dragged boundary between interval `index` and `index + 1` may go: strictly inside
 * the two intervals, `margin` seconds from their outer edges.
 */
export function clampBoundary(
  intervals: readonly TextGridIntervalData[],
  index: number,
  time: number,
  margin = 0.005,
): number {
  const left = intervals[index];
  const right = intervals[index + 1];
  if (!left || !right) return time;
  return Math.min(right.xmax - margin, Math.max(left.xmin + margin, time));
}
