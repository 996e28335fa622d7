import type { ExperimentListItem } from '@api/experiments';

export type ExperimentSortKey = 'name' | 'task' | 'corpus' | 'created' | 'epochs' | 'metric';

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

export function epochsOf(item: Pick<ExperimentListItem, 'metrics'>): number | null {
  const training = item.metrics.training as Record<string, unknown> | undefined;
  return typeof training?.epochs === 'number' ? training.epochs : null;
}

function sortValue(item: ExperimentListItem, key: ExperimentSortKey): string | number | null {
  switch (key) {
    case 'epochs':
      return epochsOf(item);
    case 'metric':
      return keyMetric(item);
    default:
      return item[key];
  }
}

/** A sorted copy; missing values go last whatever the direction. */
export function sortExperiments(
  items: readonly ExperimentListItem[],
  key: ExperimentSortKey,
  ascending: boolean,
): ExperimentListItem[] {
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
