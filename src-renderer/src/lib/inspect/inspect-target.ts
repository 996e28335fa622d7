import { evaluationKey, type EvaluationPrediction, type EvaluationRef } from '@api/experiments';

/**
 * What the inspector opens: an utterance of an evaluation (a split of the experiment's corpus or
 * of another corpus), or a WAV file of the data folder.
 */
export type InspectTarget =
  | { kind: 'utterance'; evaluation: EvaluationRef; prediction: EvaluationPrediction }
  | { kind: 'file'; path: string };

/** A stable key for a target (the inspector reloads when it changes). */
export function targetKey(target: InspectTarget): string {
  return target.kind === 'utterance'
    ? `utterance:${evaluationKey(target.evaluation)}:${target.prediction.utteranceId}`
    : `file:${target.path}`;
}

/** The heading for a target: the utterance id, or the file's name. */
export function targetTitle(target: InspectTarget): string {
  return target.kind === 'utterance'
    ? target.prediction.utteranceId
    : (target.path.split('/').pop() ?? target.path);
}

/** The audio a target plays: the file, or the utterance's audio; null for an item without audio (text). */
export function targetAudioPath(target: InspectTarget): string | null {
  return target.kind === 'utterance' ? (target.prediction.audioPath ?? null) : target.path;
}
