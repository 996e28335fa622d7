/**
 * The submitting machine's small HTTP endpoint for queue workers with no shared drive: the
 * sweep's corpus by its content hash, a run's experiment folder (to resume it elsewhere), and
 * the folder sent back as it trains and when it ends. Every request carries the sweep's token;
 * only the sweep's corpus and its runs' experiments are served or written. It listens on
 * loopback unless told otherwise.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  ensureDir,
  experimentDir,
  experimentTrainingState,
} from '../../experiments/experiment-folder';
import { SWEEP_FILES } from '../sweep-folder';
import type { SweepPlan } from '../sweep-plan';
import { UnfoldError } from '../../errors';
import {
  folderHash,
  packFolderStream,
  removeAbandonedTransfers,
  unpackFolderStream,
} from './folder-bundle';

/** The largest folder bundle a worker may send back (its bytes as streamed). */
export const MAX_UPLOAD_BYTES = 2 ** 31;

export interface SweepFileServer {
  /** The URL workers are told (the advertised host). */
  url: string;
  token: string;
  corpusHash: string;
  /** Bytes served and received, for the record. */
  traffic: { sent: number; received: number };
  close(): Promise<void>;
}

export interface SweepFileServerOptions {
  plan: SweepPlan;
  dataDir: string;
  /** The sweep's folder: uploads are staged there. */
  sweepDir: string;
  corpusDir: string;
  /** Where it listens (default 127.0.0.1) and on which port (default: any free one). */
  host?: string;
  port?: number;
  /** The host name workers use to reach it (default: `host`, or this machine's name for 0.0.0.0 / ::). */
  advertiseHost?: string;
}

const ANY_ADDRESS = new Set(['0.0.0.0', '::', '']);

/** Counts the bytes that pass, for the record. */
function counter(count: (bytes: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      count(chunk.length);
      done(null, chunk);
    },
  });
}

/** What an error becomes for the worker: its own fault (4xx, not retried as is) or ours. */
const STATUS_OF_CODE: Record<string, number> = { BAD_BUNDLE: 400, BUNDLE_TOO_LARGE: 413 };

export async function startSweepFileServer(
  options: SweepFileServerOptions,
): Promise<SweepFileServer> {
  const token = randomBytes(24).toString('base64url');
  const expected = Buffer.from(`Bearer ${token}`);
  const corpusHash = await folderHash(options.corpusDir);
  const experiments = new Set(options.plan.runs.map((run) => run.experiment));
  // Created at the first upload: a new sweep's folder must still be empty when it starts.
  const staging = join(options.sweepDir, SWEEP_FILES.incoming);
  // What a submitter killed mid-transfer left there (a resumed sweep's folder).
  await removeAbandonedTransfers(staging);
  const traffic = { sent: 0, received: 0 };

  const authorised = (request: IncomingMessage): boolean => {
    const given = Buffer.from(request.headers.authorization ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  const answer = (response: ServerResponse, status: number, body: string): void => {
    response.writeHead(status, { 'content-type': 'text/plain' });
    response.end(body);
  };
  /** Streams a folder as the response; an error midway ends the response broken, never whole. */
  const sendFolder = async (response: ServerResponse, dir: string): Promise<void> => {
    await ensureDir(staging);
    response.writeHead(200, { 'content-type': 'application/x-tar' });
    await pipeline(
      packFolderStream(dir, { snapshotDir: staging }),
      counter((bytes) => (traffic.sent += bytes)),
      response,
    );
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (!authorised(request)) return answer(response, 401, 'a valid sweep token is needed');
    const path = new URL(request.url ?? '/', 'http://sweep').pathname;
    const corpus = /^\/corpus\/([0-9a-f]{64})$/.exec(path);
    if (corpus && request.method === 'GET') {
      if (corpus[1] !== corpusHash) return answer(response, 404, 'not this sweep corpus');
      return sendFolder(response, options.corpusDir);
    }
    const run = /^\/runs\/([^/]+)$/.exec(path);
    const experiment = run ? decodeURIComponent(run[1] as string) : null;
    if (experiment === null || !experiments.has(experiment))
      return answer(response, 404, 'not a run of this sweep');
    const dir = experimentDir(experiment, options.dataDir);
    if (request.method === 'GET') {
      // No experiment yet: the worker starts the run afresh.
      if ((await experimentTrainingState(dir)) === 'missing')
        return answer(response, 404, 'no experiment yet');
      return sendFolder(response, dir);
    }
    if (request.method === 'PUT') {
      await ensureDir(staging);
      const { bytes } = await unpackFolderStream(request, dir, {
        stagingDir: staging,
        maxBytes: MAX_UPLOAD_BYTES,
      });
      traffic.received += bytes;
      return answer(response, 200, 'stored');
    }
    return answer(response, 405, 'GET or PUT');
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const code = error instanceof UnfoldError ? error.code : '';
      // The rest of a refused upload is not read: the connection closes after the answer.
      if (request.method === 'PUT') response.setHeader('connection', 'close');
      answer(response, STATUS_OF_CODE[code] ?? 500, (error as Error).message);
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const advertised = options.advertiseHost ?? (ANY_ADDRESS.has(host) ? hostname() : host);
  const shown = advertised.includes(':') ? `[${advertised}]` : advertised;
  return {
    url: `http://${shown}:${port}`,
    token,
    corpusHash,
    traffic,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
