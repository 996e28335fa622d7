/**
 * A sweep's runs on a queue, as `unfold sweep --queue` and the app's Sweeps section both start
 * them: the queue URL read (a password in it refused) and the queue checked before anything
 * else (unreachable, a wrong or missing password: errors that say what to do), the endpoint that
 * serves the workers the corpus and takes their experiments back (unless they share the data
 * folder), and the queue executor; one close for all of it.
 */
import { CORPORA_DIR } from '../../corpus/corpus-paths';
import { resolveInDataFolder } from '../../data-folder';
import type { SweepPlan } from '../sweep-plan';
import { checkQueue, parseQueueUrl, queueLabel } from './queue-connection';
import { createQueueExecutor, type QueueExecutor } from './queue-executor';
import { startSweepFileServer } from './sweep-file-server';

export interface QueueSweepSettings {
  /** `redis://[user@]HOST[:PORT][/DB]`, never with a password in it. */
  url: string;
  /** From the environment or a file (queue-connection.ts `queuePassword`), or none. */
  password: string | undefined;
  /** The workers' `--data` is this same data folder: no endpoint, nothing transferred. */
  sharedData?: boolean | undefined;
  /** Where the endpoint listens (default loopback) and on which port (default: any free one). */
  serveHost?: string | undefined;
  servePort?: number | undefined;
  /** The name workers reach this machine by. */
  advertiseHost?: string | undefined;
  /** Tries of a run before it is marked failed (default: the queue executor's). */
  attempts?: number | undefined;
}

export interface QueueSweepExecutor {
  executor: QueueExecutor;
  /** The queue as shown to people (queue-connection.ts `queueLabel`: no credentials). */
  queue: string;
  /** Where workers fetch the corpus and send results; null with a shared data folder. */
  fileServerUrl: string | null;
  /** Closes the executor, then the endpoint; later calls wait for the first. */
  close(): Promise<void>;
}

export async function openQueueSweepExecutor(
  settings: QueueSweepSettings,
  { plan, dataDir, sweepDir }: { plan: SweepPlan; dataDir: string; sweepDir: string },
): Promise<QueueSweepExecutor> {
  const connection = parseQueueUrl(settings.url, settings.password);
  await checkQueue(connection);
  const server = settings.sharedData
    ? null
    : await startSweepFileServer({
        plan,
        dataDir,
        sweepDir,
        corpusDir: await resolveInDataFolder(dataDir, CORPORA_DIR, plan.corpus),
        host: settings.serveHost,
        port: settings.servePort,
        advertiseHost: settings.advertiseHost,
      });
  try {
    const executor = await createQueueExecutor({
      connection,
      corpus: plan.corpus,
      transport: server
        ? { kind: 'http', url: server.url, token: server.token, corpusHash: server.corpusHash }
        : { kind: 'shared' },
      attempts: settings.attempts,
    });
    let closed: Promise<void> | null = null;
    return {
      executor,
      queue: queueLabel(connection),
      fileServerUrl: server?.url ?? null,
      close: () =>
        (closed ??= (async () => {
          try {
            await executor.close();
          } finally {
            await server?.close();
          }
        })()),
    };
  } catch (error) {
    await server?.close();
    throw error;
  }
}
