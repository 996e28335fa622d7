/**
 * The pure part of a prompted recording session: the prompt list, where the session is, and
 * what the keys do in each state (space records/stops/plays, enter accepts, backspace redoes).
 */
export type SessionPhase = 'ready' | 'recording' | 'review' | 'saving' | 'done';

export type SessionAction = 'record' | 'stop' | 'play' | 'accept' | 'redo' | null;

export function parsePrompts(text: string): string[] {
  return text
    .split(/\r?\n|,/)
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

export function keyAction(phase: SessionPhase, key: string): SessionAction {
  if (key === ' ') {
    if (phase === 'ready') return 'record';
    if (phase === 'recording') return 'stop';
    if (phase === 'review') return 'play';
  }
  if (phase === 'review' && key === 'Enter') return 'accept';
  if (phase === 'review' && key === 'Backspace') return 'redo';
  return null;
}

/** The stretch to keep: the detected speech, else the whole take. */
export function speechSpan(
  vad: { start: number | null; end: number | null },
  duration: number,
): { start: number; end: number } | null {
  if (vad.start === null) return null;
  const end = vad.end !== null && vad.end > vad.start ? vad.end : duration;
  return { start: vad.start, end: Math.min(end, duration) };
}
