/**
 * The experiments list's rows: each experiment as the server lists it (its status and epochs
 * come from its folder), with 'training' for those an active job of this session trains.
 */

import type { ExperimentListItem } from '@api/experiments';
import { runStatus } from './run-status';

/** A list item whose status the session's active jobs have had their say on. */
export type ExperimentRow = ExperimentListItem;

export function experimentRows(
  items: readonly ExperimentListItem[],
  activeNames: ReadonlySet<string>,
): ExperimentRow[] {
  return items.map((item) => ({ ...item, status: runStatus(item, activeNames.has(item.name)) }));
}
