import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { hostname, networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WEBSOCKET_PATH } from '../../src-main/api/contract';
import { decodeFrame, encodeFrame } from '../../src-main/api/wire';
import { startServe, type ServeProcess } from '../support/cli';

let dataDir: string;
let serve: ServeProcess;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'unfold serve '));
  serve = await startServe(['--port', '0', '--data', dataDir]);
});

afterAll(async () => {
  if (serve.child.exitCode === null) await serve.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Opens a WebSocket and resolves with the HTTP status it was refused with, or 101 when accepted. */
function handshake(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; ws?: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => resolve({ status: 101, ws }));
    ws.on('unexpected-response', (_request, response) =>
      resolve({ status: response.statusCode ?? 0 }),
    );
    ws.on('error', () => resolve({ status: 0 }));
  });
}

function apiUrl(token: string | null): string {
  const url = new URL(WEBSOCKET_PATH, serve.url);
  url.protocol = 'ws:';
  url.search = token === null ? '' : `?token=${encodeURIComponent(token)}`;
  return url.toString();
}

describe('unfold serve', () => {
  it('prints a loopback URL with a long random token', () => {
    expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
  });

  it('serves the app page', async () => {
    const response = await fetch(serve.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Unfold</title>');
  });

  it('sends the Content-Security-Policy as an HTTP header on the page', async () => {
    const response = await fetch(serve.url);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    // The fallback page of the single-page app (any path) gets it too.
    const fallback = await fetch(new URL('/some/view', serve.url));
    expect(fallback.headers.get('content-security-policy')).toBe(policy);
  });

  it('refuses a WebSocket without the token or with a wrong one', async () => {
    expect((await handshake(apiUrl(null))).status).toBe(401);
    expect((await handshake(apiUrl('wrong'))).status).toBe(401);
    expect((await handshake(apiUrl(serve.token.slice(0, -1) + 'x'))).status).toBe(401);
  });

  it('refuses requests for other host names and pages from other origins', async () => {
    expect(
      (await handshake(apiUrl(serve.token), { Host: `evil.example:${serve.port}` })).status,
    ).toBe(421);
    expect((await handshake(apiUrl(serve.token), { Origin: 'http://evil.example' })).status).toBe(
      403,
    );
    // fetch() will not send a forged Host header; a plain HTTP request does.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      request(
        { host: '127.0.0.1', port: serve.port, path: '/', headers: { Host: 'evil.example' } },
        (response) => {
          response.resume();
          resolve(response.statusCode);
        },
      )
        .on('error', reject)
        .end();
    });
    expect(status).toBe(421);
  });

  it('answers API calls on a connection with the token', async () => {
    const { status, ws } = await handshake(apiUrl(serve.token), {
      Origin: `http://127.0.0.1:${serve.port}`,
    });
    expect(status).toBe(101);
    const reply = new Promise<unknown>((resolve) =>
      ws?.once('message', (data: Buffer) => resolve(decodeFrame(data))),
    );
    ws?.send(encodeFrame({ type: 'request', id: 7, channel: 'app:info', params: undefined }));
    expect(await reply).toMatchObject({
      type: 'response',
      id: 7,
      response: { ok: true, result: { name: 'Unfold', dataDir } },
    });
    ws?.close();
  });

  it('does not listen on the non-loopback addresses of this machine', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((address) => address && !address.internal && address.family === 'IPv4')
      .map((address) => address?.address ?? '');
    for (const address of external) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect({ host: address, port: serve.port });
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(outcome, `connection to ${address}:${serve.port}`).toBe('ECONNREFUSED');
    }
    // Loopback does accept, so the refusals above are about the address, not a dead server.
    const local = await fetch(`http://127.0.0.1:${serve.port}/`);
    expect(local.status).toBe(200);
  });

  it('shuts down cleanly on SIGTERM', async () => {
    const code = await serve.stop('SIGTERM');
    expect(code).toBe(0);
    expect(serve.output()).toContain('Stopping Unfold');
  });
});

/** A plain HTTP GET to one address with a chosen Host header; resolves with the status. */
function statusOf(address: string, port: number, host: string, path = '/'): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: address, port, path, headers: { Host: host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('unfold serve --host 0.0.0.0', () => {
  let everywhere: ServeProcess;
  let folder: string;
  // Only this machine's own interface addresses are ever contacted.
  const ownAddresses = Object.values(networkInterfaces())
    .flat()
    .filter((address) => address && !address.internal && address.family === 'IPv4')
    .map((address) => address?.address ?? '');

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'unfold serve all '));
    everywhere = await startServe(['--host', '0.0.0.0', '--port', '0', '--data', folder]);
  });

  afterAll(async () => {
    if (everywhere.child.exitCode === null) await everywhere.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('warns that the network can reach it', () => {
    expect(everywhere.output()).toContain('warning: listening on 0.0.0.0');
  });

  it('prints the addresses other machines can use, not 0.0.0.0 alone', async () => {
    // The lines after the URL may arrive in a later chunk of the pipe.
    await vi.waitFor(() => expect(everywhere.output()).toContain('Data folder:'));
    for (const address of ownAddresses)
      expect(everywhere.output()).toContain(
        `from other machines: http://${address}:${everywhere.port}/`,
      );
  });

  it('answers requests that name this machine by its addresses or its name', async () => {
    const { port } = everywhere;
    for (const address of ownAddresses)
      expect(await statusOf(address, port, `${address}:${port}`), address).toBe(200);
    expect(await statusOf('127.0.0.1', port, `${hostname()}:${port}`)).toBe(200);
    expect(await statusOf('127.0.0.1', port, `127.0.0.1:${port}`)).toBe(200);
    expect(await statusOf('127.0.0.1', port, `localhost:${port}`)).toBe(200);
  });

  it('still refuses other host names, and still demands the token', async () => {
    const { port, token } = everywhere;
    expect(await statusOf('127.0.0.1', port, `evil.example:${port}`)).toBe(421);
    for (const address of [...ownAddresses, '127.0.0.1']) {
      const url = `ws://${address}:${port}${WEBSOCKET_PATH}`;
      const origin = { Origin: `http://${address}:${port}` };
      expect((await handshake(url, origin)).status, address).toBe(401);
      expect(
        (
          await handshake(`${url}?token=${encodeURIComponent(token)}`, {
            Origin: 'http://evil.example',
          })
        ).status,
      ).toBe(403);
      const accepted = await handshake(`${url}?token=${encodeURIComponent(token)}`, origin);
      expect(accepted.status, address).toBe(101);
      accepted.ws?.close();
    }
  });
});
