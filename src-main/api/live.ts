/**
 * What the Live view reads: a recognition session over the microphone with a trained
 * experiment. Word experiments cut each spoken word with the voice-activity detector and
 * classify it; phone experiments stream per-frame phone posteriors with the network's state
 * carried across chunks. The recording itself runs as usual (record:* events carry the level,
 * VAD and live spectrogram), so the Live view draws the spectrogram from record:frames.
 * Like the other API type files this one imports nothing from the domain.
 */
import type { RecordingStarted, RecordingStopped } from './audio';
import type { PhoneClassGroup } from './experiments';

export type LiveMode = 'words' | 'phones';

/** How a word result is shown: a word, the corpus's silence or unknown class, or below the threshold. */
export type LiveWordKind = 'word' | 'silence' | 'unknown' | 'not-sure';

export interface LiveRankedWord {
  label: string;
  probability: number;
}

export interface LiveStarted {
  experiment: string;
  mode: LiveMode;
  /** The model's output classes: words, or phones in output order. */
  labels: string[];
  /** Phones mode: the phone classes for grouping the posteriorgram's rows (in display order). */
  phoneClasses: PhoneClassGroup[];
  /** Words mode: the labels that are the corpus's silence / unknown classes. */
  silenceLabels: string[];
  unknownLabels: string[];
  /** The rejection threshold in use (words mode). */
  threshold: number;
  /** Seconds between posterior columns (the feature hop). */
  hopSeconds: number;
  recording: RecordingStarted;
}

export interface LiveWordPayload {
  /** Increases by one per word in the session. */
  index: number;
  kind: LiveWordKind;
  /** The top label (the word, or the silence/unknown label); 'not sure' below the threshold. */
  label: string;
  probability: number;
  top: LiveRankedWord[];
  startSeconds: number;
  endSeconds: number;
  /** From the end-of-word decision to the result being ready in main. */
  latencyMs: number;
}

export interface LivePosteriorsPayload {
  /** Row-major [frames, labels] for frames startFrame .. startFrame + frames - 1. */
  posteriors: Float32Array;
  frames: number;
  startFrame: number;
  /** From the audio chunk's arrival in main to its posterior columns. */
  latencyMs: number;
  /** Epoch milliseconds when main sent the columns: the client adds its own drawing time. */
  sentAt: number;
  /** The decoded phone string so far (median-smoothed argmax, repeats merged, no silence). */
  decoded: string[];
}

export interface LiveStatus {
  active: boolean;
  experiment: string | null;
  mode: LiveMode | null;
  threshold: number | null;
}

export interface LiveStopped {
  experiment: string;
  mode: LiveMode;
  recording: RecordingStopped;
  /** Words recognised (words mode) or posterior frames produced (phones mode). */
  words: number;
  frames: number;
}
