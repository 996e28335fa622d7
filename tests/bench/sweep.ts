/**
 * Sweeps (issue 18): `npm run bench:sweep [-- --runs 16] [--workers 1,2,4] [--reps 2]
 * [--queue-runs 6] [--idle-seconds 10] [--skip-queue]`.
 *
 * 1. Speed-up of the local pool: a sweep of `--runs` tiny sentiment CNN runs (each an ordinary
 *    experiment trained in a job process of its own) with 1, 2 and 4 workers, the worker counts
 *    interleaved and their order reversed in every other repetition, so the shared machine's
 *    load hits each alike; the 1-minute load average after each sweep beside its time, and the
 *    cores the runs kept busy and the cores everything else did meanwhile (support/cpu-share.ts),
 *    since on a shared machine the others' use, not the worker count, may bound the speed-up.
 * 2. Queue overhead per run, with a redis-server of its own (loopback, a password) and one
 *    `unfold worker` process (concurrency 1): the runs submitted one at a time, each timed from
 *    enqueue to the worker's start (BullMQ's job timestamps) and from that start to the first
 *    progress the submitter hears; beside it the local pool's start-to-first-progress (a job
 *    process starting), so the difference is what the queue and the transfers add. Redis's own
 *    counters give the commands and bytes per run and per progress update, and the commands an
 *    idle worker and an idle submitter send per second; the endpoint's traffic gives the bytes
 *    moved per run and the corpus bundle's size. The figures the README's 50-worker estimate uses.
 *
 * Job processes run the built worker (out/main/worker.js, what the app and the CLI start; `npm
 * run build` first) when it is there, else the sources through tsx, which costs every run's
 * process seconds of CPU to compile them (`--from-sources` asks for that). The report says
 * which, with the build's time. Prints one JSON report.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { freePort, startUntil, stopChild } from '../support/child-processes';
import type { Redis } from 'ioredis';
import { createTextCorpus } from '../../src-main/domain/corpus/import/text-import';
import type { TextSplit } from '../../src-main/domain/corpus/model';
import { EXPERIMENT_TASK_REGISTRY } from '../../src-main/domain/experiment-tasks';
import { createLocalPool } from '../../src-main/domain/sweeps/local-pool';
import { packFolderStream } from '../../src-main/domain/sweeps/queue/folder-bundle';
import {
  SWEEP_QUEUE_NAME,
  parseQueueUrl,
  redisClient,
} from '../../src-main/domain/sweeps/queue/queue-connection';
import type { QueueConnection } from '../../src-main/domain/sweeps/queue/queue-connection';
import { createQueueExecutor } from '../../src-main/domain/sweeps/queue/queue-executor';
import { startSweepFileServer } from '../../src-main/domain/sweeps/queue/sweep-file-server';
import { parseSweepSpec } from '../../src-main/domain/sweeps/read-sweep-file';
import type { SweepExecutor, SweepRunUpdate } from '../../src-main/domain/sweeps/run-sweep';
import { startSweep } from '../../src-main/domain/sweeps/run-sweep';
import { expandSweep } from '../../src-main/domain/sweeps/sweep-plan';
import { forkWorker } from '../../src-main/server/worker-process';
import { toySentimentItems } from '../support/toy-sentiment';
import { queueWorkerArgs, tinySweepRunConfig } from '../support/tiny-sweep';
import { cpuCounters, cpuShare, type CpuShare } from './support/cpu-share';
import { machineLoad, median, round } from '../../src-main/domain/bench/side-by-side';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '16' },
    workers: { type: 'string', default: '1,2,4' },
    reps: { type: 'string', default: '2' },
    'queue-runs': { type: 'string', default: '6' },
    'idle-seconds': { type: 'string', default: '10' },
    'skip-queue': { type: 'boolean', default: false },
    'from-sources': { type: 'boolean', default: false },
  },
});

/** A folder's bundle size, streamed and counted (never held whole). */
async function bundleBytes(dir: string): Promise<number> {
  let bytes = 0;
  for await (const chunk of packFolderStream(dir)) bytes += (chunk as Buffer).length;
  return bytes;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const positive = (text: string, flag: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) fail(`${flag} must be a positive integer`);
  return n;
};
const runCount = positive(values.runs, '--runs');
const workerCounts = values.workers.split(',').map((w) => positive(w, '--workers'));
const reps = positive(values.reps, '--reps');
const queueRuns = positive(values['queue-runs'], '--queue-runs');
const idleSeconds = positive(values['idle-seconds'], '--idle-seconds');

const root = join(import.meta.dirname, '..', '..');
const builtWorker = join(root, 'out/main/worker.js');
const fromSources = values['from-sources'] || !existsSync(builtWorker);
const workerEntry = fromSources
  ? { path: join(root, 'src-main/jobs/worker.ts'), execArgv: ['--import', 'tsx'] }
  : { path: builtWorker };
const jobProcesses = fromSources
  ? 'sources through tsx'
  : `built worker (out/main/worker.js of ${statSync(builtWorker).mtime.toISOString()})`;
const log = (message: string): void => void process.stderr.write(`${message}\n`);

/** A tiny run: a 1-layer word CNN on 300 short reviews, 3 epochs. */
const config = tinySweepRunConfig(3);

const base = await mkdtemp(join(tmpdir(), 'unfold-bench-sweep-'));
const dataDir = join(base, 'data');
const corpusDir = join(dataDir, 'corpora', 'reviews');
await createTextCorpus(
  corpusDir,
  new Map<string, TextSplit>([['train', { format: 'tsv', items: toySentimentItems(300, 5) }]]),
  { name: 'reviews', format: 'tsv', sourcePath: 'generated' },
);

function planOf(name: string, runs: number) {
  const spec = parseSweepSpec(
    {
      corpus: 'reviews',
      config,
      grid: { 'training.seed': Array.from({ length: runs }, (_, i) => i + 1) },
    },
    `${name}.json`,
  );
  return expandSweep(spec, { name, tasks: EXPERIMENT_TASK_REGISTRY, source: { label: name } });
}

/** Per run: when it started (the executor took it) and when its first progress arrived. */
interface RunTimes {
  startedAt?: number;
  firstProgressAt?: number;
  progressMessages: number;
  progressBytes: number;
}

async function timedSweep(
  name: string,
  runs: number,
  executor: SweepExecutor,
): Promise<{ seconds: number; runs: Map<string, RunTimes> }> {
  const plan = planOf(name, runs);
  const times = new Map<string, RunTimes>();
  const onRunUpdate = ({ state, progress }: SweepRunUpdate): void => {
    const now = performance.timeOrigin + performance.now();
    const entry = times.get(state.experiment) ?? { progressMessages: 0, progressBytes: 0 };
    times.set(state.experiment, entry);
    if (state.status === 'running' && !progress) entry.startedAt ??= now;
    if (progress) {
      entry.firstProgressAt ??= now;
      entry.progressMessages += 1;
      entry.progressBytes += JSON.stringify(progress).length;
    }
  };
  const started = performance.now();
  const result = await startSweep(plan, {
    dir: join(dataDir, 'sweeps', name),
    dataDir,
    tasks: EXPERIMENT_TASK_REGISTRY,
    executor,
    onRunUpdate,
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.summary.counts.done !== runs)
    throw new Error(`sweep ${name}: ${JSON.stringify(result.summary.counts)}`);
  return { seconds, runs: times };
}

// 1. The local pool's speed-up.
const localSeconds = new Map<number, number[]>(workerCounts.map((w) => [w, []]));
const localMeasurements: Array<{
  rep: number;
  workers: number;
  seconds: number;
  load: number[];
  cpu: CpuShare | null;
}> = [];
const localCores = new Map<number, number[]>(workerCounts.map((w) => [w, []]));
const localStartToProgress: number[] = [];
for (let rep = 1; rep <= reps; rep++) {
  const order = rep % 2 === 1 ? workerCounts : [...workerCounts].reverse();
  for (const workers of order) {
    log(`rep ${rep}: ${runCount} runs on ${workers} local worker(s)`);
    const pool = createLocalPool({
      dataDir,
      workers,
      spawnWorker: () => forkWorker(workerEntry),
    });
    // The job processes' CPU time is counted once they have ended (the pool disposed).
    const before = cpuCounters();
    let timed: Awaited<ReturnType<typeof timedSweep>>;
    try {
      timed = await timedSweep(`w${workers}-r${rep}`, runCount, pool);
    } finally {
      await pool.dispose();
    }
    const { seconds, runs } = timed;
    const cpu = cpuShare(before, cpuCounters(), seconds);
    localSeconds.get(workers)?.push(seconds);
    if (cpu) localCores.get(workers)?.push(cpu.workCores);
    localMeasurements.push({
      rep,
      workers,
      seconds: round(seconds, 2) ?? 0,
      load: machineLoad(),
      cpu,
    });
    if (workers === 1)
      for (const t of runs.values())
        if (t.startedAt !== undefined && t.firstProgressAt !== undefined)
          localStartToProgress.push(t.firstProgressAt - t.startedAt);
  }
}
const oneWorker = median(localSeconds.get(1) ?? []);
const speedUp = Object.fromEntries(
  workerCounts.map((w) => {
    const m = median(localSeconds.get(w) ?? []);
    return [
      `${w} workers`,
      {
        medianSeconds: round(m, 2),
        speedUpOver1: oneWorker !== null && m !== null ? round(oneWorker / m, 2) : null,
        // The cores the runs kept busy: a speed-up is bounded by what the machine's other
        // users left free, whatever the worker count.
        medianCoresUsed: round(median(localCores.get(w) ?? []), 2),
      },
    ];
  }),
);

// 2. The queue's overhead.
/** Redis's counters: commands processed (in all and by command) and network bytes. */
async function redisCounters(client: Redis): Promise<{
  commands: number;
  byCommand: Record<string, number>;
  bytesIn: number;
  bytesOut: number;
}> {
  const stats = await client.info('stats');
  const commandStats = await client.info('commandstats');
  const field = (name: string): number => Number(new RegExp(`${name}:(\\d+)`).exec(stats)?.[1]);
  const byCommand: Record<string, number> = {};
  for (const [, name, calls] of commandStats.matchAll(/cmdstat_([^:]+):calls=(\d+)/g))
    byCommand[name as string] = Number(calls);
  return {
    commands: field('total_commands_processed'),
    byCommand,
    bytesIn: field('total_net_input_bytes'),
    bytesOut: field('total_net_output_bytes'),
  };
}

function counterDelta(
  before: Awaited<ReturnType<typeof redisCounters>>,
  after: Awaited<ReturnType<typeof redisCounters>>,
): Awaited<ReturnType<typeof redisCounters>> {
  const byCommand: Record<string, number> = {};
  for (const [name, calls] of Object.entries(after.byCommand)) {
    const delta = calls - (before.byCommand[name] ?? 0);
    if (delta > 0) byCommand[name] = delta;
  }
  return {
    commands: after.commands - before.commands,
    byCommand: Object.fromEntries(Object.entries(byCommand).sort((a, b) => b[1] - a[1])),
    bytesIn: after.bytesIn - before.bytesIn,
    bytesOut: after.bytesOut - before.bytesOut,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function measureQueue(): Promise<Record<string, unknown>> {
  const password = 'bench-sweep-secret';
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const redisDir = join(base, 'redis');
  await mkdir(redisDir, { recursive: true });
  const { child: redis } = await startUntil(
    'redis-server',
    [
      ...['--port', String(port), '--bind', '127.0.0.1', '--requirepass', password],
      ...['--save', '', '--appendonly', 'yes', '--dir', redisDir],
    ],
    /Ready to accept connections/,
    process.env,
  );
  const connection: QueueConnection = parseQueueUrl(url, password);
  const stats = redisClient(connection);
  let worker: ChildProcess | undefined;
  try {
    // The submitter's side first: an idle QueueEvents (and Queue) alone.
    const name = 'queued';
    const plan = planOf(name, queueRuns);
    const sweepDir = join(dataDir, 'sweeps', name);
    await mkdir(sweepDir, { recursive: true });
    const server = await startSweepFileServer({ plan, dataDir, sweepDir, corpusDir });
    const executor = await createQueueExecutor({
      connection,
      corpus: 'reviews',
      transport: {
        kind: 'http',
        url: server.url,
        token: server.token,
        corpusHash: server.corpusHash,
      },
    });
    try {
      await sleep(1000);
      let before = await redisCounters(stats);
      await sleep(idleSeconds * 1000);
      const idleSubmitter = counterDelta(before, await redisCounters(stats));

      let output = '';
      worker = spawn(
        process.execPath,
        queueWorkerArgs(url, {
          concurrency: 1,
          dataDir: join(base, 'worker-data'),
          ...(fromSources ? {} : { cli: [join(root, 'out/main/cli.js')] }),
        }),
        { env: { ...process.env, UNFOLD_REDIS_PASSWORD: password }, stdio: 'pipe' },
      );
      worker.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      for (let waited = 0; !/taking runs from/.test(output); waited += 100) {
        if (waited > 120_000 || worker.exitCode !== null) throw new Error(`worker: ${output}`);
        await sleep(100);
      }
      await sleep(1000);
      before = await redisCounters(stats);
      await sleep(idleSeconds * 1000);
      const idleBoth = counterDelta(before, await redisCounters(stats));

      // One run at a time: enqueue-to-start is the queue's own latency, not a wait for a worker.
      before = await redisCounters(stats);
      const sequential: SweepExecutor = { concurrency: 1, run: executor.run };
      const { seconds, runs } = await timedSweep(name, queueRuns, sequential);
      const during = counterDelta(before, await redisCounters(stats));

      // BullMQ leaves a connection it was given open: closed here, or the bench never exits.
      const jobsClient = redisClient(connection);
      const queue = new Queue(SWEEP_QUEUE_NAME, { connection: jobsClient });
      const jobs = await queue.getJobs(['completed']);
      await queue.close();
      jobsClient.disconnect();
      const enqueueToStart: number[] = [];
      const startToProgress: number[] = [];
      for (const job of jobs) {
        const times = runs.get((job.data as { experiment: string }).experiment);
        if (job.processedOn === undefined || !times?.firstProgressAt) continue;
        enqueueToStart.push(job.processedOn - job.timestamp);
        startToProgress.push(times.firstProgressAt - job.processedOn);
      }
      const progressMessages = [...runs.values()].reduce((s, t) => s + t.progressMessages, 0);
      const progressBytes = [...runs.values()].reduce((s, t) => s + t.progressBytes, 0);
      const experimentBundle = await bundleBytes(join(dataDir, 'experiments', `${name}-1`));
      const corpusBundle = await bundleBytes(corpusDir);
      const perSecond = (n: number): number | null => round(n / idleSeconds, 1);
      return {
        runs: queueRuns,
        sweepSeconds: round(seconds, 2),
        load: machineLoad(),
        enqueueToStartMs: {
          median: round(median(enqueueToStart), 0),
          all: enqueueToStart.map((x) => round(x, 0)),
        },
        startToFirstProgressMs: {
          median: round(median(startToProgress), 0),
          all: startToProgress.map((x) => round(x, 0)),
        },
        localPoolStartToFirstProgressMs: round(median(localStartToProgress), 0),
        perRun: {
          redisCommands: round(during.commands / queueRuns, 1),
          redisBytesIn: round(during.bytesIn / queueRuns, 0),
          redisBytesOut: round(during.bytesOut / queueRuns, 0),
          progressUpdates: round(progressMessages / queueRuns, 1),
          httpBytesSentToWorker: round(server.traffic.sent / queueRuns, 0),
          httpBytesReceivedFromWorker: round(server.traffic.received / queueRuns, 0),
        },
        progressUpdateJsonBytes: round(progressBytes / Math.max(1, progressMessages), 0),
        commandsDuringSweepByName: during.byCommand,
        idleCommandsPerSecond: {
          submitterAlone: perSecond(idleSubmitter.commands),
          submitterAndOneWorker: perSecond(idleBoth.commands),
          oneWorker: perSecond(idleBoth.commands - idleSubmitter.commands),
        },
        bundleBytes: {
          corpus: corpusBundle,
          finishedExperiment: experimentBundle,
        },
      };
    } finally {
      await executor.close();
      await server.close();
    }
  } finally {
    await stopChild(worker);
    stats.disconnect();
    await stopChild(redis);
  }
}

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
let queueReport: Record<string, unknown> | string = 'skipped (--skip-queue)';
if (!values['skip-queue'])
  queueReport = hasRedis ? await measureQueue() : 'skipped: redis-server is not installed';

const report = {
  bench: 'sweep',
  cores: availableParallelism(),
  jobProcesses,
  tinyRun: {
    corpusSentences: 300,
    model: 'word CNN, 8-dim embeddings, 4 filters of width 2',
    epochs: config.training.epochs,
  },
  local: { runs: runCount, reps, speedUp, measurements: localMeasurements },
  queue: queueReport,
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
await rm(base, { recursive: true, force: true });
