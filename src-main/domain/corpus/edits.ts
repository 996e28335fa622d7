import { UnfoldError } from '../errors';
import type { ConlluSentence } from './formats/conllu';
import { conlluWords } from './formats/conllu';
import { UPOS_TAG_NAMES } from './formats/upos-tags';
import type { TextGrid } from './formats/textgrid';
import { MAX_LABEL_LENGTH, MAX_TEXT_LENGTH } from './formats/tsv';
import { compareCodePoints } from './formats/utf8';
import { labelSetOf } from './import/speech-import';
import type { CorpusManifest } from './manifest';
import type { CorpusData, Recording, TextCorpusData, Utterance } from './model';
import { sanitizeSpeakerId } from './model';

/** Every change the label editor can make; each is one undoable step. */
export type CorpusEdit =
  | {
      type: 'set-utterance';
      id: string;
      changes: { text?: string; speaker?: string; split?: string };
    }
  | { type: 'set-alignment'; recordingId: string; grid: TextGrid | null }
  | { type: 'set-token-tag'; split: string; sentence: number; word: number; upos: string }
  | {
      type: 'set-splits';
      assignments: Record<string, string>;
      method: NonNullable<CorpusManifest['split']>;
    }
  /** A take recorded in a prompted session; its WAV is already written in `audio/`. */
  | { type: 'add-recording'; recording: Recording; utterance: Utterance }
  /** Removes an utterance (and its recording when nothing else uses it); the WAV stays on disk. */
  | { type: 'remove-utterance'; id: string };

/** Applies one edit to an in-memory corpus without mutating it; throws BAD_EDIT when it cannot. */
export function applyEditToData(
  manifest: CorpusManifest,
  data: CorpusData,
  edit: CorpusEdit,
): { manifest: CorpusManifest; data: CorpusData } {
  if (edit.type === 'set-token-tag') return applyTagEdit(manifest, data, edit);
  if (data.kind !== 'speech')
    throw new UnfoldError('BAD_EDIT', `${edit.type} applies to speech corpora only`);
  if (edit.type === 'set-alignment') {
    if (!data.recordings.some((r) => r.id === edit.recordingId))
      throw new UnfoldError('BAD_EDIT', `no recording ${edit.recordingId}`);
    const alignments = new Map(data.alignments);
    if (edit.grid) alignments.set(edit.recordingId, edit.grid);
    else alignments.delete(edit.recordingId);
    return { manifest, data: { ...data, alignments } };
  }
  if (edit.type === 'add-recording') {
    if (
      data.recordings.some((r) => r.id === edit.recording.id) ||
      data.utterances.some((u) => u.id === edit.utterance.id)
    ) {
      throw new UnfoldError('BAD_EDIT', `${edit.utterance.id} already exists`);
    }
    const utterances = [...data.utterances, edit.utterance].sort((a, b) =>
      compareCodePoints(a.id, b.id),
    );
    const recordings = [...data.recordings, edit.recording].sort((a, b) =>
      compareCodePoints(a.id, b.id),
    );
    return {
      manifest: withDerivedLists(manifest, utterances),
      data: { ...data, recordings, utterances },
    };
  }
  if (edit.type === 'remove-utterance') {
    const removed = data.utterances.find((u) => u.id === edit.id);
    if (!removed) throw new UnfoldError('BAD_EDIT', `no utterance ${edit.id}`);
    const utterances = data.utterances.filter((u) => u !== removed);
    const stillUsed = utterances.some((u) => u.recordingId === removed.recordingId);
    const recordings = stillUsed
      ? data.recordings
      : data.recordings.filter((r) => r.id !== removed.recordingId);
    const alignments = new Map(data.alignments);
    if (!stillUsed) alignments.delete(removed.recordingId);
    return {
      manifest: withDerivedLists(manifest, utterances),
      data: { ...data, recordings, utterances, alignments },
    };
  }
  if (edit.type === 'set-splits') {
    const utterances = data.utterances.map((u) => {
      const split = edit.assignments[u.id];
      return split === undefined || split === u.split ? u : { ...u, split };
    });
    const splits = [...new Set(utterances.map((u) => u.split))].sort(compareCodePoints);
    return { manifest: { ...manifest, splits, split: edit.method }, data: { ...data, utterances } };
  }
  const index = data.utterances.findIndex((u) => u.id === edit.id);
  const current = data.utterances[index];
  if (!current) throw new UnfoldError('BAD_EDIT', `no utterance ${edit.id}`);
  const next: Utterance = { ...current };
  if (edit.changes.text !== undefined) {
    next.text = edit.changes.text.replace(/\s+/g, ' ').trim();
    if (next.text === '')
      throw new UnfoldError(
        'BAD_EDIT',
        'The label is empty; type a label (a silence class has a name such as _silence_).',
      );
    const limit = manifest.tasks.includes('word-classification')
      ? MAX_LABEL_LENGTH
      : MAX_TEXT_LENGTH;
    if (next.text.length > limit) {
      throw new UnfoldError(
        'BAD_EDIT',
        `The label is ${next.text.length} characters long; at most ${limit} are allowed.`,
      );
    }
  }
  if (edit.changes.split !== undefined) {
    if (!/^[A-Za-z0-9_.]+$/.test(edit.changes.split))
      throw new UnfoldError(
        'BAD_EDIT',
        `"${edit.changes.split}" is not a split name (letters, digits, _ and .)`,
      );
    next.split = edit.changes.split;
  }
  if (edit.changes.speaker !== undefined) {
    const speaker = sanitizeSpeakerId(edit.changes.speaker);
    // Kaldi ids start with the speaker id, so a new speaker means a new utterance id.
    next.id = `${speaker}-${current.id.slice(current.speaker.length + 1)}`;
    next.speaker = speaker;
    if (next.id !== current.id && data.utterances.some((u) => u.id === next.id)) {
      throw new UnfoldError('BAD_EDIT', `utterance ${next.id} already exists`);
    }
  }
  const utterances = [...data.utterances];
  utterances[index] = next;
  // Utterances stay in id order (the order of the Kaldi files and of the table).
  if (next.id !== current.id) utterances.sort((a, b) => compareCodePoints(a.id, b.id));
  const splits = [...new Set([...manifest.splits, next.split])]
    .filter((s) => s === next.split || utterances.some((u) => u.split === s))
    .sort(compareCodePoints);
  const labels = manifest.tasks.includes('word-classification')
    ? labelSetOf(utterances)
    : manifest.labels;
  return { manifest: { ...manifest, splits, labels }, data: { ...data, utterances } };
}

/** Splits and (for isolated words) labels follow the utterances; a corpus keeps one split. */
function withDerivedLists(
  manifest: CorpusManifest,
  utterances: readonly Utterance[],
): CorpusManifest {
  const splits = [...new Set(utterances.map((u) => u.split))].sort(compareCodePoints);
  const labels = manifest.tasks.includes('word-classification')
    ? labelSetOf(utterances)
    : manifest.labels;
  return { ...manifest, splits: splits.length > 0 ? splits : manifest.splits.slice(0, 1), labels };
}

function applyTagEdit(
  manifest: CorpusManifest,
  data: CorpusData,
  edit: Extract<CorpusEdit, { type: 'set-token-tag' }>,
): { manifest: CorpusManifest; data: TextCorpusData } {
  if (data.kind !== 'text') throw new UnfoldError('BAD_EDIT', 'tags belong to text corpora');
  const split = data.splits.get(edit.split);
  if (split?.format !== 'conllu')
    throw new UnfoldError('BAD_EDIT', `split ${edit.split} has no tagged sentences`);
  if (!(UPOS_TAG_NAMES as readonly string[]).includes(edit.upos))
    throw new UnfoldError('BAD_EDIT', `${edit.upos} is not a Universal POS tag`);
  const sentence = split.sentences[edit.sentence];
  const word = sentence ? conlluWords(sentence)[edit.word] : undefined;
  if (!sentence || !word)
    throw new UnfoldError('BAD_EDIT', `no word ${edit.word} in sentence ${edit.sentence}`);
  const updated: ConlluSentence = {
    ...sentence,
    tokens: sentence.tokens.map((t) => (t === word ? { ...t, upos: edit.upos } : t)),
  };
  const sentences = [...split.sentences];
  sentences[edit.sentence] = updated;
  const splits = new Map(data.splits);
  splits.set(edit.split, { format: 'conllu', sentences });
  const labels = [...new Set([...manifest.labels, edit.upos])].sort(compareCodePoints);
  return { manifest: { ...manifest, labels }, data: { ...data, splits } };
}
