/**
 * Where the queue is and how to log in: a `redis://[user@]HOST[:PORT][/DB]` URL, the password
 * from the environment (UNFOLD_REDIS_PASSWORD) or a file, never from the command line (other
 * users of a lab PC read every process's arguments in `ps`). Checks a queue before use, with
 * errors a user can act on.
 */
import { readFile } from 'node:fs/promises';
import type { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import { QUEUE_PASSWORD_ENV } from '../../../api/sweeps';
import { UnfoldError } from '../../errors';

/** The environment variable that holds the queue's password (declared where the app's page reads it too). */
export { QUEUE_PASSWORD_ENV };
/** The BullMQ queue every sweep's runs go through. */
export const SWEEP_QUEUE_NAME = 'unfold-sweep-runs';
export const DEFAULT_REDIS_PORT = 6379;

export interface QueueConnection {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  /** BullMQ workers wait for Redis across restarts instead of failing a command. */
  maxRetriesPerRequest: null;
}

/** The queue URL as shown to people: no password ever. */
export function queueLabel(connection: Pick<QueueConnection, 'host' | 'port' | 'db'>): string {
  return `redis://${connection.host}:${connection.port}${connection.db ? `/${connection.db}` : ''}`;
}

/**
 * A client of its own for one BullMQ object (a Queue, a Worker, QueueEvents): BullMQ cannot load
 * ioredis itself from an ES module, and a blocking reader must not share its connection. BullMQ
 * leaves a client it was given open: the owner quits it after closing the object.
 */
export function redisClient(connection: QueueConnection): Redis {
  const client = new Redis(connection);
  // Connection trouble reaches the waiting runs through BullMQ; an unhandled 'error' would crash.
  client.on('error', () => undefined);
  return client;
}

/**
 * Closes a QueueEvents reader. It reads through a client of its own (BullMQ's copy of the one it
 * was given), and its close waits for that client's end. ioredis never ends a client told to
 * disconnect while it waits to reconnect (redis/ioredis#1247): after a Redis restart the close
 * would wait for ever. Such a client is dropped at once instead (its pending read never settles,
 * and holds nothing open).
 */
export async function closeQueueEvents(events: QueueEvents): Promise<void> {
  const client = await events.getBackend().client;
  if (client.status === 'reconnecting') client.disconnect();
  else await events.close();
}

/** The connection a queue URL and a password (or none) give. */
export function parseQueueUrl(url: string, password: string | undefined): QueueConnection {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UnfoldError('BAD_QUEUE_URL', `${url} is not a queue URL such as redis://HOST:6379.`);
  }
  if (parsed.protocol !== 'redis:')
    throw new UnfoldError(
      'BAD_QUEUE_URL',
      `The queue URL must start with redis:// (got ${parsed.protocol}//).`,
    );
  if (parsed.password !== '')
    throw new UnfoldError(
      'BAD_QUEUE_URL',
      `Do not put the password in the queue URL (other users see command lines in \`ps\`): set ${QUEUE_PASSWORD_ENV} or give --password-file.`,
    );
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db))
    throw new UnfoldError(
      'BAD_QUEUE_URL',
      `The queue URL's path is a database number (got /${db}).`,
    );
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, '') || 'localhost',
    port: parsed.port ? Number(parsed.port) : DEFAULT_REDIS_PORT,
    db: db === '' ? 0 : Number(db),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(password !== undefined ? { password } : {}),
    maxRetriesPerRequest: null,
  };
}

/** The password: from --password-file (its first line), else the environment, else none. */
export async function queuePassword(
  passwordFile: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  if (passwordFile !== undefined) {
    const text = await readFile(passwordFile, 'utf8').catch((error: Error) => {
      throw new UnfoldError(
        'QUEUE_PASSWORD_FILE',
        `Cannot read the password file ${passwordFile}: ${error.message}`,
      );
    });
    return text.split(/\r?\n/)[0] ?? '';
  }
  const fromEnv = env[QUEUE_PASSWORD_ENV];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

/** Reachable, logged in: the server's Redis version; else an error that says what to do. */
export async function checkQueue(connection: QueueConnection): Promise<{ redisVersion: string }> {
  const options: RedisOptions = {
    ...connection,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 5000,
  };
  const client = new Redis(options);
  // A refused AUTH is told through 'error'; connect() then only says the connection closed.
  let reported = null as Error | null;
  client.on('error', (error: Error) => (reported ??= error));
  const where = queueLabel(connection);
  try {
    await client.connect();
    const info = await client.info('server');
    return { redisVersion: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown' };
  } catch (error) {
    const message = `${(error as Error).message} ${reported?.message ?? ''}`.trim();
    if (/WRONGPASS|invalid password|invalid username-password/i.test(message))
      throw new UnfoldError(
        'QUEUE_AUTH',
        `The queue at ${where} refused the password: check ${QUEUE_PASSWORD_ENV} or --password-file (and the user in the URL).`,
      );
    if (/NOAUTH/i.test(message))
      throw new UnfoldError(
        'QUEUE_AUTH',
        `The queue at ${where} needs a password: set ${QUEUE_PASSWORD_ENV} or give --password-file.`,
      );
    throw new UnfoldError(
      'QUEUE_UNREACHABLE',
      `Cannot reach the queue at ${where}: ${message.replace(/\.$/, '')}. Is redis-server running there and listening on that address?`,
    );
  } finally {
    client.disconnect();
  }
}
