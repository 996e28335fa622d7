/**
 * The experiments list's rows: each experiment with its run status and the epochs it trained,
 * read from metrics.json for finished runs and from log.jsonl for cancelled or failed ones
 * (their metrics.json has no training section).
 */

import type { ExperimentListItem, ExperimentLogEntry } from '@api/experiments';
import { epochsOf } from './sort-experiments';
import { runStatus, type RunStatus } from './run-status';

export interface ExperimentRow extends ExperimentListItem {
  status: RunStatus;
  /** Epochs trained, or null when unknown. */
  epochs: number | null;
}

/** The highest epoch the log recorded (a resumed run re-logs from its checkpoint on). */
export function loggedEpochs(log: readonly ExperimentLogEntry[]): number | null {
  let epochs: number | null = null;
  for (const entry of log) {
    if (entry.type === 'epoch' && typeof entry.epoch === 'number')
      epochs = Math.max(epochs ?? 0, entry.epoch);
  }
  return epochs;
}

export function experimentRows(
  items: readonly ExperimentListItem[],
  logs: ReadonlyMap<string, readonly ExperimentLogEntry[]>,
  activeNames: ReadonlySet<string>,
): ExperimentRow[] {
  return items.map((item) => {
    const log = logs.get(item.name) ?? null;
    return {
      ...item,
      status: runStatus(item.metrics, log, activeNames.has(item.name)),
      epochs: epochsOf(item) ?? (log ? loggedEpochs(log) : null),
    };
  });
}
