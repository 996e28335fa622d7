/**
 * What travels through the queue for one run (job data, progress, result), and the worker's
 * side of the transfer: the corpus fetched by content hash and the experiment folder fetched
 * (to resume) and sent back, over the submitting machine's HTTP endpoint (sweep-file-server.ts)
 * with the sweep's token. Redis carries these messages only, never the data itself.
 */
import { UnfoldError } from '../../errors';
import type { RunMode, RunOrder } from '../run-sweep';

/** The endpoint paths: one owner for both sides. */
export const TRANSFER_PATHS = {
  corpus: (hash: string): string => `/corpus/${hash}`,
  run: (experiment: string): string => `/runs/${encodeURIComponent(experiment)}`,
} as const;

/** How a run's data moves: over the submitter's endpoint, or not at all (a shared data folder). */
export type RunTransport =
  { kind: 'http'; url: string; token: string; corpusHash: string } | { kind: 'shared' };

export interface RunJobData extends RunOrder {
  corpus: string;
  transport: RunTransport;
}

/** What a worker reports through job.updateProgress. */
export interface RunJobProgress {
  fraction: number | null;
  message?: string;
  metrics?: Record<string, number>;
  worker: string;
}

export interface RunJobResult {
  worker: string;
}

/** The mode a worker runs: a retried run (its worker died or it failed) continues from its checkpoint. */
export function workerMode(
  planned: RunMode,
  { retried, hasExperiment }: { retried: boolean; hasExperiment: boolean },
): RunMode {
  if (planned === 'evaluate') return 'evaluate';
  if (!hasExperiment) return 'train';
  return planned === 'resume' || retried ? 'resume' : 'train';
}

async function request(
  transport: Extract<RunTransport, { kind: 'http' }>,
  path: string,
  init: { method: 'GET' | 'PUT'; body?: AsyncIterable<Uint8Array> },
): Promise<Response> {
  const url = new URL(path, transport.url);
  try {
    return await fetch(url, {
      method: init.method,
      headers: {
        authorization: `Bearer ${transport.token}`,
        ...(init.body ? { 'content-type': 'application/x-tar' } : {}),
      },
      // A streamed request body (chunked): fetch needs `duplex: 'half'` for it. Node's fetch
      // takes an async iterable as a body; the DOM typings (checked with the e2e project) do not
      // say so.
      ...(init.body
        ? { body: init.body as unknown as RequestInit['body'], duplex: 'half' as const }
        : {}),
    });
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause;
    // The body's own error (the folder could not be read) is this side's, not the network's.
    if (cause instanceof UnfoldError) throw cause;
    throw new UnfoldError(
      'SWEEP_TRANSFER',
      `Cannot reach the submitting machine at ${transport.url} (${cause?.message ?? (error as Error).message}): is \`unfold sweep\` still running there, and is its --serve-host reachable from this PC?`,
    );
  }
}

/** A response body read a chunk at a time; a connection lost midway is a transfer error. */
async function* transferredBody(
  body: ReadableStream<Uint8Array>,
  path: string,
): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) yield chunk;
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause;
    throw new UnfoldError(
      'SWEEP_TRANSFER',
      `The transfer of ${path} from the submitting machine broke off (${cause?.message ?? (error as Error).message}).`,
    );
  }
}

/**
 * A folder bundle from the endpoint as a stream (for unpackFolderStream), or null when it has
 * none (404).
 */
export async function fetchBundle(
  transport: Extract<RunTransport, { kind: 'http' }>,
  path: string,
): Promise<AsyncIterable<Uint8Array> | null> {
  const response = await request(transport, path, { method: 'GET' });
  if (response.status === 404) return null;
  if (!response.ok || !response.body)
    throw new UnfoldError(
      'SWEEP_TRANSFER',
      `The submitting machine answered ${response.status} for ${path}: ${await response.text()}`,
    );
  return transferredBody(response.body, path);
}

/** Sends a folder bundle (packFolderStream) as it is read; returns the bytes sent. */
export async function uploadBundle(
  transport: Extract<RunTransport, { kind: 'http' }>,
  path: string,
  body: AsyncIterable<Uint8Array>,
): Promise<number> {
  let sent = 0;
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of body) {
      sent += chunk.length;
      yield chunk;
    }
  }
  const response = await request(transport, path, { method: 'PUT', body: counted() });
  if (!response.ok)
    throw new UnfoldError(
      'SWEEP_TRANSFER',
      `The submitting machine refused ${path} (${response.status}): ${await response.text()}`,
    );
  return sent;
}
