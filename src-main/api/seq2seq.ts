/**
 * What the Text view's sequence-to-sequence mode shows: a typed text as the model's source
 * units, its beam's n-best outputs with their scores, and (models with attention) where each
 * output step looked in the source. Plain types, shared by main and the renderer.
 */
import type { DecoderAttention } from '../domain/rnn/model-config';

export { MAX_BEAM } from '../domain/experiments/config/seq2seq-config';

/**
 * The longest text a client may send to be translated at once: a sentence, not an article (the
 * output limit, and so the decoding time, grows with the source).
 */
export const MAX_SEQ2SEQ_TEXT_LENGTH = 1_000;

/** Attention weights as a row-major matrix: one row per output step, one column per source unit. */
export interface AttentionMatrix {
  /** rows x cols weights, each row summing to 1. */
  data: Float32Array;
  /** Output steps: each output unit, then the end symbol when the output ended. */
  rows: number;
  /** Source units. */
  cols: number;
}

export interface TranslationHypothesis {
  /** The output's units (tokens or characters, as the corpus's target side is cut). */
  units: string[];
  /** The output as text. */
  text: string;
  /** Total log-probability (natural log), the end symbol's included when it ended. */
  logProb: number;
  /** The ranking score: logProb / length^alpha (the experiment's length normalisation). */
  score: number;
  /** False when it stopped at the output limit without an end symbol. */
  finished: boolean;
  /** Models with attention: where each output step looked; null without attention. */
  attention: AttentionMatrix | null;
}

export interface Seq2seqTranslation {
  experiment: string;
  text: string;
  /** The source as the model split it (tokens or characters). */
  sourceUnits: string[];
  /** The beam used (1: greedy). */
  beam: number;
  /** The experiment's own beam (its config's decoding.beam). */
  defaultBeam: number;
  /** 'none': a final-state encoder-decoder, whose outputs have no attention to show. */
  attention: DecoderAttention;
  /** Best first. */
  nBest: TranslationHypothesis[];
  /** Source units training never saw (read as the unknown symbol). */
  unknownUnits: string[];
  /** Longer than every training source. */
  longerThanTraining: boolean;
}
