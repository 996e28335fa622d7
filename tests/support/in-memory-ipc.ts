import type { EventSink, IpcMainLike, IpcRendererLike } from '../../src-main/electron/ipc-relay';

type Handler = Parameters<IpcMainLike['handle']>[1];
type Listener = (event: unknown, ...args: unknown[]) => void;

/**
 * Electron's ipcMain/ipcRenderer pair reduced to what Unfold uses, with structured cloning on
 * every crossing as Electron does, so that the relay code runs as it would in the app.
 */
export function createInMemoryIpc(frameUrl: string): {
  ipcMain: IpcMainLike;
  ipcRenderer: IpcRendererLike;
  webContents: EventSink;
} {
  const handlers = new Map<string, Handler>();
  const listeners = new Map<string, Set<Listener>>();
  return {
    ipcMain: {
      handle: (channel, handler) => handlers.set(channel, handler),
      removeHandler: (channel) => handlers.delete(channel),
    },
    ipcRenderer: {
      async invoke(channel, ...args) {
        const handler = handlers.get(channel);
        if (!handler) throw new Error(`No handler registered for '${channel}'`);
        const result = await handler({ senderFrame: { url: frameUrl } }, ...structuredClone(args));
        return structuredClone(result);
      },
      on(channel, listener) {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)?.add(listener);
      },
      removeListener(channel, listener) {
        listeners.get(channel)?.delete(listener);
      },
    },
    webContents: {
      send(channel, ...args) {
        const cloned = structuredClone(args);
        for (const listener of listeners.get(channel) ?? []) listener({}, ...cloned);
      },
    },
  };
}
