import { MANIFEST_FILE } from '../manifest';

/** Where each part of a corpus lives, relative to its folder (see FORMAT.md). */
export const AUDIO_DIR = 'audio';
export const ALIGNMENTS_DIR = 'alignments';
export const DATA_DIR = 'data';
export const TEXT_DIR = 'text';
/** Bookkeeping that is not part of the corpus: lock, pending commit, edit journal. */
export const STATE_DIR = '.unfold';
export const PENDING_COMMIT_FILE = `${STATE_DIR}/pending-commit.json`;
export const JOURNAL_FILE = `${STATE_DIR}/journal.jsonl`;
/** The last validation of a corpus, read by the corpus list to show its validity. */
export const VALIDATION_FILE = `${STATE_DIR}/validation.json`;

export const KALDI_FILES = [
  'wav.scp',
  'text',
  'utt2spk',
  'spk2utt',
  'segments',
  'reco2dur',
] as const;

export function splitDataDir(split: string): string {
  return `${DATA_DIR}/${split}`;
}

export function alignmentPath(recordingId: string): string {
  return `${ALIGNMENTS_DIR}/${recordingId}.TextGrid`;
}

export function audioPath(recordingId: string): string {
  return `${AUDIO_DIR}/${recordingId}.wav`;
}

export const TEXT_EXTENSIONS = {
  conllu: 'conllu',
  tsv: 'tsv',
  plain: 'txt',
  pairs: 'pairs.tsv',
} as const;

export function textSplitPath(split: string, format: keyof typeof TEXT_EXTENSIONS): string {
  return `${TEXT_DIR}/${split}.${TEXT_EXTENSIONS[format]}`;
}

/** Paths a commit may delete: the corpus's own generated files, never audio or user files. */
export function isGeneratedCorpusFile(path: string): boolean {
  return /^(data\/[^/]+\/(wav\.scp|text|utt2spk|spk2utt|segments|reco2dur)|alignments\/[^/]+\.TextGrid|text\/[^/]+\.(conllu|tsv|txt))$/.test(
    path,
  );
}

/**
 * Files that Unfold replaces atomically (a temporary file beside them, then a rename) while
 * holding the corpus lock: the generated files, the manifest, the audio, and the bookkeeping.
 */
export function isAtomicallyWrittenCorpusFile(path: string): boolean {
  return (
    isGeneratedCorpusFile(path) ||
    path === MANIFEST_FILE ||
    path === PENDING_COMMIT_FILE ||
    path === VALIDATION_FILE ||
    /^audio\/[^/]+\.wav$/.test(path)
  );
}
