/**
 * Sweeps: a base experiment and a grid or random search over its config fields, every run an
 * ordinary experiment, run by a local pool of job processes (or another executor) with stop and
 * resume, summarised as a table. See README.md.
 */
export { FIELD_ALIASES, canonicalPath, withField } from './config-paths';
export { createLocalPool, defaultWorkerCount, runJobSpec } from './local-pool';
export type { LocalPool } from './local-pool';
export { parseJsonText, parseSweepSpec, readSweepFile } from './read-sweep-file';
export { readSweep, resumeSweep, startSweep } from './run-sweep';
export type {
  RunMode,
  RunOrder,
  RunSweepOptions,
  StartSweepOptions,
  SweepExecutor,
  SweepResult,
  SweepRunUpdate,
} from './run-sweep';
export { RUN_STATUSES, SWEEPS_DIR, SWEEP_FILES, isSweepFolder, sweepDir } from './sweep-folder';
export type { RunState, RunStatus } from './sweep-folder';
export { expandSweep, gridPoints, randomSamples, runExperimentName } from './sweep-plan';
export type { SweepPlan, SweepRun, SweepSource } from './sweep-plan';
export { MAX_SWEEP_RUNS, SWEEP_FILE_FORMAT, SweepSpecSchema } from './sweep-spec';
export type { SweepSpec, SweepSpecInput } from './sweep-spec';
export { summaryCsv, summaryRows, summariseSweep, storedRunFigures } from './sweep-summary';
export type { RunFigures, SweepRunSummary, SweepSummary } from './sweep-summary';
