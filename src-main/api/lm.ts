/**
 * What the Text view's language-model mode reads: a typed text scored unit by unit with the
 * most probable next units after it, and text generated unit by unit, streamed as lm:unit
 * events while it is sampled. Plain types, shared by main and the renderer (no domain imports).
 */
import type { ApiErrorData } from './errors';

/** The longest text a client may send to be read or continued at once. */
export const MAX_LM_TEXT_LENGTH = 2_000;
/** The most units one generation may ask for. */
export const MAX_GENERATED_UNITS = 1_000;
/** The most next units a reading may list. */
export const MAX_NEXT_UNITS = 50;

export type LmTextLevel = 'word' | 'char';

export interface LmReadUnit {
  /** The unit as the model read it (a word, or a character). */
  text: string;
  /** Its probability given the text before it, from the start of a sentence. */
  probability: number;
  /** Surprisal in bits: -log2 of the probability. */
  surprisal: number;
  /** Outside the vocabulary: read (and scored) as the unknown unit. */
  unknown: boolean;
}

export interface LmNextUnit {
  /** A word or character; `</s>` is the end of the sentence, `<unk>` the unknown unit. */
  text: string;
  probability: number;
}

export interface LmReading {
  experiment: string;
  text: string;
  level: LmTextLevel;
  /** The units of the model's vocabulary it can predict (padding left out). */
  vocabularySize: number;
  units: LmReadUnit[];
  /** The most probable next units after the text, most probable first. */
  next: LmNextUnit[];
}

export interface LmGenerationStarted {
  /** The id the client chose; every lm:unit and lm:generated event of it carries it. */
  id: string;
  experiment: string;
  level: LmTextLevel;
  /** The prompt's units as the model reads them (unknown ones as `<unk>`). */
  promptUnits: string[];
  unknownPromptUnits: string[];
  /** What was adjusted (a top-k above the vocabulary). */
  notes: string[];
}

export interface LmUnitPayload {
  id: string;
  /** 0 for the first generated unit. */
  index: number;
  /** The unit's text; `</s>` ends a sentence. */
  text: string;
  /** The model's probability of it (before temperature, top-k and top-p). */
  probability: number;
}

export type LmGenerationEnd = 'finished' | 'stopped' | 'failed';

export interface LmGeneratedPayload {
  id: string;
  end: LmGenerationEnd;
  /** Units generated. */
  units: number;
  error: ApiErrorData | null;
}

export interface LmGenerationStopped {
  id: string;
  /** Whether the generation was still running (false: it had ended, or is unknown). */
  stopped: boolean;
}
