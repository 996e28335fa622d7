import type { ExperimentListItem } from '@api/experiments';
import type { ExperimentRow } from './experiment-rows';

export type ExperimentSortKey =
  'name' | 'task' | 'corpus' | 'created' | 'status' | 'epochs' | 'metric' | 'per';

/** The headline figure of an experiment: its test (else dev) evaluation, else training's best. */
export function keyMetric(item: Pick<ExperimentListItem, 'metrics'>): number | null {
  const evaluations = item.metrics.evaluations as
    Record<string, Record<string, unknown>> | undefined;
  for (const split of ['test', 'dev']) {
    const e = evaluations?.[split];
    const value = e?.accuracy ?? e?.frameAccuracy;
    if (typeof value === 'number') return value;
  }
  const training = item.metrics.training as Record<string, unknown> | undefined;
  return typeof training?.bestMetric === 'number' ? training.bestMetric : null;
}

/** The phone error rate of the test (else dev) evaluation of a phones experiment. */
export function phoneErrorRate(item: Pick<ExperimentListItem, 'metrics'>): number | null {
  const evaluations = item.metrics.evaluations as
    Record<string, Record<string, unknown>> | undefined;
  for (const split of ['test', 'dev']) {
    const per = evaluations?.[split]?.phoneErrorRate as
      Record<string, unknown> | number | undefined;
    const value = typeof per === 'number' ? per : per?.rate;
    if (typeof value === 'number') return value;
  }
  return null;
}

function sortValue(item: ExperimentRow, key: ExperimentSortKey): string | number | null {
  switch (key) {
    case 'epochs':
      return item.epochs;
    case 'metric':
      return keyMetric(item);
    case 'per':
      return phoneErrorRate(item);
    case 'status':
      return item.status;
    default:
      return item[key];
  }
}

/** A sorted copy; missing values go last whatever the direction. */
export function sortExperiments(
  items: readonly ExperimentRow[],
  key: ExperimentSortKey,
  ascending: boolean,
): ExperimentRow[] {
  return [...items].sort((a, b) => {
    const va = sortValue(a, key);
    const vb = sortValue(b, key);
    if (va === null && vb === null) return 0;
    if (va === null) return 1;
    if (vb === null) return -1;
    const order =
      typeof va === 'number' && typeof vb === 'number'
        ? va - vb
        : String(va).localeCompare(String(vb));
    return ascending ? order : -order;
  });
}
