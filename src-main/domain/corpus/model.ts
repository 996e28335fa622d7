import type { ConlluSentence } from './formats/conllu';
import type { TextGrid } from './formats/textgrid';
import type { SequencePair } from './formats/pairs';
import type { LabelledText } from './formats/tsv';
import type { CorpusManifest } from './manifest';

/** A WAV file of the corpus, in the working format. */
export interface Recording {
  id: string;
  /** Path relative to the corpus folder, with `/` separators (e.g. `audio/kal-one-0.wav`). */
  path: string;
  /** Seconds, from the file's header; kept in `reco2dur`. */
  duration: number;
}

/** One labelled stretch of speech: a whole recording, or a segment of one. */
export interface Utterance {
  /** Starts with `<speaker>-` (Kaldi convention: sorting by utterance sorts by speaker). */
  id: string;
  recordingId: string;
  speaker: string;
  split: string;
  /** The label (isolated words) or transcript (sentences). */
  text: string;
  /** Seconds within the recording, when the utterance is only a part of it. */
  segment?: { start: number; end: number };
}

export interface SpeechCorpusData {
  kind: 'speech';
  recordings: Recording[];
  utterances: Utterance[];
  /** TextGrids keyed by recording id (`alignments/<recordingId>.TextGrid`). */
  alignments: Map<string, TextGrid>;
}

export type TextSplit =
  | { format: 'conllu'; sentences: ConlluSentence[] }
  | { format: 'tsv'; items: LabelledText[] }
  | { format: 'plain'; lines: string[] }
  | { format: 'pairs'; pairs: SequencePair[] };

export interface TextCorpusData {
  kind: 'text';
  /** Keyed by split name; every split has the manifest's text format. */
  splits: Map<string, TextSplit>;
}

export type CorpusData = SpeechCorpusData | TextCorpusData;

export interface Corpus {
  dir: string;
  manifest: CorpusManifest;
  data: CorpusData;
}

/** Characters allowed in speaker ids: no `-` (the separator) and nothing that sorts below it. */
export function sanitizeSpeakerId(raw: string): string {
  const cleaned = raw.normalize('NFC').replace(/[^\p{L}\p{N}_.]/gu, '_');
  return cleaned === '' ? 'unknown' : cleaned;
}

/** Characters allowed in the rest of an id (after `<speaker>-`): no whitespace or path separators. */
export function sanitizeIdPart(raw: string): string {
  const cleaned = raw.normalize('NFC').replace(/[^\p{L}\p{N}_.-]/gu, '_');
  return cleaned === '' ? 'x' : cleaned;
}

export function utteranceId(speaker: string, rest: string): string {
  return `${speaker}-${sanitizeIdPart(rest)}`;
}
