/**
 * The sweeps this app runs: each on its own local pool of job processes (domain/sweeps/
 * local-pool.ts, every run an `experiment-train` or `experiment-evaluate` job in its own
 * process) or on a queue's `unfold worker`s (domain/sweeps/queue/queue-sweep-executor.ts, the
 * password from this process's environment, never from the page), driven by the sweeps
 * domain's startSweep/resumeSweep in main, so a sweep keeps its runs going while the Train view
 * comes and goes. Every change is sent as `sweeps:updated`; everything else is read from the
 * sweep's folder through the domain (sweep-folder.ts).
 */
import type { ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import type {
  SweepActivityData,
  SweepData,
  SweepQueueParams,
  SweepRunProgressData,
  SweepRunStateData,
} from '../api/sweeps';
import { JobSpecSchema } from '../api/jobs';
import { resolveInDataFolder } from '../domain/data-folder';
import { UnfoldError, isAbortError, toErrorData } from '../domain/errors';
import { EXPERIMENT_TASK_REGISTRY } from '../domain/experiment-tasks';
import type { Progress } from '../domain/jobs/progress';
import { createLocalPool, defaultWorkerCount } from '../domain/sweeps/local-pool';
import { queuePassword } from '../domain/sweeps/queue/queue-connection';
import { openQueueSweepExecutor } from '../domain/sweeps/queue/queue-sweep-executor';
import { parseSweepSpec } from '../domain/sweeps/read-sweep-file';
import { readSweep, resumeSweep, startSweep } from '../domain/sweeps/run-sweep';
import type { SweepExecutor, SweepResult } from '../domain/sweeps/run-sweep';
import { SWEEPS_DIR, listSweepNames, readRunState } from '../domain/sweeps/sweep-folder';
import { expandSweep, type SweepPlan } from '../domain/sweeps/sweep-plan';
import { checkJobDataPlaces } from '../jobs/job-data-paths';
import type { EventHub } from './event-hub';

export interface SweepSessions {
  list(): Promise<SweepData[]>;
  get(name: string): Promise<SweepData>;
  /** Checks the sweep, writes its plan and returns once its runs are under way. */
  start(params: {
    name: string;
    spec: Record<string, unknown>;
    workers?: number | undefined;
    replace: boolean;
    /** Run on this queue's workers instead of a local pool. */
    queue?: SweepQueueParams | undefined;
  }): Promise<SweepData>;
  resume(params: {
    name: string;
    workers?: number | undefined;
    queue?: SweepQueueParams | undefined;
  }): Promise<SweepData>;
  /** Stops a running sweep and resolves once its runs have stopped. */
  stop(name: string): Promise<SweepData>;
  /** Stops every sweep and its processes (the app is closing). */
  dispose(): Promise<void>;
}

/** Where a sweep's runs run, and how to let go of it (its processes, or its queue connection and endpoint). */
interface RunPlace {
  executor: SweepExecutor;
  /** Local job processes at once; null on a queue. */
  workers: number | null;
  /** As the section shows it. */
  label: string;
  close(): Promise<void>;
}

interface ActiveSweep {
  controller: AbortController;
  place: RunPlace;
  activity: SweepActivityData;
  running: Map<string, SweepRunProgressData>;
  ended: Promise<void>;
}

/** Where the app runs a sweep's runs, as the section shows it (the machine's name: the worker). */
const APP_EXECUTOR = `local pool on ${hostname()}`;

const progressData = (p: Progress): SweepActivityData['progress'] => ({
  fraction: p.fraction,
  ...(p.message !== undefined ? { message: p.message } : {}),
  ...(p.metrics !== undefined ? { metrics: p.metrics } : {}),
});

export function createSweepSessions({
  dataDir,
  events,
  spawnJobProcess,
  env = process.env,
}: {
  dataDir: string;
  events: EventHub;
  spawnJobProcess: () => ChildProcess;
  /** This process's environment: a queue's password is read from it. */
  env?: NodeJS.ProcessEnv;
}): SweepSessions {
  const active = new Map<string, ActiveSweep>();
  /** Sweeps between their request and their place to run (a queue is checked first). */
  const opening = new Set<string>();
  let disposed = false;
  const lastErrors = new Map<string, { code: string; message: string }>();

  const dirOf = (name: string): Promise<string> => resolveInDataFolder(dataDir, SWEEPS_DIR, name);

  const activityOf = (name: string): SweepActivityData | null => {
    const sweep = active.get(name);
    return sweep ? { ...sweep.activity, runs: [...sweep.running.values()] } : null;
  };

  const emit = (name: string, run: SweepRunStateData | null): void =>
    events.emit('sweeps:updated', {
      name,
      active: activityOf(name),
      run,
      lastError: lastErrors.get(name) ?? null,
    });

  async function get(name: string): Promise<SweepData> {
    const dir = await dirOf(name);
    const { plan, summary } = await readSweep(dir);
    const states = await Promise.all(plan.runs.map((run) => readRunState(dir, run.experiment)));
    return {
      name,
      task: plan.task,
      corpus: plan.corpus,
      fields: plan.fields,
      runs: plan.runs.map(({ index, experiment, values }) => ({ index, experiment, values })),
      states,
      summary,
      active: activityOf(name),
      lastError: lastErrors.get(name) ?? null,
    };
  }

  /** Every run's job names only places inside the data folder (as `jobs:start` checks a job's). */
  async function checkRunPlaces(plan: SweepPlan): Promise<void> {
    for (const run of plan.runs)
      await checkJobDataPlaces(
        JobSpecSchema.parse({ kind: 'experiment-train', params: { config: run.config } }),
        dataDir,
      );
  }

  /**
   * A local pool of `workers` processes, or the queue: its URL read (a password in it refused)
   * and the queue checked, its errors (QUEUE_UNREACHABLE, QUEUE_AUTH) the request's.
   */
  async function openPlace(
    { workers, queue }: { workers?: number | undefined; queue?: SweepQueueParams | undefined },
    { plan, dir }: { plan: SweepPlan; dir: string },
  ): Promise<RunPlace> {
    if (!queue) {
      const count = workers ?? defaultWorkerCount();
      const pool = createLocalPool({ dataDir, workers: count, spawnWorker: spawnJobProcess });
      return { executor: pool, workers: count, label: APP_EXECUTOR, close: () => pool.dispose() };
    }
    if (workers !== undefined)
      throw new UnfoldError(
        'BAD_ARGUMENT',
        'Processes are the local pool; on a queue each `unfold worker` says its --concurrency.',
      );
    const password =
      queue.passwordSource === 'none' ? undefined : await queuePassword(undefined, env);
    const queued = await openQueueSweepExecutor(
      {
        url: queue.url,
        password,
        sharedData: queue.sharedData,
        serveHost: queue.serveHost,
        advertiseHost: queue.advertiseHost,
      },
      { plan, dataDir, sweepDir: dir },
    );
    return {
      executor: queued.executor,
      workers: null,
      label: `queue ${queued.queue} (${queued.fileServerUrl === null ? 'shared data folder' : `data served at ${queued.fileServerUrl}`})`,
      close: queued.close,
    };
  }

  /**
   * Runs `work` where `open` says and resolves once the sweep has passed its checks and written
   * its plan (its first progress report), or rejects with the check that failed.
   */
  async function launch(
    name: string,
    open: () => Promise<RunPlace>,
    work: (options: Parameters<typeof resumeSweep>[1]) => Promise<SweepResult>,
  ): Promise<SweepData> {
    if (active.has(name) || opening.has(name))
      throw new UnfoldError('SWEEP_RUNNING', `The sweep ${name} is already running.`);
    opening.add(name);
    let place: RunPlace;
    try {
      place = await open();
    } finally {
      opening.delete(name);
    }
    if (disposed) {
      await place.close().catch(() => undefined);
      throw new UnfoldError('CANCELLED', 'The app is closing.');
    }
    const controller = new AbortController();
    const running = new Map<string, SweepRunProgressData>();
    const sweep: ActiveSweep = {
      controller,
      place,
      running,
      activity: {
        workers: place.workers,
        executor: place.label,
        startedAt: new Date().toISOString(),
        progress: { fraction: 0 },
        runs: [],
      },
      ended: Promise.resolve(),
    };
    active.set(name, sweep);
    lastErrors.delete(name);
    let underWay: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (underWay = resolve));
    const result = work({
      dataDir,
      tasks: EXPERIMENT_TASK_REGISTRY,
      executor: place.executor,
      signal: controller.signal,
      onProgress: (progress) => {
        sweep.activity.progress = progressData(progress);
        underWay();
        emit(name, null);
      },
      onRunUpdate: ({ state, progress }) => {
        if (state.status === 'running')
          running.set(state.experiment, {
            experiment: state.experiment,
            // A state change alone (a queue's worker taking the run) keeps the run's progress.
            progress: progress
              ? progressData(progress)
              : (running.get(state.experiment)?.progress ?? { fraction: 0 }),
            startedAt: state.startedAt ?? null,
          });
        else running.delete(state.experiment);
        // Progress ticks go out with the sweep's own report that follows them.
        if (!progress) emit(name, state);
      },
    });
    sweep.ended = result.then(
      () => undefined,
      (error: unknown) => {
        if (!(controller.signal.aborted && isAbortError(error))) {
          const { code, message } = toErrorData(error);
          lastErrors.set(name, { code, message });
        }
      },
    );
    void sweep.ended.finally(async () => {
      // A sweep resumed right after a stop is another entry: leave it be.
      if (active.get(name) === sweep) active.delete(name);
      await place.close().catch(() => undefined);
      emit(name, null);
    });
    // Checks failing before the plan is written reject here, for the caller to show.
    const checked = await Promise.race([
      started.then(() => null),
      result.then(
        () => null,
        (e: unknown) => e,
      ),
    ]);
    if (checked !== null) {
      await sweep.ended;
      throw checked;
    }
    return get(name);
  }

  return {
    async list() {
      const names = await listSweepNames(dataDir);
      const read = await Promise.all(names.map((name) => get(name).catch(() => null)));
      return read.filter((sweep): sweep is SweepData => sweep !== null);
    },
    get,
    async start({ name, spec: input, workers, replace, queue }) {
      if (typeof input.config === 'string')
        throw new UnfoldError(
          'BAD_SWEEP',
          `sweep ${name}: config: give the experiment config itself; the app reads no config file by path.`,
        );
      const label = `sweep ${name}`;
      const spec = parseSweepSpec(input, label);
      const plan = expandSweep(spec, {
        name,
        tasks: EXPERIMENT_TASK_REGISTRY,
        source: { label },
      });
      await checkRunPlaces(plan);
      const dir = await dirOf(name);
      return launch(
        name,
        () => openPlace({ workers, queue }, { plan, dir }),
        (options) => startSweep(plan, { ...options, dir, replace }),
      );
    },
    async resume({ name, workers, queue }) {
      const dir = await dirOf(name);
      const { plan } = await readSweep(dir);
      await checkRunPlaces(plan);
      return launch(
        name,
        () => openPlace({ workers, queue }, { plan, dir }),
        (options) => resumeSweep(dir, options),
      );
    },
    async stop(name) {
      const sweep = active.get(name);
      if (!sweep) throw new UnfoldError('SWEEP_NOT_RUNNING', `The sweep ${name} is not running.`);
      sweep.controller.abort();
      await sweep.ended;
      await sweep.place.close().catch(() => undefined);
      if (active.get(name) === sweep) active.delete(name);
      return get(name);
    },
    async dispose() {
      disposed = true;
      const all = [...active.values()];
      for (const sweep of all) sweep.controller.abort();
      await Promise.all(all.map((sweep) => sweep.ended));
      await Promise.all(all.map((sweep) => sweep.place.close().catch(() => undefined)));
    },
  };
}
