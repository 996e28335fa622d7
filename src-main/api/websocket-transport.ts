import type { RequestChannel } from './contract';
import { WEBSOCKET_PATH } from './transport-names';
import type { ResponseEnvelope, ServerFrame } from './envelope';
import type { RawEventListener, RawTransport } from './client-core';
import { decodeFrame, encodeFrame } from './wire';

/** The subset of the WebSocket API used here: the browser's, or the `ws` package's in Node. */
export interface WebSocketLike {
  binaryType: string;
  readyState: number;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketFactory = (url: string) => WebSocketLike;

export interface WebSocketTransport extends RawTransport {
  close(): void;
  /** Resolves once connected; rejects when the server refuses the connection. */
  ready: Promise<void>;
  onConnectionChange(listener: (connected: boolean) => void): () => void;
}

const OPEN = 1;
const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 4000];

export function websocketUrl(baseHttpUrl: string, token: string): string {
  const url = new URL(WEBSOCKET_PATH, baseHttpUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('token', token);
  return url.toString();
}

/**
 * Carries the contract over `unfold serve`'s WebSocket. Calls made while disconnected wait for
 * the connection; calls in flight when it drops fail with DISCONNECTED (the server may or may
 * not have run them, so they are not retried blindly). It reconnects with backoff.
 */
export function createWebSocketTransport(
  url: string,
  factory: WebSocketFactory,
): WebSocketTransport {
  let socket: WebSocketLike | undefined;
  let nextId = 1;
  let closedByUser = false;
  let attempt = 0;
  let everConnected = false;
  const pending = new Map<number, (response: ResponseEnvelope) => void>();
  const queued: Uint8Array[] = [];
  const listeners = new Set<RawEventListener>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  let resolveReady!: () => void;
  let rejectReady!: (error: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  ready.catch(() => undefined);

  function connect(): void {
    const ws = factory(url);
    socket = ws;
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      attempt = 0;
      everConnected = true;
      resolveReady();
      connectionListeners.forEach((listener) => listener(true));
      for (const frame of queued.splice(0)) ws.send(frame);
    };
    ws.onmessage = (message) => {
      const data = message.data;
      if (!(data instanceof ArrayBuffer) && !(data instanceof Uint8Array)) return;
      const frame = decodeFrame(data) as ServerFrame;
      if (frame.type === 'response') {
        pending.get(frame.id)?.(frame.response);
        pending.delete(frame.id);
      } else if (frame.type === 'event') {
        listeners.forEach((listener) => listener(frame.event, frame.payload));
      }
    };
    ws.onerror = () => undefined;
    ws.onclose = (event) => {
      for (const [id, resolve] of pending) {
        resolve({
          ok: false,
          error: {
            code: 'DISCONNECTED',
            message: 'The connection to Unfold was lost during the call.',
          },
        });
        pending.delete(id);
      }
      if (everConnected) connectionListeners.forEach((listener) => listener(false));
      if (!everConnected) {
        rejectReady(
          new Error(
            `Unfold refused the connection (${event.code}${event.reason ? `: ${event.reason}` : ''}).`,
          ),
        );
      }
      if (closedByUser || !everConnected) return;
      const delay = RECONNECT_DELAYS_MS[Math.min(attempt++, RECONNECT_DELAYS_MS.length - 1)];
      setTimeout(connect, delay);
    };
  }

  connect();

  return {
    kind: 'websocket',
    ready,
    call(channel: RequestChannel, params: unknown) {
      const id = nextId++;
      const frame = encodeFrame({ type: 'request', id, channel, params });
      return new Promise<ResponseEnvelope>((resolve) => {
        pending.set(id, resolve);
        if (socket?.readyState === OPEN) socket.send(frame);
        else queued.push(frame);
      });
    },
    subscribe(listener: RawEventListener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onConnectionChange(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
    close() {
      closedByUser = true;
      socket?.close(1000, 'client closed');
    },
  };
}
