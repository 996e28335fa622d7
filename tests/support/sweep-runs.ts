/**
 * A sweep's runs made alone, for the sweep tests' comparisons: each run's planned config
 * trained in this process, and what training computed read back from an experiment folder
 * without its times and paths (which differ from one machine or run to the next).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXPERIMENT_TASK_REGISTRY } from '../../src-main/domain/experiment-tasks';
import { readMetrics } from '../../src-main/domain/experiments/experiment-metrics';
import { trainExperiment } from '../../src-main/domain/experiments/train-experiment';
import { readSweepPlan } from '../../src-main/domain/sweeps/sweep-folder';

/** Trains every run of the sweep in `sweepDir` in this process, into `outDir/<experiment>`. */
export async function trainRunsAlone(
  sweepDir: string,
  { dataDir, outDir }: { dataDir: string; outDir: string },
): Promise<void> {
  const plan = await readSweepPlan(sweepDir);
  for (const run of plan.runs)
    await trainExperiment(run.config, {
      dataDir,
      tasks: EXPERIMENT_TASK_REGISTRY,
      outDir: join(outDir, run.experiment),
    });
}

/** Every epoch record of an experiment's log and its evaluations, without times and paths. */
export async function trainedFigures(dir: string): Promise<{
  epochs: Array<Record<string, unknown>>;
  evaluations: Record<string, Record<string, unknown>>;
}> {
  const epochs = (await readFile(join(dir, 'log.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.type === 'epoch')
    .map((line) =>
      Object.fromEntries(
        Object.entries(line).filter(([key]) => !/^time$|[sS]econds?$|PerSecond$/.test(key)),
      ),
    );
  const evaluations = Object.fromEntries(
    Object.entries((await readMetrics(dir)).evaluations ?? {}).map(
      ([key, { corpus: _corpus, time: _time, ...figures }]) => [key, figures],
    ),
  );
  return { epochs, evaluations };
}
