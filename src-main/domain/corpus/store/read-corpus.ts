import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UnfoldError } from '../../errors';
import { decodeWav } from '../../audio/wav';
import { parseConllu } from '../formats/conllu';
import { parseKaldiTable } from '../formats/kaldi-table';
import { parseError } from '../formats/parse-error';
import type { TextGrid } from '../formats/textgrid';
import { parseTextGrid } from '../formats/textgrid';
import { parsePairs } from '../formats/pairs';
import { parsePlainText, parseTsv } from '../formats/tsv';
import { compareCodePoints, decodeUtf8 } from '../formats/utf8';
import type { CorpusManifest } from '../manifest';
import { readManifest } from '../manifest';
import type { Corpus, Recording, SpeechCorpusData, TextCorpusData, Utterance } from '../model';
import { ALIGNMENTS_DIR, splitDataDir, textSplitPath } from './layout';
import { recoverPendingCommit } from './commit';
import { removeStrayTempFiles } from './stray-temp-files';

export async function readTextFile(dir: string, relative: string): Promise<string> {
  return decodeUtf8(await readFile(join(dir, relative)), relative);
}

export async function readOptionalTextFile(dir: string, relative: string): Promise<string | null> {
  try {
    return await readTextFile(dir, relative);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Praat saves TextGrids as UTF-16 when labels are not ASCII; read those too. */
export function decodeTextGridBytes(bytes: Uint8Array, file: string): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  return decodeUtf8(bytes, file);
}

function parseSeconds(text: string | undefined, file: string, line: number, what: string): number {
  const value = Number(text);
  if (text === undefined || text === '' || !Number.isFinite(value))
    throw parseError(file, line, `${what} "${text ?? ''}" is not a number`);
  return value;
}

async function durationOf(dir: string, path: string): Promise<number> {
  const audio = decodeWav(await readFile(join(dir, path)), path);
  return (audio.channels[0]?.length ?? 0) / audio.sampleRate;
}

async function readSpeechData(dir: string, manifest: CorpusManifest): Promise<SpeechCorpusData> {
  const recordings = new Map<string, Recording>();
  const utterances: Utterance[] = [];
  for (const split of manifest.splits) {
    const base = splitDataDir(split);
    const wavScp = parseKaldiTable(await readTextFile(dir, `${base}/wav.scp`), `${base}/wav.scp`);
    const texts = parseKaldiTable(await readTextFile(dir, `${base}/text`), `${base}/text`, {
      allowEmptyValue: true,
    });
    const utt2spk = new Map(
      parseKaldiTable(await readTextFile(dir, `${base}/utt2spk`), `${base}/utt2spk`).map((r) => [
        r.key,
        r.value,
      ]),
    );
    const segmentsText = await readOptionalTextFile(dir, `${base}/segments`);
    const durationsText = await readOptionalTextFile(dir, `${base}/reco2dur`);
    const durations = new Map<string, number>();
    if (durationsText !== null) {
      for (const row of parseKaldiTable(durationsText, `${base}/reco2dur`)) {
        durations.set(row.key, parseSeconds(row.value, `${base}/reco2dur`, row.line, 'duration'));
      }
    }
    for (const row of wavScp) {
      if (recordings.has(row.key)) continue;
      const duration = durations.get(row.key) ?? (await durationOf(dir, row.value));
      recordings.set(row.key, { id: row.key, path: row.value, duration });
    }
    const segments = new Map<string, { recordingId: string; start: number; end: number }>();
    if (segmentsText !== null) {
      for (const row of parseKaldiTable(segmentsText, `${base}/segments`)) {
        const [recordingId, start, end] = row.value.split(/\s+/);
        if (!recordingId)
          throw parseError(
            `${base}/segments`,
            row.line,
            'expected <utt> <recording> <start> <end>',
          );
        segments.set(row.key, {
          recordingId,
          start: parseSeconds(start, `${base}/segments`, row.line, 'start'),
          end: parseSeconds(end, `${base}/segments`, row.line, 'end'),
        });
      }
    }
    for (const row of texts) {
      const speaker = utt2spk.get(row.key);
      if (speaker === undefined)
        throw parseError(`${base}/text`, row.line, `utterance ${row.key} is not in utt2spk`);
      const segment = segments.get(row.key);
      const utterance: Utterance = {
        id: row.key,
        recordingId: segment?.recordingId ?? row.key,
        speaker,
        split,
        text: row.value,
      };
      if (segment) {
        const recording = recordings.get(segment.recordingId);
        const whole =
          segment.start === 0 &&
          recording !== undefined &&
          Math.abs(segment.end - recording.duration) < 1e-4;
        if (!whole)
          utterance.segment = {
            start: segment.start,
            end: segment.end < 0 ? (recording?.duration ?? 0) : segment.end,
          };
      }
      utterances.push(utterance);
    }
  }
  const alignments = new Map<string, TextGrid>();
  let names: string[] = [];
  try {
    names = await readdir(join(dir, ALIGNMENTS_DIR));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  for (const name of names.filter((n) => n.endsWith('.TextGrid')).sort()) {
    const relative = `${ALIGNMENTS_DIR}/${name}`;
    const content = decodeTextGridBytes(await readFile(join(dir, relative)), relative);
    alignments.set(name.slice(0, -'.TextGrid'.length), parseTextGrid(content, relative));
  }
  utterances.sort((a, b) => compareCodePoints(a.id, b.id));
  const sortedRecordings = [...recordings.values()].sort((a, b) => compareCodePoints(a.id, b.id));
  return { kind: 'speech', recordings: sortedRecordings, utterances, alignments };
}

async function readTextData(dir: string, manifest: CorpusManifest): Promise<TextCorpusData> {
  const format = manifest.textFormat;
  if (!format)
    throw new UnfoldError('CORPUS_PARSE', 'corpus.json: a text corpus needs "textFormat"', {
      file: 'corpus.json',
      line: 0,
    });
  const splits: TextCorpusData['splits'] = new Map();
  for (const split of manifest.splits) {
    const path = textSplitPath(split, format);
    const content = await readTextFile(dir, path);
    if (format === 'conllu') splits.set(split, { format, sentences: parseConllu(content, path) });
    else if (format === 'tsv') splits.set(split, { format, items: parseTsv(content, path) });
    else if (format === 'pairs') splits.set(split, { format, pairs: parsePairs(content, path) });
    else splits.set(split, { format, lines: parsePlainText(content) });
  }
  return { kind: 'text', splits };
}

/**
 * Loads a whole corpus. A commit interrupted by a crash is first rolled forward, so what is
 * read is always one consistent revision, and temporary files a killed writer left are removed. Parse errors name the file and line.
 */
export async function readCorpus(dir: string): Promise<Corpus> {
  await recoverPendingCommit(dir);
  await removeStrayTempFiles(dir);
  const manifest = await readManifest(dir);
  const data =
    manifest.kind === 'speech'
      ? await readSpeechData(dir, manifest)
      : await readTextData(dir, manifest);
  return { dir, manifest, data };
}
