/** metrics.json: the training summary and one record per evaluation, merged key by key. */
import { join } from 'node:path';
import { writeJsonAtomically } from '../fs/atomic-write';
import { EXPERIMENT_FILES, readJsonOr } from './experiment-folder';

export type ExperimentMetrics = Record<string, unknown> & {
  training?: Record<string, unknown>;
  evaluations?: Record<string, Record<string, unknown>>;
};

export async function readMetrics(dir: string): Promise<ExperimentMetrics> {
  return readJsonOr<ExperimentMetrics>(join(dir, EXPERIMENT_FILES.metrics), {});
}

/** Merges `patch` into metrics.json (top-level keys; evaluations by key), atomically. */
export async function updateMetrics(dir: string, patch: ExperimentMetrics): Promise<void> {
  const current = await readMetrics(dir);
  const evaluations = { ...(current.evaluations ?? {}), ...(patch.evaluations ?? {}) };
  await writeJsonAtomically(join(dir, EXPERIMENT_FILES.metrics), {
    ...current,
    ...patch,
    evaluations,
  });
}
