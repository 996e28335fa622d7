/**
 * The two Electron IPC channels that carry the whole contract: one for requests, one for events.
 * Kept free of imports so that the sandboxed preload bundles nothing but these strings.
 */
export const IPC_INVOKE = 'unfold:invoke';
export const IPC_EVENT = 'unfold:event';
