/**
 * The names that carry the whole contract on each transport: two Electron IPC channels (one for
 * requests, one for events) and the WebSocket path of `unfold serve`. Kept free of imports so
 * that the sandboxed preload and the browser client bundle nothing but these strings.
 */
export const IPC_INVOKE = 'unfold:invoke';
export const IPC_EVENT = 'unfold:event';
export const WEBSOCKET_PATH = '/api';
