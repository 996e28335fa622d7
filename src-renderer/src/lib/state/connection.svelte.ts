import type { ApiClient } from '@api/client-core';
import type { Connection } from '../api/client';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'refused';

/** The state of the API connection, for the status bar and the refusal page. */
export class ConnectionStore {
  status = $state<ConnectionStatus>('connecting');
  /** Why the server refused us, as the transport reported it. */
  refusalDetail = $state<string | null>(null);
  readonly client: ApiClient;
  readonly #connection: Connection;

  constructor(connection: Connection) {
    this.#connection = connection;
    this.client = connection.client;
    connection.ready.then(
      () => {
        this.status = 'connected';
      },
      (error: unknown) => {
        this.status = 'refused';
        this.refusalDetail = error instanceof Error ? error.message : String(error);
      },
    );
    connection.onConnectionChange((connected) => {
      if (this.status === 'refused') return;
      this.status = connected ? 'connected' : 'reconnecting';
    });
  }

  /** Called with true each time the connection comes back after a drop. */
  onReconnect(listener: () => void): () => void {
    return this.#connection.onConnectionChange((connected) => {
      if (connected) listener();
    });
  }
}
