/** The experiments of a data folder and what their pages show, whatever their task. */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvaluationRef, StoredEvaluation } from './evaluations';
import { listEvaluations, readEvaluation } from './evaluations';
import {
  EXPERIMENTS_DIR,
  STRAY_TEMP_FILE_AGE_MS,
  experimentCreated,
  removeStrayTempFiles,
} from './experiment-folder';
import { experimentLogFile, readExperimentLog, readRunSummary } from './experiment-log';
import type { RunSummary } from './experiment-log';
import type { ExperimentMetrics } from './experiment-metrics';
import { readMetrics } from './experiment-metrics';
import { readCommonConfig } from './experiment-records';
import type { ExperimentLogEntry } from './run-status';
import { isBidirectionalLmConfig } from './config/lm-config';

export interface ExperimentSummary extends RunSummary {
  name: string;
  dir: string;
  task: string;
  corpus: string;
  /** When it was created, null if unknown. */
  created: string | null;
  metrics: ExperimentMetrics;
  /** A bidirectional LM (its layers are contextual embeddings for taggers and classifiers). */
  bidirectionalLm: boolean;
}

/**
 * Every experiment in the data folder with its key metrics, status and epochs (for the list,
 * which is reloaded often: only the tail of each log is read).
 */
export async function listExperiments(
  dataDir: string,
  /** Names of files tasks keep beside their models (older runs kept them at the top level). */
  taskFiles: readonly string[] = [],
): Promise<ExperimentSummary[]> {
  const root = join(dataDir, EXPERIMENTS_DIR);
  const names = await readdir(root).catch(() => [] as string[]);
  const out: ExperimentSummary[] = [];
  for (const name of names.sort()) {
    const dir = join(root, name);
    const isFolder = await stat(dir).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isFolder) continue;
    try {
      const config = await readCommonConfig(dir);
      await removeStrayTempFiles(dir, { olderThanMs: STRAY_TEMP_FILE_AGE_MS, taskFiles });
      const metrics = await readMetrics(dir);
      out.push({
        name,
        dir,
        task: config.task,
        corpus: config.corpus,
        created: await experimentCreated(dir),
        metrics,
        bidirectionalLm: isBidirectionalLmConfig(config),
        ...(await readRunSummary(experimentLogFile(dir), metrics)),
      });
    } catch {
      // Not an experiment (or a half-created one): leave it out of the list.
    }
  }
  return out;
}

export interface ExperimentPage {
  task: string;
  corpus: string;
  created: string | null;
  /** config.json as stored (validated for the shared part). */
  config: Record<string, unknown>;
  log: ExperimentLogEntry[];
  metrics: ExperimentMetrics;
  evaluations: EvaluationRef[];
}

/** Everything an experiment's page shows but its evaluations' items. */
export async function readExperimentPage(dir: string): Promise<ExperimentPage> {
  const config = await readCommonConfig(dir);
  return {
    task: config.task,
    corpus: config.corpus,
    created: await experimentCreated(dir),
    config,
    log: await readExperimentLog(dir),
    metrics: await readMetrics(dir),
    evaluations: await listEvaluations(dir),
  };
}

/** A stored evaluation of an experiment (throws EXPERIMENT_NOT_FOUND for a folder that is not one). */
export async function readExperimentEvaluation(
  dir: string,
  ref: EvaluationRef,
): Promise<StoredEvaluation | null> {
  await readCommonConfig(dir);
  return readEvaluation(dir, ref);
}
