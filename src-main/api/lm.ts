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

/**
 * The most tokens a biLM's token index holds (whole sentences of the corpus split, in order):
 * a neighbour query is one brute-force pass of cosines over them, well under a second at a
 * biLM's usual sizes, and the index file stays under tokens x size x 4 bytes (200 MB at 1024).
 */
export const MAX_TOKEN_INDEX_TOKENS = 50_000;
/** The most neighbours a polysemy comparison lists per occurrence. */
export const MAX_POLYSEMY_NEIGHBOURS = 20;
/** Words of a neighbour's sentence shown on each side of it. */
export const NEIGHBOUR_CONTEXT_WORDS = 6;

/** What a biLM's token index was built over. */
export interface LmTokenIndexSummary {
  corpus: string;
  split: string;
  tokens: number;
  /** Sentences of the split left out to keep within MAX_TOKEN_INDEX_TOKENS. */
  sentencesLeftOut: number;
}

/** A biLM's token index: what it was built over, or null before it is built. */
export interface LmTokenIndexState {
  experiment: string;
  index: LmTokenIndexSummary | null;
}

/** One token of the index near an occurrence, with a few words of its sentence around it. */
export interface LmNeighbour {
  word: string;
  before: string[];
  after: string[];
  cosine: number;
}

export interface LmPolysemyOccurrence {
  /** The sentence as the biLM read it (its words), and where the word is in it. */
  tokens: string[];
  position: number;
  /** Its nearest tokens of the index (by the mix vector), null when no index is built. */
  neighbours: LmNeighbour[] | null;
}

/** The cosine of the two occurrences' vectors of one layer: 0 is static, the rest contextual. */
export interface LmLayerSimilarity {
  layer: number | 'mix';
  kind: 'static' | 'contextual';
  cosine: number;
}

export interface LmPolysemy {
  experiment: string;
  /** The word compared (as written in the first sentence). */
  word: string;
  /** Every word the sentences share (punctuation left out), for choosing another. */
  sharedWords: string[];
  first: LmPolysemyOccurrence;
  second: LmPolysemyOccurrence;
  /** Layer 0 (static), each recurrent layer, then the mix (their average). */
  similarities: LmLayerSimilarity[];
  index: LmTokenIndexSummary | null;
}
