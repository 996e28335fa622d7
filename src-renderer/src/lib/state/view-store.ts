import { untrack } from 'svelte';

/** A view's store: loaded when the view opens, released when it closes. */
export interface ViewStore {
  load(): Promise<void>;
  dispose(): void;
}

/**
 * The lifetime a view gives its store; call it as `$effect(() => keepViewStore(store, connection))`.
 * Loads the store now and again after every reconnect (to find out what changed while the
 * connection was down), and disposes of it when the view closes.
 */
export function keepViewStore(
  store: ViewStore,
  connection: { onReconnect(listener: () => void): () => void },
): () => void {
  untrack(() => void store.load());
  const stopReconnect = connection.onReconnect(() => void store.load());
  return () => {
    stopReconnect();
    store.dispose();
  };
}
