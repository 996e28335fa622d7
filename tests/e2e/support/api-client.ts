import WebSocket from 'ws';
import { createApiClient, type ApiClient } from '@api/client-core';
import {
  createWebSocketTransport,
  websocketUrl,
  type WebSocketLike,
} from '@api/websocket-transport';

/**
 * The same typed client the renderer uses, from Node: the tests ask the server directly what
 * the UI should be showing, instead of hard-coding it.
 */
export async function connectApi(
  origin: string,
  token: string,
): Promise<{ client: ApiClient; close(): void }> {
  const transport = createWebSocketTransport(
    websocketUrl(origin, token),
    (url) => new WebSocket(url) as unknown as WebSocketLike,
  );
  await transport.ready;
  return { client: createApiClient(transport), close: () => transport.close() };
}
