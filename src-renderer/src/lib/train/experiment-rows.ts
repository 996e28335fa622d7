/**
 * The experiments list's rows: each experiment as the server lists it (its status and epochs
 * come from its folder), with 'training' for those an active job of this session trains, and
 * the figures the table shows with where each comes from.
 */

import type { ExperimentListItem } from '@api/experiments';
import { headlineAccuracy, headlinePhoneErrorRate, type HeadlineFigure } from './headline-figures';
import { runStatus } from './run-status';

/** A list item whose status the session's active jobs have had their say on, with its figures. */
export interface ExperimentRow extends ExperimentListItem {
  accuracy: HeadlineFigure | null;
  phoneErrorRate: HeadlineFigure | null;
}

export function experimentRows(
  items: readonly ExperimentListItem[],
  activeNames: ReadonlySet<string>,
): ExperimentRow[] {
  return items.map((item) => ({
    ...item,
    status: runStatus(item, activeNames.has(item.name)),
    accuracy: headlineAccuracy(item),
    phoneErrorRate: headlinePhoneErrorRate(item),
  }));
}
