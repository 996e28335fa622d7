import type { UnfoldBridge } from '../api/bridge';
import type { EventChannel, RequestChannel } from '../api/contract';
import type { ResponseEnvelope } from '../api/envelope';
import { IPC_EVENT, IPC_INVOKE } from '../api/transport-names';
import type { UnfoldApp } from '../server/unfold-app';

/**
 * The two halves of the Electron transport, written against the minimal shapes of ipcMain and
 * ipcRenderer they use, so that they run (and are tested) without Electron itself.
 */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown,
  ): void;
  removeHandler(channel: string): void;
}

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export interface EventSink {
  send(channel: string, ...args: unknown[]): void;
}

/** Main side: every request goes through the app's dispatcher, which validates it. */
export function registerIpcRelay(
  ipcMain: IpcMainLike,
  app: UnfoldApp,
  isTrustedSender: (url: string) => boolean,
  eventSinks: () => EventSink[],
): () => void {
  ipcMain.handle(IPC_INVOKE, (event, channel, params): Promise<ResponseEnvelope> => {
    const url = event.senderFrame?.url ?? '';
    if (!isTrustedSender(url)) {
      return Promise.resolve({
        ok: false,
        error: {
          code: 'FORBIDDEN',
          message: `Calls from ${url || 'an unknown frame'} are not accepted.`,
        },
      });
    }
    return app.dispatch(channel, params);
  });
  const unsubscribe = app.events.subscribe((name, payload) => {
    for (const sink of eventSinks()) sink.send(IPC_EVENT, name, payload);
  });
  return () => {
    ipcMain.removeHandler(IPC_INVOKE);
    unsubscribe();
  };
}

/** Preload side: the one object the renderer gets; it exposes calls, never ipcRenderer. */
export function createPreloadBridge(ipcRenderer: IpcRendererLike): UnfoldBridge {
  return {
    call: (channel: RequestChannel, params: unknown) =>
      ipcRenderer.invoke(IPC_INVOKE, channel, params) as Promise<ResponseEnvelope>,
    subscribe(listener: (event: EventChannel, payload: unknown) => void) {
      const handler = (_event: unknown, ...args: unknown[]): void =>
        listener(args[0] as EventChannel, args[1]);
      ipcRenderer.on(IPC_EVENT, handler);
      return () => {
        ipcRenderer.removeListener(IPC_EVENT, handler);
      };
    },
  };
}
