/**
 * `unfold sweep SWEEP.json --out NAME`: runs a sweep (a grid or random search over experiment
 * config fields) on a local pool of job processes, every run an ordinary experiment; `--resume`
 * continues a stopped one. Prints the summary table at the end (or JSON).
 */
import type { Command } from 'commander';
import { dataNameProblem } from '../../api/names';
import { chooseDataFolder, resolveInDataFolder } from '../../domain/data-folder';
import { UnfoldError, isAbortError } from '../../domain/errors';
import { EXPERIMENT_TASK_REGISTRY } from '../../domain/experiment-tasks';
import type { Progress } from '../../domain/jobs/progress';
import { createLocalPool, defaultWorkerCount } from '../../domain/sweeps/local-pool';
import { QUEUE_PASSWORD_ENV, queuePassword } from '../../domain/sweeps/queue/queue-connection';
import { DEFAULT_RUN_ATTEMPTS } from '../../domain/sweeps/queue/queue-executor';
import { openQueueSweepExecutor } from '../../domain/sweeps/queue/queue-sweep-executor';
import { readSweepFile } from '../../domain/sweeps/read-sweep-file';
import type { SweepExecutor, SweepResult } from '../../domain/sweeps/run-sweep';
import { resumeSweep, startSweep } from '../../domain/sweeps/run-sweep';
import { SWEEPS_DIR, SWEEP_FILES, readSweepPlan } from '../../domain/sweeps/sweep-folder';
import { expandSweep } from '../../domain/sweeps/sweep-plan';
import type { SweepPlan } from '../../domain/sweeps/sweep-plan';
import { summaryRows } from '../../domain/sweeps/sweep-summary';
import { forkWorker, type WorkerEntry } from '../../server/worker-process';
import { reportCliError } from '../cli-errors';
import { printLine as print, withProgressBar } from '../progress-bar';
import { positiveFlag } from './flag-values';

interface SweepFlags {
  out: string;
  workers?: string;
  queue?: string;
  passwordFile?: string;
  sharedData?: boolean;
  serveHost?: string;
  servePort?: string;
  advertiseHost?: string;
  attempts?: string;
  resume?: boolean;
  force?: boolean;
  data?: string;
  json?: boolean;
}

/** The sweep's folder from --out: a name (its runs are experiments of the same data folder). */
async function sweepFolderArg(name: string, dataDir: string): Promise<string> {
  const problem = dataNameProblem(name);
  if (problem !== null)
    throw new UnfoldError(
      'BAD_NAME',
      `--out ${JSON.stringify(name)} is not a valid sweep name: ${problem}. A sweep is a folder of ${SWEEPS_DIR}/ in the data folder, its runs experiments beside the others.`,
    );
  return resolveInDataFolder(dataDir, SWEEPS_DIR, name);
}

/** Cells as aligned text columns. */
export function alignedTable(rows: readonly (readonly unknown[])[]): string[] {
  const text = rows.map((row) =>
    row.map((cell) =>
      cell === null || cell === undefined
        ? ''
        : typeof cell === 'number' && !Number.isInteger(cell)
          ? cell.toPrecision(4)
          : typeof cell === 'string'
            ? cell
            : JSON.stringify(cell),
    ),
  );
  const widths = text[0]?.map((_, i) => Math.max(...text.map((row) => (row[i] ?? '').length)));
  return text.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths?.[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

function printResult(result: SweepResult, json: boolean | undefined): void {
  const { summary } = result;
  if (json) {
    print(JSON.stringify({ dir: result.dir, summary }));
    return;
  }
  print(`sweep ${result.dir}`);
  print(
    `${summary.counts.done}/${summary.counts.runs} runs done${summary.counts.failed ? `, ${summary.counts.failed} failed` : ''} (table: ${SWEEP_FILES.table})`,
  );
  for (const line of alignedTable(summaryRows(summary))) print(line);
  for (const run of summary.runs)
    if (run.error) print(`${run.experiment}: error [${run.error.code}]: ${run.error.message}`);
}

async function planFrom(file: string | undefined, flags: SweepFlags): Promise<SweepPlan> {
  if (file === undefined)
    throw new UnfoldError('BAD_ARGUMENT', 'unfold sweep needs a sweep file (or --resume).');
  const { spec, source } = await readSweepFile(file);
  return expandSweep(spec, { name: flags.out, tasks: EXPERIMENT_TASK_REGISTRY, source });
}

/** The same plan: a resumed sweep given its file again must not have changed. */
function checkSamePlan(stored: SweepPlan, given: SweepPlan): void {
  const same =
    JSON.stringify(stored.runs.map((r) => r.config)) ===
    JSON.stringify(given.runs.map((r) => r.config));
  if (!same)
    throw new UnfoldError(
      'BAD_ARGUMENT',
      `The sweep file no longer gives the plan ${stored.name} was started with: --resume continues with its own plan.json. Start it over with --force instead.`,
    );
}

/** The runs' executor: a queue of other machines (with the endpoint serving their data), or the local pool. */
async function executorFor(
  flags: SweepFlags,
  { dataDir, dir, plan }: { dataDir: string; dir: string; plan: SweepPlan },
  worker: WorkerEntry,
): Promise<{ executor: SweepExecutor; close: () => Promise<void> }> {
  if (flags.queue === undefined) {
    for (const flag of [
      'sharedData',
      'serveHost',
      'servePort',
      'advertiseHost',
      'attempts',
    ] as const)
      if (flags[flag] !== undefined)
        throw new UnfoldError(
          'BAD_ARGUMENT',
          `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} goes with --queue.`,
        );
    const workers = positiveFlag(flags.workers, '--workers') ?? defaultWorkerCount();
    const local = createLocalPool({ dataDir, workers, spawnWorker: () => forkWorker(worker) });
    return { executor: local, close: () => local.dispose() };
  }
  if (flags.workers !== undefined)
    throw new UnfoldError(
      'BAD_ARGUMENT',
      '--workers is the local pool; with --queue each `unfold worker` says its --concurrency.',
    );
  const password = await queuePassword(flags.passwordFile);
  const queued = await openQueueSweepExecutor(
    {
      url: flags.queue,
      password,
      sharedData: flags.sharedData,
      serveHost: flags.serveHost,
      servePort: positiveFlag(flags.servePort, '--serve-port'),
      advertiseHost: flags.advertiseHost,
      attempts: positiveFlag(flags.attempts, '--attempts'),
    },
    { plan, dataDir, sweepDir: dir },
  );
  if (queued.fileServerUrl !== null && !flags.json)
    process.stderr.write(
      `Runs queued on ${queued.queue}; workers fetch the corpus and send results to ${queued.fileServerUrl}\n`,
    );
  return { executor: queued.executor, close: queued.close };
}

export interface SweepCommandDeps {
  worker: WorkerEntry;
}

export function registerSweepCommand(program: Command, deps: SweepCommandDeps): void {
  program
    .command('sweep')
    .description(
      'Run a sweep: a grid or random search over experiment config fields, every run an experiment',
    )
    .argument(
      '[sweep]',
      'sweep file (JSON): corpus, task/preset/config, set, grid, random (see src-main/domain/sweeps/README.md)',
    )
    .requiredOption(
      '--out <name>',
      `the sweep's name: <data>/${SWEEPS_DIR}/<name>, runs <name>-1..N in experiments/`,
    )
    .option(
      '--workers <n>',
      `local pool: job processes at once (default: the cores but one, here ${defaultWorkerCount()})`,
    )
    .option(
      '--resume',
      'continue a stopped sweep with its plan: finished runs are kept, interrupted ones resume from their checkpoints',
    )
    .option('--force', "start an existing sweep over (replaces its runs' experiments)")
    .option(
      '--queue <url>',
      'run on other machines: enqueue the runs on this Redis (redis://[user@]HOST[:6379][/db]) for `unfold worker`s',
    )
    .option(
      '--password-file <file>',
      `with --queue: a file whose first line is the queue's password (default: the ${QUEUE_PASSWORD_ENV} environment variable)`,
    )
    .option(
      '--shared-data',
      'with --queue: the workers use this same data folder (a network drive; their --data), so nothing is transferred',
    )
    .option(
      '--serve-host <host>',
      'with --queue: where workers fetch the corpus and send results (default 127.0.0.1; 0.0.0.0 for the network)',
    )
    .option('--serve-port <n>', "with --queue: that endpoint's port (default: any free one)")
    .option(
      '--advertise-host <host>',
      "with --queue: the name workers reach this machine by (default: the serve host, or this machine's name)",
    )
    .option(
      '--attempts <n>',
      `with --queue: tries of a run (failures and dead workers) before it is marked failed (default ${DEFAULT_RUN_ATTEMPTS})`,
    )
    .option('--data <dir>', 'data folder (default: UNFOLD_DATA or the platform data folder)')
    .option('--json', 'print the summary as JSON')
    .action(async (file: string | undefined, flags: SweepFlags) => {
      let pool: { close(): Promise<void> } | null = null;
      try {
        const dataDir = chooseDataFolder(flags.data).dir;
        const dir = await sweepFolderArg(flags.out, dataDir);
        if (flags.resume && flags.force)
          throw new UnfoldError('BAD_ARGUMENT', 'Give --resume or --force, not both.');
        const plan = flags.resume ? null : await planFrom(file, flags);
        const stored = flags.resume ? await readSweepPlan(dir) : null;
        if (stored && file !== undefined) checkSamePlan(stored, await planFrom(file, flags));
        const runs = await executorFor(
          flags,
          { dataDir, dir, plan: (plan ?? stored) as SweepPlan },
          deps.worker,
        );
        pool = runs;
        const executor = runs.executor;
        const result = await withProgressBar(
          flags.json,
          (progress: { onProgress: (p: Progress) => void; signal: AbortSignal }) => {
            const options = { ...progress, dataDir, tasks: EXPERIMENT_TASK_REGISTRY, executor };
            return plan
              ? startSweep(plan, { ...options, dir, replace: Boolean(flags.force) })
              : resumeSweep(dir, options);
          },
          { format: '{bar} {percentage}% | ETA {eta_formatted} | {message}' },
        );
        printResult(result, flags.json);
        if (result.summary.counts.failed > 0) process.exitCode = 1;
      } catch (error) {
        if (isAbortError(error))
          process.stderr.write(
            `Stopped. Finished runs are kept; continue with: unfold sweep --out ${flags.out} --resume\n`,
          );
        reportCliError(error, Boolean(flags.json));
      } finally {
        await pool?.close();
      }
    });
}
