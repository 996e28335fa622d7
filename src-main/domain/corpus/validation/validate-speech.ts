import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeWav } from '../../audio/wav';
import { throwIfAborted } from '../../errors';
import { problemFromError } from '../formats/parse-error';
import type { TextGrid, TextGridLines } from '../formats/textgrid';
import { intervalTierProblems, parseTextGridWithLines } from '../formats/textgrid';
import { MAX_TEXT_LENGTH } from '../formats/tsv';
import { compareCodePoints } from '../formats/utf8';
import type { CorpusManifest } from '../manifest';
import { MANIFEST_FILE, WORKING_AUDIO } from '../manifest';
import { ALIGNMENTS_DIR, splitDataDir } from '../store/layout';
import { decodeTextGridBytes } from '../store/read-corpus';
import type { ProblemList, ValidateOptions, ValidationReport } from './problems';
import { DURATION_TOLERANCE, readText, table } from './problems';

interface AudioFacts {
  duration: number;
}

async function checkAudioFile(
  dir: string,
  path: string,
  file: string,
  line: number,
  problems: ProblemList,
  decode: boolean,
): Promise<AudioFacts | null> {
  const absolute = join(dir, path);
  if (!decode) {
    const exists = await stat(absolute).then(
      () => true,
      () => false,
    );
    if (!exists) problems.add(file, line, `audio file ${path} does not exist`);
    return null;
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(absolute);
  } catch {
    problems.add(file, line, `audio file ${path} does not exist or cannot be read`);
    return null;
  }
  try {
    const audio = decodeWav(bytes, path);
    if (
      audio.sampleRate !== WORKING_AUDIO.sampleRate ||
      audio.channels.length !== 1 ||
      audio.format.encoding !== 'pcm' ||
      audio.format.bitsPerSample !== 16
    ) {
      problems.add(
        file,
        line,
        `${path} is ${audio.sampleRate} Hz, ${audio.channels.length} channel(s), ${audio.format.description}; the working format is 16000 Hz mono 16-bit PCM`,
      );
    }
    return { duration: (audio.channels[0]?.length ?? 0) / audio.sampleRate };
  } catch (error) {
    problems.add(file, line, `${path} does not decode: ${(error as Error).message}`);
    return null;
  }
}

function checkTextGrid(
  grid: TextGrid,
  lines: TextGridLines,
  file: string,
  duration: number | undefined,
  phoneSet: string | null,
  problems: ProblemList,
): void {
  if (Math.abs(grid.xmin) > DURATION_TOLERANCE)
    problems.add(file, lines.xmin, `xmin is ${grid.xmin}, expected 0`);
  if (duration !== undefined && Math.abs(grid.xmax - duration) > DURATION_TOLERANCE) {
    problems.add(file, lines.xmax, `xmax is ${grid.xmax} s but the recording lasts ${duration} s`);
  }
  const names = grid.tiers.map((t) => t.name);
  if (!names.includes('words')) problems.add(file, lines.size, 'no "words" tier');
  if (phoneSet !== null && !names.includes('phones'))
    problems.add(file, lines.size, 'no "phones" tier (the corpus has a phone set)');
  grid.tiers.forEach((tier, t) => {
    const tierLines = lines.tiers[t];
    if (tier.kind !== 'interval' || !tierLines) return;
    if (
      Math.abs(tier.xmin - grid.xmin) > DURATION_TOLERANCE ||
      Math.abs(tier.xmax - grid.xmax) > DURATION_TOLERANCE
    ) {
      problems.add(
        file,
        tierLines.xmin,
        `tier "${tier.name}" spans ${tier.xmin}..${tier.xmax}, not the TextGrid's ${grid.xmin}..${grid.xmax}`,
      );
    }
    for (const problem of intervalTierProblems(tier))
      problems.add(file, tierLines.items[problem.interval] ?? tierLines.size, problem.message);
  });
}

/** Kaldi files, audio, segments and TextGrids of a speech corpus. */
export async function validateSpeech(
  dir: string,
  manifest: CorpusManifest,
  options: ValidateOptions,
  problems: ProblemList,
  counts: ValidationReport['counts'],
): Promise<void> {
  const durations = new Map<string, number>();
  const uttSplit = new Map<string, string>();
  const speakerSplits = new Map<string, Set<string>>();
  const labelSet = new Set(manifest.labels);
  const checkLabels = manifest.tasks.includes('word-classification');
  const seenRecordings = new Set<string>();
  if (manifest.labels.some((label) => label.trim() === ''))
    problems.add(MANIFEST_FILE, 0, 'the label set ("labels") contains an empty label');
  for (const split of manifest.splits) {
    throwIfAborted(options.signal);
    const base = splitDataDir(split);
    const wavScp =
      table(await readText(dir, `${base}/wav.scp`, problems), `${base}/wav.scp`, problems) ?? [];
    const text =
      table(await readText(dir, `${base}/text`, problems), `${base}/text`, problems, true) ?? [];
    const utt2spk =
      table(await readText(dir, `${base}/utt2spk`, problems), `${base}/utt2spk`, problems) ?? [];
    const spk2utt =
      table(await readText(dir, `${base}/spk2utt`, problems), `${base}/spk2utt`, problems) ?? [];
    const segments = table(
      await readText(dir, `${base}/segments`, problems, true),
      `${base}/segments`,
      problems,
    );
    const reco2dur = table(
      await readText(dir, `${base}/reco2dur`, problems, true),
      `${base}/reco2dur`,
      problems,
    );
    counts.utterances += text.length;

    for (const [index, row] of wavScp.entries()) {
      options.onProgress?.({
        fraction: null,
        message: `Checking ${row.value}`,
        metrics: { recording: index },
      });
      throwIfAborted(options.signal);
      if (seenRecordings.has(row.key)) continue;
      seenRecordings.add(row.key);
      if (row.value.startsWith('/') || row.value.split('/').includes('..')) {
        problems.add(
          `${base}/wav.scp`,
          row.line,
          `${row.value} must be a path inside the corpus folder (e.g. audio/x.wav)`,
        );
        continue;
      }
      const facts = await checkAudioFile(
        dir,
        row.value,
        `${base}/wav.scp`,
        row.line,
        problems,
        options.checkAudio !== false,
      );
      if (facts) durations.set(row.key, facts.duration);
    }
    counts.recordings = seenRecordings.size;
    const recordingIds = new Set(wavScp.map((r) => r.key));
    if (reco2dur) {
      for (const row of reco2dur) {
        const actual = durations.get(row.key);
        if (!recordingIds.has(row.key))
          problems.add(`${base}/reco2dur`, row.line, `recording ${row.key} is not in wav.scp`);
        else if (
          actual !== undefined &&
          Math.abs(Number(row.value) - actual) > DURATION_TOLERANCE
        ) {
          problems.add(
            `${base}/reco2dur`,
            row.line,
            `says ${row.value} s but ${row.key} lasts ${actual} s`,
          );
        }
        if (!durations.has(row.key) && Number.isFinite(Number(row.value)))
          durations.set(row.key, Number(row.value));
      }
    }
    const speakerOf = new Map(utt2spk.map((r) => [r.key, r]));
    const textIds = new Set(text.map((r) => r.key));
    for (const row of text) {
      if (!speakerOf.has(row.key))
        problems.add(`${base}/text`, row.line, `utterance ${row.key} is not in utt2spk`);
      const previous = uttSplit.get(row.key);
      if (previous !== undefined)
        problems.add(`${base}/text`, row.line, `utterance ${row.key} is also in split ${previous}`);
      uttSplit.set(row.key, split);
      if (row.value.trim() === '')
        problems.add(
          `${base}/text`,
          row.line,
          checkLabels
            ? `utterance ${row.key} has an empty label`
            : `utterance ${row.key} has an empty transcript`,
        );
      else if (row.value.length > MAX_TEXT_LENGTH)
        problems.add(
          `${base}/text`,
          row.line,
          `transcript is ${row.value.length} characters long (at most ${MAX_TEXT_LENGTH})`,
        );
      else if (checkLabels && !labelSet.has(row.value))
        problems.add(
          `${base}/text`,
          row.line,
          `label "${row.value}" is not in the corpus label set (corpus.json "labels")`,
        );
    }
    let previousSpeaker = '';
    for (const row of utt2spk) {
      if (!textIds.has(row.key))
        problems.add(`${base}/utt2spk`, row.line, `utterance ${row.key} is not in text`);
      if (!row.key.startsWith(`${row.value}-`))
        problems.add(
          `${base}/utt2spk`,
          row.line,
          `utterance id ${row.key} does not start with its speaker id "${row.value}-"`,
        );
      else if (compareCodePoints(row.value, previousSpeaker) < 0)
        problems.add(
          `${base}/utt2spk`,
          row.line,
          `speaker ${row.value} comes after ${previousSpeaker}: sorting by utterance must also sort by speaker`,
        );
      previousSpeaker = row.value;
      const set = speakerSplits.get(row.value) ?? new Set<string>();
      set.add(split);
      speakerSplits.set(row.value, set);
    }
    const listed = new Set<string>();
    for (const row of spk2utt) {
      const ids = row.value.split(/\s+/);
      for (const [k, id] of ids.entries()) {
        if (speakerOf.get(id)?.value !== row.key)
          problems.add(
            `${base}/spk2utt`,
            row.line,
            `utterance ${id} is not speaker ${row.key}'s in utt2spk`,
          );
        if (k > 0 && compareCodePoints(ids[k - 1] ?? '', id) >= 0)
          problems.add(`${base}/spk2utt`, row.line, `utterances of ${row.key} are not sorted`);
        listed.add(id);
      }
    }
    for (const row of utt2spk)
      if (!listed.has(row.key))
        problems.add(
          `${base}/spk2utt`,
          0,
          `utterance ${row.key} (utt2spk line ${row.line}) is missing`,
        );
    if (segments) {
      const segmented = new Set<string>();
      for (const row of segments) {
        segmented.add(row.key);
        const [recordingId, startText, endText, extra] = row.value.split(/\s+/);
        const start = Number(startText);
        const end = Number(endText);
        if (
          !recordingId ||
          extra !== undefined ||
          !Number.isFinite(start) ||
          !Number.isFinite(end)
        ) {
          problems.add(
            `${base}/segments`,
            row.line,
            'expected <utterance> <recording> <start> <end>',
          );
          continue;
        }
        if (!textIds.has(row.key))
          problems.add(`${base}/segments`, row.line, `utterance ${row.key} is not in text`);
        if (!recordingIds.has(recordingId))
          problems.add(`${base}/segments`, row.line, `recording ${recordingId} is not in wav.scp`);
        if (start < 0 || end <= start)
          problems.add(
            `${base}/segments`,
            row.line,
            `segment ${start}..${end} is empty or negative`,
          );
        const duration = durations.get(recordingId);
        if (duration !== undefined && end > duration + DURATION_TOLERANCE) {
          problems.add(
            `${base}/segments`,
            row.line,
            `segment ends at ${end} s, after the end of ${recordingId} (${duration} s)`,
          );
        }
      }
      for (const row of text)
        if (!segmented.has(row.key))
          problems.add(`${base}/text`, row.line, `utterance ${row.key} has no line in segments`);
    } else {
      for (const row of text)
        if (!recordingIds.has(row.key))
          problems.add(
            `${base}/text`,
            row.line,
            `utterance ${row.key} is not in wav.scp (and there is no segments file)`,
          );
    }
  }
  if (manifest.split?.method === 'speaker') {
    for (const [speaker, splits] of speakerSplits) {
      if (splits.size > 1)
        problems.add(
          MANIFEST_FILE,
          0,
          `speaker ${speaker} is in several splits (${[...splits].join(', ')}) although the split is by speaker`,
        );
    }
  }
  // No alignments folder simply means no alignments.
  const names = (await readdir(join(dir, ALIGNMENTS_DIR)).catch(() => [] as string[]))
    .filter((n) => n.endsWith('.TextGrid'))
    .sort();
  for (const name of names) {
    throwIfAborted(options.signal);
    const relative = `${ALIGNMENTS_DIR}/${name}`;
    const recordingId = name.slice(0, -'.TextGrid'.length);
    if (!seenRecordings.has(recordingId))
      problems.add(relative, 0, `recording ${recordingId} is not in any wav.scp`);
    let parsed: { grid: TextGrid; lines: TextGridLines };
    try {
      parsed = parseTextGridWithLines(
        decodeTextGridBytes(await readFile(join(dir, relative)), relative),
        relative,
      );
    } catch (error) {
      problems.items.push(problemFromError(error, relative));
      continue;
    }
    counts.alignments++;
    checkTextGrid(
      parsed.grid,
      parsed.lines,
      relative,
      durations.get(recordingId),
      manifest.phoneSet,
      problems,
    );
  }
}
