import { createApiClient, type ApiClient, type RawTransport } from '@api/client-core';
import type { UnfoldBridge } from '@api/bridge';
import {
  createWebSocketTransport,
  websocketUrl,
  type WebSocketLike,
} from '@api/websocket-transport';

declare global {
  interface Window {
    unfold?: UnfoldBridge;
  }
}

export interface Connection {
  client: ApiClient;
  /** Resolves when the API can be used; rejects when the server refuses us (e.g. a bad token). */
  ready: Promise<void>;
  onConnectionChange(listener: (connected: boolean) => void): () => void;
}

function electronTransport(bridge: UnfoldBridge): RawTransport {
  return {
    kind: 'electron',
    call: (channel, params) => bridge.call(channel, params),
    subscribe: (listener) => bridge.subscribe(listener),
  };
}

/**
 * The renderer's only way to reach main: the Electron preload bridge when there is one,
 * otherwise the WebSocket of `unfold serve` (token taken from the page's URL).
 */
export function connect(): Connection {
  if (window.unfold) {
    return {
      client: createApiClient(electronTransport(window.unfold)),
      ready: Promise.resolve(),
      onConnectionChange: () => () => undefined,
    };
  }
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const transport = createWebSocketTransport(
    websocketUrl(window.location.href, token),
    // The DOM's handler types are wider than the subset the transport uses.
    (url) => new WebSocket(url) as unknown as WebSocketLike,
  );
  return {
    client: createApiClient(transport),
    ready: transport.ready,
    onConnectionChange: (listener) => transport.onConnectionChange(listener),
  };
}
