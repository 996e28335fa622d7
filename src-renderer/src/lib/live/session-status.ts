/**
 * How the Live view reconciles its own idea of the session with the server's live:status,
 * on opening the view and after a dropped connection (events may have been missed).
 */
import type { LiveStatus } from '@api/live';

export type LiveSessionState = 'idle' | 'starting' | 'running' | 'stopping';

export interface ReconciledStatus {
  state: LiveSessionState;
  /** A session running on the server that this page did not start (or no longer follows). */
  foreign: LiveStatus | null;
  /** Our running session ended while we could not hear about it. */
  lost: boolean;
}

export function reconcileStatus(state: LiveSessionState, status: LiveStatus): ReconciledStatus {
  if (state === 'running' && !status.active) return { state: 'idle', foreign: null, lost: true };
  return {
    state,
    foreign: status.active && state === 'idle' ? status : null,
    lost: false,
  };
}
