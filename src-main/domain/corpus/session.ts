import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { resampleMono } from '../audio/resample';
import type { MonoAudio } from '../audio/wav';
import { encodeWav } from '../audio/wav';
import { UnfoldError } from '../errors';
import { writeFileAtomically } from '../fs/atomic-write';
import type { CorpusEdit } from './edits';
import { conlluWords } from './formats/conllu';
import { applyEditToData } from './edits';
import type { CorpusManifest } from './manifest';
import { MANIFEST_FILE, WORKING_AUDIO } from './manifest';
import type { Corpus, CorpusData, Recording, SpeechCorpusData, Utterance } from './model';
import { sanitizeSpeakerId, utteranceId } from './model';
import type { CorpusStats } from './stats';
import { corpusStats } from './stats';
import { commitCorpusChange, isCommitPending, withCorpusLock } from './store/commit';
import {
  AUDIO_DIR,
  JOURNAL_FILE,
  STATE_DIR,
  audioPath,
  isGeneratedCorpusFile,
} from './store/layout';
import { readCorpus } from './store/read-corpus';
import { serializeCorpus } from './store/serialize';

export type { CorpusEdit } from './edits';
export type { CorpusStats } from './stats';
export { corpusStats } from './stats';

interface JournalEntry {
  edit: CorpusEdit;
  before: { manifest: CorpusManifest; data: CorpusData };
  after: { manifest: CorpusManifest; data: CorpusData };
}

export interface UtteranceFilter {
  /** Substring of the id or text, case-insensitive. */
  search?: string;
  label?: string;
  speaker?: string;
  split?: string;
  minDuration?: number;
  maxDuration?: number;
  hasAlignment?: boolean;
}

export interface SentenceRow {
  split: string;
  /** Position in its split, as `set-token-tag` edits address it. */
  index: number;
  text: string;
  /** CoNLL-U: the syntactic words with their UPOS (the chips of the sentence browser). */
  words?: { form: string; upos: string }[];
  /** TSV: the sentence's class. */
  label?: string;
}

export interface UtteranceRow extends Utterance {
  duration: number;
  audioPath: string;
  hasAlignment: boolean;
  /** The names of the recording's TextGrid tiers (e.g. words, phones); empty when unaligned. */
  alignedTiers: string[];
}

/**
 * An open corpus in the label editor: reads, filters and pages utterances, applies edits as
 * atomic commits with undo/redo, and refuses to overwrite changes made by another window
 * or process (CORPUS_CHANGED; reload with `CorpusSession.open` again).
 */
export class CorpusSession {
  private undoStack: JournalEntry[] = [];
  private recordingIndex: { data: SpeechCorpusData; byId: Map<string, Recording> } | null = null;
  private redoStack: JournalEntry[] = [];

  private constructor(
    readonly dir: string,
    private manifestState: CorpusManifest,
    private dataState: CorpusData,
    private files: Map<string, string>,
    private readonly now: () => Date,
  ) {}

  static async open(dir: string, options: { now?: () => Date } = {}): Promise<CorpusSession> {
    const corpus: Corpus = await readCorpus(dir);
    return new CorpusSession(
      dir,
      corpus.manifest,
      corpus.data,
      serializeCorpus(corpus.manifest, corpus.data),
      options.now ?? (() => new Date()),
    );
  }

  get manifest(): CorpusManifest {
    return this.manifestState;
  }

  get data(): CorpusData {
    return this.dataState;
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  private speech(): SpeechCorpusData {
    if (this.dataState.kind !== 'speech')
      throw new UnfoldError('BAD_EDIT', 'this is a text corpus');
    return this.dataState;
  }

  /**
   * One page of the utterances matching `filter`, in id order, and how many match in all.
   * Rows are built only for the page: a 100,000-row table pages in milliseconds.
   */
  listUtterances(
    filter: UtteranceFilter = {},
    page: { offset?: number; limit?: number } = {},
  ): { total: number; rows: UtteranceRow[] } {
    const data = this.speech();
    if (this.recordingIndex?.data !== data) {
      this.recordingIndex = { data, byId: new Map(data.recordings.map((r) => [r.id, r])) };
    }
    const recordings = this.recordingIndex.byId;
    const search = filter.search?.toLowerCase();
    const offset = page.offset ?? 0;
    const end = offset + (page.limit ?? Number.POSITIVE_INFINITY);
    const rows: UtteranceRow[] = [];
    let total = 0;
    for (const u of data.utterances) {
      const recording = recordings.get(u.recordingId);
      const duration = u.segment ? u.segment.end - u.segment.start : (recording?.duration ?? 0);
      const alignment = data.alignments.get(u.recordingId);
      const hasAlignment = alignment !== undefined;
      if (search && !u.id.toLowerCase().includes(search) && !u.text.toLowerCase().includes(search))
        continue;
      if (filter.label !== undefined && u.text !== filter.label) continue;
      if (filter.speaker !== undefined && u.speaker !== filter.speaker) continue;
      if (filter.split !== undefined && u.split !== filter.split) continue;
      if (filter.minDuration !== undefined && duration < filter.minDuration) continue;
      if (filter.maxDuration !== undefined && duration > filter.maxDuration) continue;
      if (filter.hasAlignment !== undefined && hasAlignment !== filter.hasAlignment) continue;
      if (total >= offset && total < end) {
        rows.push({
          ...u,
          duration,
          audioPath: join(this.dir, recording?.path ?? ''),
          hasAlignment,
          alignedTiers: alignment?.tiers.map((tier) => tier.name) ?? [],
        });
      }
      total++;
    }
    return { total, rows };
  }

  /**
   * Saves a recorded take (any rate; converted to the working format) as a new utterance:
   * the WAV is written atomically first, then the utterance is committed as one undoable
   * edit. Returns the new utterance.
   */
  async addRecording(take: {
    audio: MonoAudio;
    speaker: string;
    text: string;
    split?: string;
    name?: string;
  }): Promise<Utterance> {
    const data = this.speech();
    const speaker = sanitizeSpeakerId(take.speaker);
    const text = take.text.replace(/\s+/g, ' ').trim();
    if (text === '')
      throw new UnfoldError('BAD_EDIT', 'The take has no label; type what was said first.');
    const base = utteranceId(
      speaker,
      take.name ?? `${text}_${this.now().toISOString().replace(/[-:.]/g, '')}`,
    );
    let id = base;
    for (
      let n = 2;
      data.recordings.some((r) => r.id === id) || data.utterances.some((u) => u.id === id);
      n++
    )
      id = `${base}_${n}`;
    const samples =
      take.audio.sampleRate === WORKING_AUDIO.sampleRate
        ? take.audio.samples
        : await resampleMono(take.audio.samples, take.audio.sampleRate, WORKING_AUDIO.sampleRate);
    if (samples.length === 0) throw new UnfoldError('AUDIO_EMPTY', 'The take holds no audio.');
    const path = audioPath(id);
    await mkdir(join(this.dir, AUDIO_DIR), { recursive: true });
    // Under the lock: an opener that cleans stray temp files never sees this one half-written.
    await withCorpusLock(this.dir, () =>
      writeFileAtomically(
        join(this.dir, path),
        encodeWav({ sampleRate: WORKING_AUDIO.sampleRate, samples }, { bitDepth: 16 }),
      ),
    );
    const utterance: Utterance = {
      id,
      recordingId: id,
      speaker,
      split: take.split ?? this.manifestState.splits[0] ?? 'train',
      text,
    };
    await this.apply({
      type: 'add-recording',
      recording: { id, path, duration: samples.length / WORKING_AUDIO.sampleRate },
      utterance,
    });
    return utterance;
  }

  /**
   * One page of a text corpus's sentences for the sentence browser: tagged words (CoNLL-U),
   * or the label (TSV). `tag` keeps sentences with a word of that UPOS; `label` a TSV class.
   */
  listSentences(
    filter: { split?: string; search?: string; tag?: string; label?: string } = {},
    page: { offset?: number; limit?: number } = {},
  ): { total: number; rows: SentenceRow[] } {
    if (this.dataState.kind !== 'text')
      throw new UnfoldError('BAD_EDIT', 'this is a speech corpus');
    const search = filter.search?.toLowerCase();
    const offset = page.offset ?? 0;
    const end = offset + (page.limit ?? Number.POSITIVE_INFINITY);
    const rows: SentenceRow[] = [];
    let total = 0;
    const consider = (row: () => SentenceRow, text: string, keep: boolean): void => {
      if (!keep || (search && !text.toLowerCase().includes(search))) return;
      if (total >= offset && total < end) rows.push(row());
      total++;
    };
    for (const [split, content] of this.dataState.splits) {
      if (filter.split !== undefined && split !== filter.split) continue;
      if (content.format === 'conllu') {
        content.sentences.forEach((sentence, index) => {
          const words = conlluWords(sentence);
          const text =
            sentence.comments.find((c) => c.startsWith('text = '))?.slice(7) ??
            words.map((w) => w.form).join(' ');
          const keep = filter.tag === undefined || words.some((w) => w.upos === filter.tag);
          consider(
            () => ({
              split,
              index,
              text,
              words: words.map((w) => ({ form: w.form, upos: w.upos })),
            }),
            text,
            keep,
          );
        });
      } else if (content.format === 'tsv') {
        content.items.forEach((item, index) => {
          consider(
            () => ({ split, index, text: item.text, label: item.label }),
            item.text,
            filter.label === undefined || item.label === filter.label,
          );
        });
      } else if (content.format === 'pairs') {
        content.pairs.forEach((pair, index) => {
          const text = `${pair.source}\t${pair.target}`;
          consider(() => ({ split, index, text }), text, true);
        });
      } else {
        content.lines.forEach((text, index) =>
          consider(() => ({ split, index, text }), text, true),
        );
      }
    }
    return { total, rows };
  }

  stats(): CorpusStats {
    return corpusStats(this.dataState);
  }

  async apply(edit: CorpusEdit): Promise<void> {
    const before = { manifest: this.manifestState, data: this.dataState };
    const after = applyEditToData(this.manifestState, this.dataState, edit);
    const record = (): void => {
      this.undoStack.push({
        edit,
        before,
        after: { manifest: this.manifestState, data: this.dataState },
      });
      this.redoStack = [];
    };
    try {
      await this.commit(after.manifest, after.data, `apply ${edit.type}`);
    } catch (error) {
      // A decided commit is the new state even though it was not written everywhere yet.
      if (isCommitPending(error)) record();
      throw error;
    }
    record();
  }

  async undo(): Promise<boolean> {
    const entry = this.undoStack.pop();
    if (!entry) return false;
    try {
      await this.commit(entry.before.manifest, entry.before.data, `undo ${entry.edit.type}`);
    } catch (error) {
      (isCommitPending(error) ? this.redoStack : this.undoStack).push(entry);
      throw error;
    }
    this.redoStack.push(entry);
    return true;
  }

  async redo(): Promise<boolean> {
    const entry = this.redoStack.pop();
    if (!entry) return false;
    try {
      await this.commit(entry.after.manifest, entry.after.data, `redo ${entry.edit.type}`);
    } catch (error) {
      (isCommitPending(error) ? this.undoStack : this.redoStack).push(entry);
      throw error;
    }
    this.undoStack.push(entry);
    return true;
  }

  /** Writes the files that differ from what is on disk, as one crash-safe commit. */
  private async commit(
    manifest: CorpusManifest,
    data: CorpusData,
    description: string,
  ): Promise<void> {
    const expected = this.manifestState.revision;
    const nextManifest: CorpusManifest = {
      ...manifest,
      revision: expected + 1,
      modified: this.now().toISOString(),
    };
    const files = serializeCorpus(nextManifest, data);
    const writes = new Map<string, string>();
    for (const [path, content] of files)
      if (this.files.get(path) !== content) writes.set(path, content);
    const deletes = [...this.files.keys()].filter(
      (path) => !files.has(path) && isGeneratedCorpusFile(path),
    );
    writes.set(MANIFEST_FILE, files.get(MANIFEST_FILE) as string);
    const adopt = (): void => {
      this.manifestState = nextManifest;
      this.dataState = data;
      this.files = files;
    };
    try {
      await commitCorpusChange(this.dir, { writes, deletes }, expected);
    } catch (error) {
      // Decided but not yet written everywhere: the session shows what the corpus will be.
      if (isCommitPending(error)) adopt();
      throw error;
    }
    adopt();
    // The journal is an audit trail (what changed when); undo/redo state lives in memory.
    await mkdir(join(this.dir, STATE_DIR), { recursive: true });
    await appendFile(
      join(this.dir, JOURNAL_FILE),
      JSON.stringify({ at: nextManifest.modified, revision: nextManifest.revision, description }) +
        '\n',
    );
  }
}
