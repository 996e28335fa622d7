import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UnfoldError } from '../../errors';
import type { TextGrid, TextGridLines } from '../formats/textgrid';
import {
  FILLABLE_TIER_PROBLEMS,
  intervalTierProblems,
  parseTextGridWithLines,
  tierFromSpans,
} from '../formats/textgrid';
import { parseError } from '../formats/parse-error';
import { decodeUtf8, splitLines } from '../formats/utf8';
import { decodeTextGridBytes } from '../store/read-corpus';
import type { RecordingSource } from './speech-import';
import { listFiles } from './walk';

export interface FileNamePattern {
  regex: RegExp;
  fields: string[];
}

const PATTERN_FIELDS = ['label', 'speaker', 'take', 'ignore'];

/** Compiles `{label}_{speaker}_{take}.wav` into a regex with named groups (fields are non-greedy). */
export function compileFileNamePattern(pattern: string): FileNamePattern {
  const fields: string[] = [];
  let source = '^';
  let rest = pattern;
  while (rest.length > 0) {
    const match = /\{([a-z]+)\}/.exec(rest);
    const literal = match ? rest.slice(0, match.index) : rest;
    source += literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (!match) break;
    const field = match[1] as string;
    if (!PATTERN_FIELDS.includes(field)) {
      throw new UnfoldError(
        'BAD_PATTERN',
        `Unknown field {${field}} in "${pattern}"; use {label}, {speaker}, {take} or {ignore}.`,
      );
    }
    if (fields.includes(field) && field !== 'ignore')
      throw new UnfoldError('BAD_PATTERN', `{${field}} appears twice in "${pattern}".`);
    source += field === 'ignore' ? '.*?' : `(?<${field}>.+?)`;
    if (field !== 'ignore') fields.push(field);
    rest = rest.slice(match.index + match[0].length);
  }
  if (!fields.includes('label'))
    throw new UnfoldError('BAD_PATTERN', `The pattern "${pattern}" needs a {label} field.`);
  return { regex: new RegExp(source + '$', 'u'), fields };
}

export interface PatternScanOptions {
  pattern: string;
  /** 'fsdd': takes 0-4 test, the rest train (the Free Spoken Digit Dataset's own split). */
  convention?: 'fsdd';
}

/** Files whose names match the pattern (others are reported, not imported). */
export async function scanPattern(
  root: string,
  options: PatternScanOptions,
): Promise<{ sources: RecordingSource[]; unmatched: string[] }> {
  const compiled = compileFileNamePattern(options.pattern);
  const matchesPath = options.pattern.includes('/');
  const sources: RecordingSource[] = [];
  const unmatched: string[] = [];
  for (const file of await listFiles(root, ['.wav'])) {
    const match = compiled.regex.exec(matchesPath ? file : basename(file));
    const groups = match?.groups;
    if (!groups || !groups.label) {
      unmatched.push(file);
      continue;
    }
    const take = groups.take ?? basename(file, '.wav');
    let split = 'train';
    if (options.convention === 'fsdd') {
      const takeNumber = Number(take);
      if (!Number.isInteger(takeNumber))
        throw new UnfoldError(
          'BAD_SPLIT',
          `${file}: take "${take}" is not a number, so the FSDD split cannot place it.`,
        );
      split = takeNumber <= 4 ? 'test' : 'train';
    }
    sources.push({
      sourcePath: join(root, file),
      speaker: groups.speaker ?? 'unknown',
      name: `${groups.label}_${take}`,
      split,
      utterances: [{ text: groups.label }],
    });
  }
  return { sources, unmatched };
}

async function readListFile(path: string): Promise<Set<string> | null> {
  try {
    return new Set(
      splitLines(decodeUtf8(await readFile(path), path))
        .map((l) => l.trim())
        .filter(Boolean),
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * One sub-folder per label (Google Speech Commands). Folders starting with `_` (such as
 * `_background_noise_`) are not labels. Speakers come from `<speaker>_nohash_<n>.wav`
 * names; `validation_list.txt` / `testing_list.txt`, when present, give the dev/test split.
 */
export async function scanFolders(root: string): Promise<RecordingSource[]> {
  const validation = await readListFile(join(root, 'validation_list.txt'));
  const testing = await readListFile(join(root, 'testing_list.txt'));
  const sources: RecordingSource[] = [];
  const entries = (await readdir(root, { withFileTypes: true })).filter(
    (e) => e.isDirectory() && !e.name.startsWith('_') && !e.name.startsWith('.'),
  );
  if (entries.length === 0)
    throw new UnfoldError(
      'IMPORT_EMPTY',
      `${root} has no label sub-folders (expected one folder of WAV files per label).`,
    );
  for (const entry of entries) {
    const label = entry.name.normalize('NFC');
    for (const file of await listFiles(join(root, entry.name), ['.wav'])) {
      const relative = `${entry.name}/${file}`;
      const base = basename(file, '.wav').replace(/\.wav$/i, '');
      const nohash = /^(.+?)_nohash_(.+)$/.exec(base);
      const speaker = nohash?.[1] ?? 'unknown';
      const take = nohash?.[2] ?? base;
      const split = testing?.has(relative) ? 'test' : validation?.has(relative) ? 'dev' : 'train';
      sources.push({
        sourcePath: join(root, relative),
        speaker,
        name: `${label}_${take}`,
        split,
        utterances: [{ text: label }],
      });
    }
  }
  return sources;
}

/**
 * An imported TextGrid as the corpus stores it: overlapping, empty or out-of-range intervals
 * are refused (file:line of the interval), holes are filled with empty intervals as Praat
 * itself writes them.
 */
function alignmentForImport(
  { grid, lines }: { grid: TextGrid; lines: TextGridLines },
  file: string,
): TextGrid {
  const tiers = grid.tiers.map((tier, t) => {
    if (tier.kind !== 'interval') return tier;
    const problems = intervalTierProblems(tier);
    const refused = problems.find((p) => !FILLABLE_TIER_PROBLEMS.has(p.kind));
    if (refused) {
      const tierLines = lines.tiers[t];
      throw parseError(
        file,
        tierLines?.items[refused.interval] ?? tierLines?.header ?? 0,
        refused.message,
      );
    }
    if (problems.length === 0) return tier;
    return tierFromSpans(
      tier.name,
      tier.xmin,
      tier.xmax,
      tier.intervals.filter((i) => i.text !== ''),
    );
  });
  return { ...grid, tiers };
}

/** WAV + TextGrid pairs with the same base name; the utterance text is the words tier joined. */
export async function scanTextGridPairs(
  root: string,
  speaker = 'unknown',
): Promise<RecordingSource[]> {
  const sources: RecordingSource[] = [];
  for (const file of await listFiles(root, ['.TextGrid'])) {
    const wav = join(root, dirname(file), `${basename(file, '.TextGrid')}.wav`);
    if (
      !(await stat(wav).then(
        () => true,
        () => false,
      ))
    ) {
      throw new UnfoldError(
        'IMPORT_MISSING_AUDIO',
        `${file} has no WAV file beside it (${basename(wav)}).`,
      );
    }
    const parsed = parseTextGridWithLines(
      decodeTextGridBytes(await readFile(join(root, file)), file),
      file,
    );
    const grid = alignmentForImport(parsed, file);
    let wordsIndex = grid.tiers.findIndex((t) => t.kind === 'interval' && t.name === 'words');
    if (wordsIndex < 0) wordsIndex = grid.tiers.findIndex((t) => t.kind === 'interval');
    const words = grid.tiers[wordsIndex];
    const text =
      words && words.kind === 'interval'
        ? words.intervals
            .map((i) => i.text.trim())
            .filter((t) => t && t !== 'sil' && t !== 'pau')
            .join(' ')
        : '';
    if (text === '')
      throw parseError(
        file,
        parsed.lines.tiers[wordsIndex]?.header ?? parsed.lines.size,
        `the ${words ? `"${words.name}" tier` : 'TextGrid'} has no labelled interval, so the recording would have an empty transcript`,
      );
    // Layouts: name.TextGrid, <speaker>/name.TextGrid, <split>/<speaker>/name.TextGrid (as exported).
    const folders = dirname(file) === '.' ? [] : dirname(file).split('/');
    const fileSpeaker = folders.length >= 2 ? (folders[1] as string) : (folders[0] ?? speaker);
    const split =
      folders.length >= 2 ? (folders[0] as string).replace(/[^A-Za-z0-9_.]/g, '_') : 'train';
    const name = basename(file, '.TextGrid');
    const id = name.startsWith(`${fileSpeaker}-`) ? name : undefined;
    sources.push({
      ...(id ? { id } : {}),
      sourcePath: wav,
      speaker: fileSpeaker,
      name,
      split,
      utterances: [{ text }],
      alignment: grid,
    });
  }
  return sources;
}

/**
 * WAV + Audacity label track (`start<TAB>end<TAB>label` per line, `\` lines for spectral
 * selections ignored): each label becomes one segment utterance of the recording.
 */
export async function scanAudacityPairs(
  root: string,
  speaker = 'unknown',
): Promise<{ sources: RecordingSource[]; unmatched: string[] }> {
  const sources: RecordingSource[] = [];
  // Text files without a WAV beside them (a README, a label track of a missing recording) are
  // not imported; they are counted in the summary, and `--strict` refuses them.
  const unmatched: string[] = [];
  for (const file of await listFiles(root, ['.txt'])) {
    const wav = join(root, dirname(file), `${basename(file, '.txt')}.wav`);
    if (
      !(await stat(wav).then(
        () => true,
        () => false,
      ))
    ) {
      unmatched.push(file);
      continue;
    }
    const content = decodeUtf8(await readFile(join(root, file)), file);
    const utterances: RecordingSource['utterances'] = [];
    splitLines(content).forEach((raw, index) => {
      if (raw.startsWith('\\') || raw.trim() === '') return;
      const [start, end, ...label] = raw.split('\t');
      const a = Number(start);
      const b = Number(end);
      if (!Number.isFinite(a) || !Number.isFinite(b) || b < a)
        throw parseError(file, index + 1, 'expected start<TAB>end<TAB>label with start <= end');
      const text = label.join('\t').trim();
      if (b > a)
        utterances.push({
          text,
          name: String(utterances.length + 1).padStart(3, '0'),
          segment: { start: a, end: b },
        });
    });
    if (utterances.length === 0)
      throw parseError(
        file,
        0,
        'no labels (an Audacity label track has start<TAB>end<TAB>label lines)',
      );
    sources.push({
      sourcePath: wav,
      speaker,
      name: basename(file, '.txt'),
      split: 'train',
      utterances,
    });
  }
  if (sources.length === 0)
    throw new UnfoldError('IMPORT_EMPTY', `${root} has no WAV + label-track (.txt) pairs.`);
  return { sources, unmatched };
}
