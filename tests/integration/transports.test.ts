import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from '../../src-main/api/client-core';
import { ApiError } from '../../src-main/api/errors';
import type { JobInfo } from '../../src-main/api/jobs';
import type { RequestChannel } from '../../src-main/api/contract';
import {
  createWebSocketTransport,
  websocketUrl,
  type WebSocketLike,
} from '../../src-main/api/websocket-transport';
import { createPreloadBridge, registerIpcRelay } from '../../src-main/electron/ipc-relay';
import { startHttpServer, type RunningHttpServer } from '../../src-main/server/http-server';
import { createUnfoldApp, type UnfoldApp } from '../../src-main/server/unfold-app';
import { createInMemoryIpc } from '../support/in-memory-ipc';

const root = join(import.meta.dirname, '..', '..');
const worker = { path: join(root, 'src-main/jobs/worker.ts'), execArgv: ['--import', 'tsx'] };
const TRUSTED = 'file:///app/index.html';

let dataDir: string;
let rendererDir: string;
let app: UnfoldApp;
let server: RunningHttpServer;
let ipcClient: ApiClient;
let wsClient: ApiClient;
let closeWs: () => void;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'unfold-transports-'));
  rendererDir = join(dataDir, 'renderer');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Unfold</title>');
  app = createUnfoldApp({ dataDir, worker, version: '0.0.0-test' });

  const ipc = createInMemoryIpc(TRUSTED);
  registerIpcRelay(
    ipc.ipcMain,
    app,
    (url) => url === TRUSTED,
    () => [ipc.webContents],
  );
  const bridge = createPreloadBridge(ipc.ipcRenderer);
  ipcClient = createApiClient({ kind: 'electron', call: bridge.call, subscribe: bridge.subscribe });

  server = await startHttpServer({
    app,
    rendererDir,
    host: '127.0.0.1',
    port: 0,
    token: 'secret-token',
  });
  const transport = createWebSocketTransport(
    websocketUrl(`http://127.0.0.1:${server.port}/`, 'secret-token'),
    (url) => new WebSocket(url) as unknown as WebSocketLike,
  );
  await transport.ready;
  wsClient = createApiClient(transport);
  closeWs = () => transport.close();
});

afterAll(async () => {
  closeWs();
  await server.close();
  await app.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

async function outcome(
  client: ApiClient,
  channel: RequestChannel,
  params?: unknown,
): Promise<unknown> {
  try {
    return {
      result: await (client.invoke as (c: string, p?: unknown) => Promise<unknown>)(
        channel,
        params,
      ),
    };
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return { error: { code: (error as ApiError).code, message: (error as ApiError).message } };
  }
}

describe('Electron IPC and the WebSocket carry the same contract the same way', () => {
  const calls: [RequestChannel, unknown][] = [
    ['app:info', undefined],
    ['app:backend', undefined],
    ['jobs:list', undefined],
    ['jobs:get', { id: 'job-missing' }],
    ['jobs:cancel', { id: 'job-missing' }],
    ['jobs:start', { kind: 'no-such-kind' }],
    ['jobs:start', { kind: 'selftest', params: { steps: -1 } }],
    ['app:info', { unexpected: true }],
    ['jobs:get', { id: 42 }],
    ['no:such-channel' as RequestChannel, undefined],
  ];

  it.each(calls)('%s %j', async (channel, params) => {
    const viaIpc = await outcome(ipcClient, channel, params);
    const viaWs = await outcome(wsClient, channel, params);
    expect(viaWs).toEqual(viaIpc);
  });

  it('gives actionable error codes', async () => {
    expect(await outcome(wsClient, 'jobs:get', { id: 'job-missing' })).toMatchObject({
      error: { code: 'JOB_NOT_FOUND' },
    });
    expect(
      await outcome(ipcClient, 'jobs:start', { kind: 'selftest', params: { steps: -1 } }),
    ).toMatchObject({
      error: { code: 'INVALID_PARAMS' },
    });
    expect(await outcome(ipcClient, 'no:such-channel' as RequestChannel)).toMatchObject({
      error: { code: 'UNKNOWN_CHANNEL' },
    });
  });

  it('delivers job events to both transports, and a job started on one is seen on the other', async () => {
    const seenByIpc: JobInfo[] = [];
    const seenByWs: JobInfo[] = [];
    const offIpc = ipcClient.on('jobs:updated', (job) => seenByIpc.push(job));
    const offWs = wsClient.on('jobs:updated', (job) => seenByWs.push(job));
    const job = await wsClient.invoke('jobs:start', {
      kind: 'selftest',
      params: { steps: 15, units: 4, timeSteps: 4, batch: 4 },
    });
    const ended = await app.jobs.whenEnded(job.id);
    expect(ended.state).toBe('succeeded');
    // Events are delivered asynchronously over the socket: wait for the terminal one.
    await expect.poll(() => seenByWs.at(-1)?.state, { timeout: 5000 }).toBe('succeeded');
    expect(seenByIpc.at(-1)?.state).toBe('succeeded');
    expect(seenByWs.map((j) => j.state)).toEqual(seenByIpc.map((j) => j.state));
    const viaIpc = await ipcClient.invoke('jobs:get', { id: job.id });
    expect(viaIpc).toEqual(await wsClient.invoke('jobs:get', { id: job.id }));
    offIpc();
    offWs();
  });

  it('refuses IPC calls from frames that are not the app', async () => {
    const ipc = createInMemoryIpc('https://evil.example/');
    registerIpcRelay(
      ipc.ipcMain,
      app,
      (url) => url === TRUSTED,
      () => [],
    );
    const bridge = createPreloadBridge(ipc.ipcRenderer);
    expect(await bridge.call('app:info', undefined)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});
