import type { ExperimentRow } from './experiment-rows';

export type ExperimentSortKey =
  'name' | 'task' | 'corpus' | 'created' | 'status' | 'epochs' | 'metric' | 'per';

function sortValue(item: ExperimentRow, key: ExperimentSortKey): string | number | null {
  switch (key) {
    case 'epochs':
      return item.epochs;
    case 'metric':
      return item.accuracy?.value ?? null;
    case 'per':
      return item.phoneErrorRate?.value ?? null;
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
