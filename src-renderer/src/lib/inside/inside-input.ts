/** Which input the Inside view offers for an experiment: a sentence, or speech from the corpus or a WAV; how it names them. */
import type { ExperimentListItem } from '@api/experiments';
import type { RecordingEntry } from '@api/audio';
import type { InsideAxis, InsideLossTarget } from '@api/inside';
import { isTrained, newestFirst } from '../live/experiment-choice';
import { taskView } from '../tasks/task-views';

export type InsideReads = 'text' | 'audio';

/** A speech task's model reads audio; every other task's reads text. */
export function insideReads(task: string): InsideReads {
  return taskView(task)?.train.corpora.kind === 'speech' ? 'audio' : 'text';
}

/** The typed input's field: a sentence, or an encoder-decoder's source (a word for G2P). */
export function typedInputField(task: string): { label: string; placeholder: string } {
  return task === 'seq2seq'
    ? { label: 'Source (a word or a sentence)', placeholder: 'photograph' }
    : { label: 'Sentence', placeholder: 'Type a sentence' };
}

/** Trained experiments, newest first. */
export function insideExperiments(list: readonly ExperimentListItem[]): ExperimentListItem[] {
  return list.filter(isTrained).sort(newestFirst);
}

/** A token as it is shown: a character LM's space (or other white space) as a visible ␣. */
export function tokenText(token: string): string {
  return token !== '' && token.trim() === '' ? '␣' : token;
}

/** What step t of the axis is: its token, or its time in seconds. */
export function stepLabelOf(axis: InsideAxis): (step: number) => string {
  return axis.kind === 'tokens'
    ? (step) => tokenText(axis.tokens[step] ?? '')
    : (step) => `${(step * axis.frameShiftSeconds).toFixed(2)} s`;
}

/** The recordings a speech model can read: the data folder's readable WAVs, newest first. */
export function recordingChoices(entries: readonly RecordingEntry[]): RecordingEntry[] {
  return entries
    .filter((e) => e.durationSeconds !== null)
    .sort((a, b) => b.modifiedMs - a.modifiedMs || a.path.localeCompare(b.path));
}

/** "imports/take.wav (2.4 s)". */
export function recordingChoiceText(entry: RecordingEntry): string {
  return `${entry.path} (${(entry.durationSeconds ?? 0).toFixed(1)} s)`;
}

/**
 * What the loss of the gradient scores, for the gradient panel: "the reference" (a language
 * model's: the typed text's own next units) or "the model's own answer".
 */
export function lossTargetText(target: InsideLossTarget, task = ''): string {
  if (target === 'answer') return 'the model’s own answer';
  return task === 'lm' ? 'the text’s own next units' : 'the reference labels';
}

/**
 * A per-step label string with runs merged ("pau ×3 a ×9 b"), so a reference or answer of
 * hundreds of frames reads as phones.
 */
export function runsText(labels: readonly string[]): string {
  const parts: string[] = [];
  for (let t = 0; t < labels.length;) {
    let end = t + 1;
    while (end < labels.length && labels[end] === labels[t]) end++;
    parts.push(end - t > 1 ? `${labels[t]} ×${end - t}` : (labels[t] as string));
    t = end;
  }
  return parts.join(' ');
}
