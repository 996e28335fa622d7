import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { throwIfAborted, toErrorData } from '../../errors';
import { convertToWorkingFormat } from './audio-convert';
import type { LongOperationOptions } from '../../jobs/progress';
import type { TextGrid } from '../formats/textgrid';
import { MAX_LABEL_LENGTH } from '../formats/tsv';
import { compareCodePoints } from '../formats/utf8';
import type { CorpusManifest, SplitMethod } from '../manifest';
import { WORKING_AUDIO, newManifest } from '../manifest';
import type { Corpus, Recording, SpeechCorpusData, Utterance } from '../model';
import { sanitizeIdPart, sanitizeSpeakerId, utteranceId } from '../model';
import { AUDIO_DIR, audioPath } from '../store/layout';
import { createCorpusAtomically } from '../store/create-corpus';
import { writeStagedFile } from '../store/durable-files';

/** One source recording as an importer found it, before any audio is converted. */
export interface RecordingSource {
  /** Keep this recording id (Kaldi import) when it is a valid id starting with `<speaker>-`. */
  id?: string;
  /** Absolute path of the original audio file (never modified). */
  sourcePath: string;
  speaker: string;
  /** Suffix of the recording id after `<speaker>-` (e.g. `seven_3`). */
  name: string;
  split: string;
  utterances: {
    text: string;
    id?: string;
    speaker?: string;
    name?: string;
    segment?: { start: number; end: number };
  }[];
  alignment?: TextGrid;
}

export interface SkippedFile {
  path: string;
  code: string;
  reason: string;
}

export interface SpeechImportOptions extends LongOperationOptions {
  name: string;
  format: string;
  sourcePath: string;
  pattern?: string;
  split?: SplitMethod;
  /** Stop at the first unreadable audio file instead of skipping and reporting it. */
  strict?: boolean;
  /** Set NaN/infinite samples to 0 (reported in `repaired`) instead of refusing the file. */
  repairNonFinite?: boolean;
  phoneSet?: string | null;
  /** Extra files to keep with the data (e.g. the phone folding table), relative path -> content. */
  extraFiles?: Map<string, string>;
  /** Synthesised sentences: the words a G2P model pronounced (kept in the manifest). */
  g2p?: CorpusManifest['g2p'];
}

/** A source file whose non-finite samples were set to 0 on request. */
export interface RepairedFile {
  path: string;
  nonFiniteSamples: number;
}

export interface ImportReport {
  corpus: Corpus;
  skipped: SkippedFile[];
  repaired: RepairedFile[];
}

function uniqueId(base: string, taken: Set<string>): string {
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
  taken.add(id);
  return id;
}

/** An id from the source is kept when it already follows the corpus rules. */
function keepableId(
  id: string | undefined,
  speaker: string,
  taken?: Set<string>,
): string | undefined {
  if (id === undefined || !id.startsWith(`${speaker}-`) || taken?.has(id)) return undefined;
  if (utteranceId(speaker, id.slice(speaker.length + 1)) !== id) return undefined;
  taken?.add(id);
  return id;
}

/** The label set is the set of transcripts when they are single words (isolated-word data). */
export function labelSetOf(utterances: readonly Utterance[]): string[] {
  const labels = new Set(utterances.map((u) => u.text));
  const isolatedWords =
    labels.size <= 1000 &&
    [...labels].every((label) => !/\s/.test(label) && label.length <= MAX_LABEL_LENGTH);
  return isolatedWords ? [...labels].sort(compareCodePoints) : [];
}

/**
 * Turns recording sources into a corpus: converts each file once to the working format,
 * assigns Kaldi ids (`<speaker>-<name>`), and commits the whole corpus atomically.
 */
export async function importSpeechRecordings(
  outDir: string,
  sources: readonly RecordingSource[],
  options: SpeechImportOptions,
): Promise<ImportReport> {
  const skipped: SkippedFile[] = [];
  const repaired: RepairedFile[] = [];
  const corpus = await createCorpusAtomically(outDir, async (staging) => {
    await mkdir(join(staging, AUDIO_DIR), { recursive: true });
    const recordings: Recording[] = [];
    const utterances: Utterance[] = [];
    const alignments = new Map<string, TextGrid>();
    const takenRecordings = new Set<string>();
    const takenUtterances = new Set<string>();
    for (const [index, source] of sources.entries()) {
      throwIfAborted(options.signal);
      options.onProgress?.({
        fraction: index / Math.max(1, sources.length),
        message: `Converting ${source.sourcePath}`,
      });
      let converted;
      try {
        converted = await convertToWorkingFormat(source.sourcePath, {
          repairNonFinite: options.repairNonFinite ?? false,
        });
      } catch (error) {
        const data = toErrorData(error);
        if (options.strict || !data.code.startsWith('AUDIO_')) throw error;
        skipped.push({ path: source.sourcePath, code: data.code, reason: data.message });
        continue;
      }
      if (converted.repairedNonFinite > 0)
        repaired.push({ path: source.sourcePath, nonFiniteSamples: converted.repairedNonFinite });
      const speaker = sanitizeSpeakerId(source.speaker);
      const recordingId = uniqueId(
        keepableId(source.id, speaker) ?? utteranceId(speaker, source.name),
        takenRecordings,
      );
      const path = audioPath(recordingId);
      // DISK_FULL from here aborts the import; the staging folder is removed, nothing is created.
      await writeStagedFile(join(staging, path), converted.wav);
      recordings.push({ id: recordingId, path, duration: converted.duration });
      if (source.alignment) alignments.set(recordingId, source.alignment);
      const whole =
        source.utterances.length === 1 &&
        !source.utterances[0]?.segment &&
        !source.utterances[0]?.speaker;
      for (const utterance of source.utterances) {
        const uttSpeaker =
          utterance.speaker !== undefined ? sanitizeSpeakerId(utterance.speaker) : speaker;
        const id = whole
          ? recordingId
          : (keepableId(utterance.id, uttSpeaker, takenUtterances) ??
            uniqueId(
              utteranceId(
                uttSpeaker,
                `${recordingId.slice(speaker.length + 1)}_${sanitizeIdPart(utterance.name ?? '')}`,
              ),
              takenUtterances,
            ));
        if (whole) takenUtterances.add(id);
        const entry: Utterance = {
          id,
          recordingId,
          speaker: uttSpeaker,
          split: source.split,
          text: utterance.text.replace(/\s+/g, ' ').trim(),
        };
        const segment = utterance.segment;
        const end = segment ? Math.min(segment.end, converted.duration) : 0;
        // A segment that is the whole file is stored as no segment, as the reader does.
        if (segment && !(segment.start <= 0 && end >= converted.duration - 1e-4))
          entry.segment = { start: segment.start, end };
        utterances.push(entry);
      }
    }
    options.onProgress?.({ fraction: 1, message: 'Writing the corpus files' });
    utterances.sort((a, b) => compareCodePoints(a.id, b.id));
    recordings.sort((a, b) => compareCodePoints(a.id, b.id));
    const splits = [...new Set(utterances.map((u) => u.split))].sort(compareCodePoints);
    const labels = labelSetOf(utterances);
    const hasPhones = [...alignments.values()].some((grid) =>
      grid.tiers.some((tier) => tier.name === 'phones'),
    );
    const manifest: CorpusManifest = newManifest({
      name: options.name,
      kind: 'speech',
      tasks: hasPhones
        ? ['phone-recognition', 'speech-recognition']
        : labels.length > 0
          ? ['word-classification']
          : ['speech-recognition'],
      labels,
      phoneSet: options.phoneSet ?? (hasPhones ? 'arpabet' : null),
      splits: splits.length > 0 ? splits : ['train'],
      audio: { ...WORKING_AUDIO },
      split: options.split ?? { method: 'given' },
      source: {
        format: options.format,
        path: options.sourcePath,
        ...(options.pattern ? { pattern: options.pattern } : {}),
      },
      ...(options.g2p ? { g2p: options.g2p } : {}),
    });
    const data: SpeechCorpusData = { kind: 'speech', recordings, utterances, alignments };
    for (const [relative, content] of options.extraFiles ?? [])
      await writeStagedFile(join(staging, relative), content);
    return { manifest, data };
  });
  return { corpus, skipped, repaired };
}
