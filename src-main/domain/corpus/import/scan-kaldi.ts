import { readFile, readdir, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { UnfoldError } from '../../errors';
import { findUnsortedRow, parseKaldiTable } from '../formats/kaldi-table';
import { parseError } from '../formats/parse-error';
import { MAX_TEXT_LENGTH } from '../formats/tsv';
import { decodeUtf8 } from '../formats/utf8';
import type { RecordingSource } from './speech-import';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function readTable(
  dir: string,
  name: string,
  optional: boolean,
  allowEmptyValue = false,
): Promise<ReturnType<typeof parseKaldiTable> | null> {
  const path = join(dir, name);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if (optional && (error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UnfoldError('IMPORT_KALDI', `${path}: cannot read it (${(error as Error).message}).`);
  }
  const rows = parseKaldiTable(decodeUtf8(bytes, path), path, { allowEmptyValue });
  const unsorted = findUnsortedRow(rows);
  if (unsorted?.duplicate)
    throw parseError(path, unsorted.row.line, `duplicate id "${unsorted.row.key}"`);
  return rows;
}

/** Kaldi recipes name files relative to the recipe folder; try the usual anchors. */
async function resolveAudioPath(
  value: string,
  dataDir: string,
  file: string,
  line: number,
): Promise<string> {
  if (value.trim().endsWith('|')) {
    throw parseError(
      file,
      line,
      'piped commands in wav.scp are not supported; convert the audio to WAV files first',
    );
  }
  if (isAbsolute(value)) return value;
  const anchors = [
    dataDir,
    dirname(dataDir),
    dirname(dirname(dataDir)),
    dirname(dirname(dirname(dataDir))),
    process.cwd(),
  ];
  for (const anchor of anchors) {
    const candidate = resolve(anchor, value);
    if (await exists(candidate)) return candidate;
  }
  throw parseError(
    file,
    line,
    `audio file "${value}" not found (looked relative to ${dataDir} and its parents)`,
  );
}

async function scanOneDataDir(dataDir: string, split: string): Promise<RecordingSource[]> {
  const wavScp = (await readTable(dataDir, 'wav.scp', false)) ?? [];
  const textRows = (await readTable(dataDir, 'text', false, true)) ?? [];
  const tooLong = textRows.find((r) => r.value.length > MAX_TEXT_LENGTH);
  if (tooLong) {
    throw parseError(
      join(dataDir, 'text'),
      tooLong.line,
      `transcript is ${tooLong.value.length} characters long (at most ${MAX_TEXT_LENGTH})`,
    );
  }
  // An empty transcript would become the label "": refuse it where it is.
  const empty = textRows.find((r) => r.value.trim() === '');
  if (empty)
    throw parseError(
      join(dataDir, 'text'),
      empty.line,
      `utterance ${empty.key} has an empty transcript (a line with only an id)`,
    );
  const texts = new Map(textRows.map((r) => [r.key, r]));
  const utt2spkRows = (await readTable(dataDir, 'utt2spk', false)) ?? [];
  const untranscribed = utt2spkRows.find((r) => !texts.has(r.key));
  if (untranscribed)
    throw parseError(
      join(dataDir, 'utt2spk'),
      untranscribed.line,
      `utterance ${untranscribed.key} has no line in ${join(dataDir, 'text')}`,
    );
  const utt2spk = new Map(utt2spkRows.map((r) => [r.key, r.value]));
  const segments = await readTable(dataDir, 'segments', true);
  const sources = new Map<string, RecordingSource>();
  for (const row of wavScp) {
    const sourcePath = await resolveAudioPath(
      row.value,
      dataDir,
      join(dataDir, 'wav.scp'),
      row.line,
    );
    sources.set(row.key, {
      id: row.key,
      sourcePath,
      speaker: 'unknown',
      name: row.key,
      split,
      utterances: [],
    });
  }
  const speakerOf = (utt: string, file: string, line: number): string => {
    const speaker = utt2spk.get(utt);
    if (speaker === undefined) throw parseError(file, line, `utterance ${utt} is not in utt2spk`);
    return speaker;
  };
  if (segments) {
    for (const row of segments) {
      const file = join(dataDir, 'segments');
      const [recordingId, start, end] = row.value.split(/\s+/);
      const source = recordingId ? sources.get(recordingId) : undefined;
      if (!source)
        throw parseError(file, row.line, `recording "${recordingId ?? ''}" is not in wav.scp`);
      const text = texts.get(row.key);
      if (!text) throw parseError(file, row.line, `utterance ${row.key} has no line in text`);
      const speaker = speakerOf(row.key, file, row.line);
      const a = Number(start);
      const b = Number(end);
      if (!Number.isFinite(a) || !Number.isFinite(b))
        throw parseError(file, row.line, 'start and end must be numbers');
      source.utterances.push({
        id: row.key,
        text: text.value,
        speaker,
        segment: { start: a, end: b < 0 ? Number.POSITIVE_INFINITY : b },
      });
      if (source.speaker === 'unknown') source.speaker = speaker;
    }
  } else {
    // Without segments every recording is one utterance: one with no transcript is an error
    // (as in Kaldi's validate_data_dir.sh), not a recording silently left out.
    const missing = wavScp.find((row) => !texts.has(row.key));
    if (missing)
      throw parseError(
        join(dataDir, 'wav.scp'),
        missing.line,
        `utterance ${missing.key} has no line in ${join(dataDir, 'text')}`,
      );
    for (const [utt, text] of texts) {
      const source = sources.get(utt);
      if (!source)
        throw parseError(
          join(dataDir, 'text'),
          text.line,
          `utterance ${utt} is not in wav.scp (and there is no segments file)`,
        );
      const speaker = speakerOf(utt, join(dataDir, 'text'), text.line);
      source.speaker = speaker;
      source.utterances.push({ text: text.value });
    }
  }
  return [...sources.values()].filter((s) => s.utterances.length > 0);
}

/**
 * An existing Kaldi data directory, or a folder of them (one per split, e.g. `data/train`,
 * `data/test`). Ids are kept as they are when they already start with the speaker id.
 */
export async function scanKaldi(root: string): Promise<RecordingSource[]> {
  if (await exists(join(root, 'wav.scp'))) return scanOneDataDir(root, 'train');
  const base = (await exists(join(root, 'data'))) ? join(root, 'data') : root;
  const splits = (await readdir(base, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const sources: RecordingSource[] = [];
  for (const split of splits) {
    if (await exists(join(base, split, 'wav.scp')))
      sources.push(
        ...(await scanOneDataDir(join(base, split), split.replace(/[^A-Za-z0-9_.]/g, '_'))),
      );
  }
  if (sources.length === 0)
    throw new UnfoldError(
      'IMPORT_EMPTY',
      `${root} has no Kaldi data directory (a folder with wav.scp, text and utt2spk).`,
    );
  return sources;
}
