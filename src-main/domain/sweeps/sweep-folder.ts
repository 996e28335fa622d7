/**
 * The one owner of a sweep's folder, `<data folder>/sweeps/<name>/`:
 *   plan.json        what runs (sweep-plan.ts)
 *   runs/<run>.json  each run's state as the sweep last saw it (status, attempts, where, error)
 *   summary.json     every run's varied fields and final figures (sweep-summary.ts)
 *   summary.csv      the same as a table
 *   incoming/        queue workers' uploads while they are unpacked (queue/sweep-file-server.ts)
 * The runs themselves are ordinary experiments of `<data folder>/experiments/`, named in the plan.
 * Every file is written atomically.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { UnfoldError } from '../errors';
import { writeFileAtomically, writeJsonAtomically } from '../fs/atomic-write';
import { ensureDir, readJsonOr } from '../experiments/experiment-folder';
import type { SweepPlan } from './sweep-plan';
import { SWEEP_PLAN_FORMAT } from './sweep-plan';

export const SWEEPS_DIR = 'sweeps';

export const SWEEP_FILES = {
  plan: 'plan.json',
  runs: 'runs',
  summary: 'summary.json',
  table: 'summary.csv',
  /** Experiment folders sent back by queue workers, unpacked here before they are swapped in. */
  incoming: 'incoming',
} as const;

/** What a run is, as the sweep that runs it records it. */
export const RUN_STATUSES = ['pending', 'running', 'done', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface RunState {
  experiment: string;
  status: RunStatus;
  /** Times the run was started (a resumed or retried run counts again). */
  attempts: number;
  /** Which worker ran it last ("local 2", a host name and process). */
  worker?: string;
  startedAt?: string;
  endedAt?: string;
  error?: { code: string; message: string };
}

/** A sweep folder: a path as given, else a name in the data folder's sweeps. */
export function sweepDir(nameOrPath: string, dataDir: string): string {
  const looksLikePath =
    isAbsolute(nameOrPath) || nameOrPath.includes('/') || nameOrPath.startsWith('.');
  return looksLikePath ? resolve(nameOrPath) : join(dataDir, SWEEPS_DIR, nameOrPath);
}

export async function isSweepFolder(dir: string): Promise<boolean> {
  return stat(join(dir, SWEEP_FILES.plan)).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** Whether a folder is missing or empty (free for a new sweep). */
export async function isFreeFolder(dir: string): Promise<boolean> {
  const entries = await readdir(dir).catch(() => null);
  return entries === null || entries.length === 0;
}

export async function readSweepPlan(dir: string): Promise<SweepPlan> {
  const plan = await readJsonOr<Partial<SweepPlan> | null>(join(dir, SWEEP_FILES.plan), null);
  if (plan?.format !== SWEEP_PLAN_FORMAT || !Array.isArray(plan.runs))
    throw new UnfoldError(
      'SWEEP_NOT_FOUND',
      `${dir} holds no sweep (no valid ${SWEEP_FILES.plan}). Start one with \`unfold sweep SWEEP.json --out NAME\`.`,
    );
  return plan as SweepPlan;
}

export async function writeSweepPlan(dir: string, plan: SweepPlan): Promise<void> {
  await ensureDir(join(dir, SWEEP_FILES.runs));
  await writeJsonAtomically(join(dir, SWEEP_FILES.plan), plan);
}

const runStatePath = (dir: string, experiment: string): string =>
  join(dir, SWEEP_FILES.runs, `${experiment}.json`);

export async function readRunState(dir: string, experiment: string): Promise<RunState> {
  return readJsonOr<RunState>(runStatePath(dir, experiment), {
    experiment,
    status: 'pending',
    attempts: 0,
  });
}

export async function writeRunState(dir: string, state: RunState): Promise<void> {
  await writeJsonAtomically(runStatePath(dir, state.experiment), state);
}

export async function writeSweepSummary(
  dir: string,
  summary: unknown,
  table: string,
): Promise<void> {
  await writeJsonAtomically(join(dir, SWEEP_FILES.summary), summary);
  await writeFileAtomically(join(dir, SWEEP_FILES.table), table);
}

/** Removes a previous sweep's own files (its runs' experiments are the caller's to replace). */
export async function clearSweepFolder(dir: string): Promise<void> {
  await rm(join(dir, SWEEP_FILES.runs), { recursive: true, force: true });
  await rm(join(dir, SWEEP_FILES.incoming), { recursive: true, force: true });
  for (const file of [SWEEP_FILES.plan, SWEEP_FILES.summary, SWEEP_FILES.table])
    await rm(join(dir, file), { force: true });
}

/** The names of the data folder's sweeps (folders of `<data>/sweeps/` with a plan), sorted. */
export async function listSweepNames(dataDir: string): Promise<string[]> {
  const root = join(dataDir, SWEEPS_DIR);
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  const names: string[] = [];
  for (const entry of entries)
    if (entry.isDirectory() && (await isSweepFolder(join(root, entry.name))))
      names.push(entry.name);
  return names.sort();
}
