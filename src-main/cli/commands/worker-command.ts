/**
 * `unfold worker --queue redis://HOST:6379`: a lab PC takes sweep runs from the queue until it
 * is stopped (Ctrl-C or SIGTERM: its running runs go back to the queue and resume elsewhere).
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { chooseDataFolder } from '../../domain/data-folder';
import { defaultWorkerCount } from '../../domain/sweeps/local-pool';
import {
  QUEUE_PASSWORD_ENV,
  checkQueue,
  parseQueueUrl,
  queueLabel,
  queuePassword,
} from '../../domain/sweeps/queue/queue-connection';
import { DEFAULT_STALLED_AFTER_MS, startQueueWorker } from '../../domain/sweeps/queue/queue-worker';
import { forkWorker, type WorkerEntry } from '../../server/worker-process';
import { reportCliError } from '../cli-errors';
import { positiveFlag } from './flag-values';

interface WorkerFlags {
  queue: string;
  concurrency?: string;
  passwordFile?: string;
  data?: string;
  stalledAfter?: string;
}

/** Where a worker keeps the corpora it fetched and the runs it trains, apart from the user's own. */
export const WORKER_DATA_FOLDER = 'queue-worker-data';

export function registerWorkerCommand(program: Command, deps: { worker: WorkerEntry }): void {
  program
    .command('worker')
    .description("Take sweep runs from a queue (BullMQ over Redis) until stopped: a lab PC's share")
    .requiredOption('--queue <url>', 'the queue: redis://[user@]HOST[:6379][/db]')
    .option(
      '--concurrency <n>',
      `runs at once, each in its own process (default: the cores but one, here ${defaultWorkerCount()})`,
    )
    .option(
      '--password-file <file>',
      `a file whose first line is the queue's password (default: the ${QUEUE_PASSWORD_ENV} environment variable)`,
    )
    .option(
      '--data <dir>',
      `working data folder (default: ${WORKER_DATA_FOLDER}/ in the data folder); for sweeps started with --shared-data, the shared data folder`,
    )
    .option(
      '--stalled-after <seconds>',
      `how long a run stays locked to a worker that stopped answering before another worker takes it over (default ${DEFAULT_STALLED_AFTER_MS / 1000}); every worker of a queue should use the same`,
    )
    .action(async (flags: WorkerFlags) => {
      try {
        const concurrency =
          positiveFlag(flags.concurrency, '--concurrency') ?? defaultWorkerCount();
        const connection = parseQueueUrl(flags.queue, await queuePassword(flags.passwordFile));
        const { redisVersion } = await checkQueue(connection);
        const dataDir = flags.data ?? join(chooseDataFolder(undefined).dir, WORKER_DATA_FOLDER);
        const worker = startQueueWorker({
          connection,
          dataDir,
          concurrency,
          stalledAfterMs:
            (positiveFlag(flags.stalledAfter, '--stalled-after', false) ??
              DEFAULT_STALLED_AFTER_MS / 1000) * 1000,
          spawnWorker: () => forkWorker(deps.worker),
          onEvent: (event) => {
            if (event.kind === 'progress') return;
            process.stderr.write(
              `${new Date().toISOString()} ${event.experiment} ${event.kind}${event.message ? `: ${event.message}` : ''}\n`,
            );
          },
        });
        process.stderr.write(
          `${worker.label}: taking runs from ${queueLabel(connection)} (Redis ${redisVersion}), ${concurrency} at once, data in ${dataDir}\n`,
        );
        await new Promise<void>((resolve) => {
          const stop = (): void => {
            process.stderr.write('Stopping: running runs go back to the queue.\n');
            worker.close({ force: true }).then(resolve, resolve);
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        // Connections BullMQ keeps for blocking reads may hold the event loop: the worker is done.
        process.exit(0);
      } catch (error) {
        reportCliError(error, false);
      }
    });
}
