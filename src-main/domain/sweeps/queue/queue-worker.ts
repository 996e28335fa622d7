/**
 * `unfold worker`'s work: takes sweep runs from the queue, up to `concurrency` at once, each
 * trained in its own job process (the local pool), so the worker's event loop stays free to
 * renew its BullMQ locks. With the HTTP transport it fetches the corpus by content hash (kept
 * for the next run), fetches a run's folder to resume it, and sends the folder back after each
 * epoch and at the end; with a shared data folder nothing moves.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { UnrecoverableError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import { CORPORA_DIR } from '../../corpus/corpus-paths';
import { resolveInDataFolder } from '../../data-folder';
import { UnfoldError } from '../../errors';
import { writeJsonAtomically } from '../../fs/atomic-write';
import {
  EXPERIMENTS_DIR,
  experimentTrainingState,
  readJsonOr,
} from '../../experiments/experiment-folder';
import { createLocalPool } from '../local-pool';
import { SWEEPS_DIR, isSweepFolder } from '../sweep-folder';
import type { QueueConnection } from './queue-connection';
import { SWEEP_QUEUE_NAME, redisClient } from './queue-connection';
import { packFolderStream, removeAbandonedTransfers, unpackFolderStream } from './folder-bundle';
import type { RunJobData, RunJobProgress, RunJobResult, RunTransport } from './run-job';
import { TRANSFER_PATHS, fetchBundle, uploadBundle, workerMode } from './run-job';

/** The worker's record of the corpora it holds: name -> content hash. */
const CORPUS_HASHES_FILE = join('queue-worker', 'corpus-hashes.json');
/** Where a folder is staged while it arrives and snapshot while it is sent (listed nowhere). */
const TRANSFER_DIR = join('queue-worker', 'transfers');

/** BullMQ's own default lock: a live worker renews it every half of it. */
export const DEFAULT_STALLED_AFTER_MS = 30_000;

/**
 * A run's progress goes through Redis at most this often (and at each new epoch): training
 * reports every batch, and each report is a write and an event-stream entry that every
 * submitter reads, so a lab's workers would otherwise send thousands a second.
 */
export const PROGRESS_INTERVAL_MS = 1000;
/** A failed epoch upload is tried once more after this long before the run is given up. */
export const UPLOAD_RETRY_MS = 2000;

/** Errors a retry cannot mend: the run fails at once instead of trying again. */
const UNRECOVERABLE_CODES = new Set(['BAD_EXPERIMENT_CONFIG', 'BAD_BUNDLE', 'PATH_OUTSIDE_DATA']);

export interface QueueWorkerEvent {
  kind: 'started' | 'progress' | 'sent' | 'done' | 'failed';
  experiment: string;
  message?: string;
}

export interface QueueWorker {
  /** Who this worker is in progress reports: host name and process id. */
  label: string;
  /** Stops taking runs; waits for the running ones to end unless `force`. */
  close(options?: { force?: boolean }): Promise<void>;
}

export function startQueueWorker({
  connection,
  dataDir,
  concurrency,
  spawnWorker,
  stalledAfterMs = DEFAULT_STALLED_AFTER_MS,
  onEvent,
}: {
  connection: QueueConnection;
  dataDir: string;
  concurrency: number;
  spawnWorker: () => ChildProcess;
  /** How long a run's lock outlives its worker: a dead worker's run is retried after about this. */
  stalledAfterMs?: number;
  onEvent?: (event: QueueWorkerEvent) => void;
}): QueueWorker {
  const label = `${hostname()} pid ${process.pid}`;
  const pool = createLocalPool({ dataDir, workers: concurrency, spawnWorker });
  const transfers = join(dataDir, TRANSFER_DIR);
  // What a worker killed mid-transfer left there (this process's own are never touched).
  void removeAbandonedTransfers(transfers).catch(() => undefined);
  // Runs of one sweep share a corpus: fetch it once, whoever asks first.
  const fetching = new Map<string, Promise<void>>();

  const corpusFor = async (
    name: string,
    transport: Extract<RunTransport, { kind: 'http' }>,
  ): Promise<void> => {
    const hashesFile = join(dataDir, CORPUS_HASHES_FILE);
    const hashes = await readJsonOr<Record<string, string>>(hashesFile, {});
    if (hashes[name] === transport.corpusHash) return;
    const key = `${name}:${transport.corpusHash}`;
    let pending = fetching.get(key);
    if (!pending) {
      pending = (async () => {
        const bundle = await fetchBundle(transport, TRANSFER_PATHS.corpus(transport.corpusHash));
        if (bundle === null)
          throw new UnfoldError(
            'SWEEP_TRANSFER',
            `The submitting machine no longer serves corpus ${name}.`,
          );
        const dir = await resolveInDataFolder(dataDir, CORPORA_DIR, name);
        await mkdir(join(dataDir, CORPORA_DIR), { recursive: true });
        await unpackFolderStream(bundle, dir, { stagingDir: transfers });
        const now = await readJsonOr<Record<string, string>>(hashesFile, {});
        await mkdir(join(dataDir, 'queue-worker'), { recursive: true });
        await writeJsonAtomically(hashesFile, { ...now, [name]: transport.corpusHash });
      })().finally(() => fetching.delete(key));
      fetching.set(key, pending);
    }
    await pending;
  };

  const takeRun = async (job: Job<RunJobData, RunJobResult>): Promise<RunJobResult> => {
    const data = job.data;
    const transport = data.transport;
    const dir = await resolveInDataFolder(dataDir, EXPERIMENTS_DIR, data.experiment);
    const retried = job.attemptsMade > 0 || job.attemptsStarted > 1;
    if (transport.kind === 'http') {
      await corpusFor(data.corpus, transport);
      // The submitter's copy is the run's folder: this machine's may be stale or another run's.
      await rm(dir, { recursive: true, force: true });
      if (data.mode !== 'train' || retried) {
        const bundle = await fetchBundle(transport, TRANSFER_PATHS.run(data.experiment));
        if (bundle !== null) {
          await mkdir(join(dataDir, EXPERIMENTS_DIR), { recursive: true });
          await unpackFolderStream(bundle, dir, { stagingDir: transfers });
        }
      }
    }
    if (
      transport.kind === 'shared' &&
      !(await isSweepFolder(join(dataDir, SWEEPS_DIR, data.sweep)))
    )
      throw new UnrecoverableError(
        `[SWEEP_NOT_SHARED] Sweep ${data.sweep} shares its data folder, and this worker's (${dataDir}) does not hold it: start the worker with --data on the shared folder.`,
      );
    const hasExperiment = (await experimentTrainingState(dir)) !== 'missing';
    const mode = workerMode(data.mode, { retried, hasExperiment });

    // The folder goes back after every epoch (a retry elsewhere resumes from it), one at a time.
    let sentEpoch = 0;
    let sending: Promise<void> = Promise.resolve();
    const sendBack = (what: string): Promise<void> => {
      if (transport.kind !== 'http') return Promise.resolve();
      // One upload at a time; a failed one does not stop the next (the final one must succeed).
      sending = sending
        .catch(() => undefined)
        .then(async () => {
          const bytes = await uploadBundle(
            transport,
            TRANSFER_PATHS.run(data.experiment),
            packFolderStream(dir, { snapshotDir: transfers }),
          );
          onEvent?.({
            kind: 'sent',
            experiment: data.experiment,
            message: `${what} (${(bytes / 1e6).toFixed(2)} MB)`,
          });
        });
      return sending;
    };
    // An epoch whose folder cannot be sent back twice running means the submitter is gone (a
    // stopped sweep closes its endpoint): the run is given up rather than trained for no one.
    const giveUp = new AbortController();
    let lost: { epoch: number; error: Error } | null = null;
    const sendEpoch = (epoch: number): void => {
      sendBack(`after epoch ${epoch}`)
        .catch(async () => {
          await new Promise((resolve) => setTimeout(resolve, UPLOAD_RETRY_MS));
          await sendBack(`after epoch ${epoch}, once more`);
        })
        .catch((error: unknown) => {
          if (giveUp.signal.aborted) return;
          lost = { epoch, error: error as Error };
          giveUp.abort();
        });
    };
    let reportedAt = -Infinity;
    let reportedEpoch = -1;
    try {
      await pool.run(
        { ...data, mode },
        {
          signal: giveUp.signal,
          onProgress: (progress) => {
            const epoch = progress.metrics?.epoch ?? 0;
            const now = performance.now();
            if (now - reportedAt >= PROGRESS_INTERVAL_MS || epoch !== reportedEpoch) {
              reportedAt = now;
              reportedEpoch = epoch;
              const report: RunJobProgress = {
                fraction: progress.fraction,
                ...(progress.message !== undefined ? { message: progress.message } : {}),
                ...(progress.metrics ? { metrics: progress.metrics } : {}),
                worker: label,
              };
              job.updateProgress(report as unknown as object).catch(() => undefined);
            }
            onEvent?.({
              kind: 'progress',
              experiment: data.experiment,
              message: progress.message ?? '',
            });
            // Epoch n is under way: epoch n - 1's checkpoint is written.
            if (epoch - 1 > sentEpoch) {
              sentEpoch = epoch - 1;
              sendEpoch(sentEpoch);
            }
          },
        },
      );
      await sending.catch(() => undefined);
      await sendBack('finished');
      onEvent?.({ kind: 'done', experiment: data.experiment });
      return { worker: label };
    } catch (caught) {
      const given = lost as { epoch: number; error: Error } | null;
      if (given)
        throw new UnfoldError(
          'SWEEP_TRANSFER',
          `Gave up ${data.experiment}: its folder could not be sent back after epoch ${given.epoch} (${given.error.message}); the sweep that submitted it has stopped or cannot be reached.`,
        );
      const error = caught;
      // What was trained so far goes back too: the retry resumes from it.
      await sending.catch(() => undefined);
      await sendBack('stopped').catch(() => undefined);
      if (error instanceof UnfoldError && UNRECOVERABLE_CODES.has(error.code))
        throw new UnrecoverableError(`[${error.code}] ${error.message}`);
      throw error;
    }
  };

  const processRun = async (job: Job<RunJobData, RunJobResult>): Promise<RunJobResult> => {
    const { experiment } = job.data;
    const retried = job.attemptsMade > 0 || job.attemptsStarted > 1;
    onEvent?.({ kind: 'started', experiment, message: retried ? 'retried' : '' });
    try {
      return await takeRun(job);
    } catch (error) {
      // Every failure is told, a fetch before training as much as the training's own.
      onEvent?.({ kind: 'failed', experiment, message: (error as Error).message });
      throw error;
    }
  };

  const client = redisClient(connection);
  const worker = new Worker<RunJobData, RunJobResult>(SWEEP_QUEUE_NAME, processRun, {
    connection: client,
    concurrency,
    // A run whose worker died is moved back to the queue once its lock runs out; after this
    // many such stalls it fails (the job's `attempts` count failures).
    maxStalledCount: 2,
    lockDuration: stalledAfterMs,
    stalledInterval: stalledAfterMs,
  });
  worker.on('error', () => undefined);
  return {
    label,
    async close({ force = false }: { force?: boolean } = {}) {
      // Forced: the running runs' processes end now and their jobs go back to the queue
      // (stalled) for another worker, which resumes them from their last upload.
      await worker.close(force);
      await pool.dispose();
      client.disconnect();
    },
  };
}
