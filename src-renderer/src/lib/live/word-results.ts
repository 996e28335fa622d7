/**
 * What the Live view's word mode shows: the current result and the history of recognised
 * words, from `live:word` payloads.
 */
import type { LiveRankedWord, LiveWordKind, LiveWordPayload } from '@api/live';

/** Newest first; older entries fall off so a long session stays cheap to render. */
export const MAX_HISTORY = 100;

export interface WordHistoryEntry {
  index: number;
  kind: LiveWordKind;
  /** What the history shows: the word, 'not sure', or the silence / unknown label. */
  text: string;
  /** The best guess behind a 'not sure' (the top word), else the same as text. */
  guess: string;
  probability: number;
  startSeconds: number;
  endSeconds: number;
  latencyMs: number;
}

/** The big line of the current result. */
export function headlineText(payload: Pick<LiveWordPayload, 'kind' | 'label'>): string {
  switch (payload.kind) {
    case 'not-sure':
      return 'not sure';
    case 'silence':
      return 'silence';
    case 'unknown':
      return 'unknown';
    case 'word':
      return payload.label;
  }
}

/** The top words to draw as bars (at most `count`, most probable first). */
export function topBars(top: readonly LiveRankedWord[], count = 3): LiveRankedWord[] {
  return [...top].sort((a, b) => b.probability - a.probability).slice(0, count);
}

/** Adds a result to the history (newest first); a repeated index replaces its entry. */
export function addToHistory(
  history: readonly WordHistoryEntry[],
  payload: LiveWordPayload,
  max = MAX_HISTORY,
): WordHistoryEntry[] {
  const entry: WordHistoryEntry = {
    index: payload.index,
    kind: payload.kind,
    text: headlineText(payload),
    guess: payload.top[0]?.label ?? payload.label,
    probability: payload.probability,
    startSeconds: payload.startSeconds,
    endSeconds: payload.endSeconds,
    latencyMs: payload.latencyMs,
  };
  return [entry, ...history.filter((old) => old.index !== payload.index)]
    .sort((a, b) => b.index - a.index)
    .slice(0, max);
}

/** Seconds into the session as m:ss.cc. */
export function formatSessionTime(seconds: number): string {
  const hundredths = Math.max(0, Math.round(seconds * 100));
  const minutes = Math.floor(hundredths / 6000);
  const rest = (hundredths % 6000) / 100;
  return `${minutes}:${rest.toFixed(2).padStart(5, '0')}`;
}

/** A probability as a whole percentage ("87%"; "<1%" for tiny ones, so 0 never lies). */
export function formatProbability(probability: number): string {
  if (!(probability > 0)) return '0%';
  if (probability < 0.01) return '<1%';
  return `${Math.round(probability * 100)}%`;
}

export function formatLatency(ms: number): string {
  return `${Math.round(ms)} ms`;
}
