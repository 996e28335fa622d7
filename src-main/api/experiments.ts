/**
 * What the Train and Evaluate views read about experiments. Shapes the domain owns are
 * re-exported from its Node-free modules; the rest mirror the domain's structurally.
 */
import type { ExperimentTaskName } from '../domain/experiments/config/experiment-config';
import type { EvaluationRef } from '../domain/experiments/evaluation-ref';
import type { ExperimentLogEntry, ExperimentRunStatus } from '../domain/experiments/run-status';

export type { EvaluationRef, ExperimentLogEntry, ExperimentRunStatus };
export { evaluationKey, evaluationLabel } from '../domain/experiments/evaluation-ref';

/** A task of the config union (a task added in tests or later may name others: the list shows them as they are). */
export type ExperimentTask = ExperimentTaskName;

/** One row of the experiments list. */
export interface ExperimentListItem {
  name: string;
  task: ExperimentTask;
  corpus: string;
  /** ISO time of the config file (when the experiment was created), null if unknown. */
  created: string | null;
  /** metrics.json as written by training and evaluation (numbers, strings and per-split records). */
  metrics: Record<string, unknown>;
  status: ExperimentRunStatus;
  /** Epochs trained (metrics.json, else the highest epoch logged), null when none is known. */
  epochs: number | null;
  /**
   * True for a bidirectional language model (ELMo-style): the Train view offers it as a
   * tagger's or classifier's contextual embeddings. Absent from older servers: not one.
   */
  bidirectionalLm?: boolean;
}

export interface ExperimentDetail {
  name: string;
  task: ExperimentTask;
  corpus: string;
  created: string | null;
  /** The experiment's config.json, as parsed and validated by the domain. */
  config: Record<string, unknown>;
  log: ExperimentLogEntry[];
  metrics: Record<string, unknown>;
  /** The evaluations on disk: the experiment's own corpus's splits, then other corpora's. */
  evaluations: EvaluationRef[];
}

export interface ConfusionMatrixData {
  labels: string[];
  /** counts[reference][predicted]. */
  counts: number[][];
}

/**
 * One evaluated item of predictions.json, of any task: word predictions have strings, phone
 * predictions arrays, tagged sentences (TaggedSentencePrediction in text.ts) token and tag
 * arrays. Speech items have a speaker and audio, text items neither: a view that needs them
 * narrows first.
 */
export interface EvaluationPrediction {
  utteranceId: string;
  /** Speech tasks: who spoke. */
  speaker?: string;
  /** Speech tasks: the utterance's audio file. */
  audioPath?: string;
  segment?: { start: number; end: number };
  reference: string | string[];
  predicted?: string;
  decoded?: string[];
  probability?: number;
  correct?: boolean;
  frameAccuracy?: number;
  /** Tagging: the sentence's words (reference and decoded hold their gold and predicted tags). */
  tokens?: string[];
  /** Tagging: per word, whether training never saw it. */
  unseen?: boolean[];
  /** Tagging: words tagged wrong. */
  errors?: number;
  [key: string]: unknown;
}

export interface ExperimentEvaluation {
  name: string;
  /** Which evaluation this is (corpus null: the experiment's own). */
  evaluation: EvaluationRef;
  split: string;
  /** The folder of the corpus evaluated on, as recorded; null if unknown. */
  corpus: string | null;
  /** The split's summary from metrics.json (accuracy, frame accuracy, PER, ...), if any. */
  summary: Record<string, unknown> | null;
  confusion: ConfusionMatrixData;
  predictions: EvaluationPrediction[];
}

export interface ExperimentPreset {
  name: string;
  task: ExperimentTask;
  /** The preset's config for the chosen corpus (an ExperimentConfigInput). */
  config: Record<string, unknown>;
}

/** Phones of one articulatory class, for grouping posteriorgram rows (vowels, stops, ...). */
export interface PhoneClassGroup {
  /** Display name: 'vowels', 'stops', 'fricatives', 'nasals', 'silence', ... */
  name: string;
  /** The model's phones of this class, in display order. */
  phones: string[];
}

export interface TierInterval {
  start: number;
  end: number;
  label: string;
}

/** One interval tier, times in seconds from the start of the utterance's audio (its segment). */
export interface TierData {
  name: string;
  intervals: TierInterval[];
}

/** Per-frame phone probabilities of one utterance, with what to align them to. */
export interface Posteriorgram {
  experiment: string;
  /** The corpus utterance, or null for a WAV file from the data folder. */
  utteranceId: string | null;
  /** Data-relative path of the audio (for audio:open and audio:bytes). */
  audioPath: string;
  /** The utterance's part of the file in seconds, or null for the whole file. */
  segment: { start: number; end: number } | null;
  /** The model's output phones, in output order (the columns of `posteriors`). */
  phones: string[];
  phoneClasses: PhoneClassGroup[];
  /** Row-major [frames, phones]. */
  posteriors: Float32Array;
  frames: number;
  /** Seconds between frames, and the centre of frame 0 relative to the segment start. */
  hopSeconds: number;
  frameOffsetSeconds: number;
  /** The corpus's reference tiers (phones, words, ...); empty for a plain WAV. */
  reference: TierData[];
  /** The decoded phone string as a tier (median-smoothed argmax, repeats merged, silence dropped). */
  decoded: TierData;
  /** Against the reference phone tier, on the 39-phone folding where the corpus has one; null without a reference. */
  frameAccuracy: number | null;
}
