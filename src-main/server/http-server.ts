import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';
import { WEBSOCKET_PATH } from '../api/contract';
import type { ClientFrame, ServerFrame } from '../api/envelope';
import { decodeFrame, encodeFrame } from '../api/wire';
import type { UnfoldApp } from './unfold-app';
import {
  contentSecurityPolicyHeader,
  hostHeaderAllowed,
  localMachineNames,
  originAllowed,
  tokensMatch,
} from './serve-security';

export interface HttpServerOptions {
  app: UnfoldApp;
  rendererDir: string;
  host: string;
  port: number;
  token: string;
}

export interface RunningHttpServer {
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

const MAX_FRAME_BYTES = 64 * 1024 * 1024;
const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/**
 * `unfold serve`: the built renderer over HTTP and the API contract over a WebSocket that
 * demands the session token. Static files are the same public code the desktop app ships;
 * everything that touches data goes through the token-checked socket.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const { app, host, token } = options;
  const serveStatic = sirv(options.rendererDir, { single: true, etag: true, dev: false });
  const contentSecurityPolicy = contentSecurityPolicyHeader(readIndexHtml(options.rendererDir));
  let port = options.port;

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (!hostHeaderAllowed(request.headers.host, host, port, localMachineNames())) {
      response.writeHead(421, { 'Content-Type': 'text/plain' }).end('Misdirected request');
      return;
    }
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    response.setHeader('Content-Security-Policy', contentSecurityPolicy);
    serveStatic(request, response, () => {
      response.writeHead(404).end('Not found');
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://unfold.invalid');
    const refuse = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== WEBSOCKET_PATH) return refuse('404 Not Found');
    const machine = localMachineNames();
    if (!hostHeaderAllowed(request.headers.host, host, port, machine))
      return refuse('421 Misdirected Request');
    if (!originAllowed(request.headers.origin, host, port, machine)) return refuse('403 Forbidden');
    if (!tokensMatch(token, url.searchParams.get('token'))) return refuse('401 Unauthorized');
    sockets.handleUpgrade(request, socket, head, (ws) => serveClient(ws, app));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}/?token=${token}`,
    host,
    port,
    async close() {
      for (const client of sockets.clients) client.close(1001, 'Unfold is shutting down');
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The page whose meta tag declares the policy; without one, the strict fallback applies. */
function readIndexHtml(rendererDir: string): string {
  try {
    return readFileSync(join(rendererDir, 'index.html'), 'utf8');
  } catch {
    return '';
  }
}

function serveClient(ws: WebSocket, app: UnfoldApp): void {
  const send = (frame: ServerFrame): void => {
    if (ws.readyState === ws.OPEN) ws.send(encodeFrame(frame));
  };
  const unsubscribe = app.events.subscribe((event, payload) =>
    send({ type: 'event', event, payload }),
  );
  ws.on('message', (data, isBinary) => {
    if (!isBinary) return;
    let frame: ClientFrame;
    try {
      frame = decodeFrame(
        Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data as ArrayBuffer)]),
      ) as ClientFrame;
    } catch {
      ws.close(1003, 'Malformed frame');
      return;
    }
    if (frame?.type !== 'request' || typeof frame.id !== 'number') return;
    void app
      .dispatch(frame.channel, frame.params)
      .then((response) => send({ type: 'response', id: frame.id, response }));
  });
  ws.on('close', unsubscribe);
  ws.on('error', unsubscribe);
}
