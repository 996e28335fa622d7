import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  CorpusCreatedResult,
  CorpusExportParams,
  CorpusExportedResult,
  CorpusImportParams,
  CorpusSynthSentencesParams,
  CorpusSynthWordsParams,
  CorpusValidateParams,
  CorpusValidatedResult,
} from '../api/corpus';
import { UnfoldError } from '../domain/errors';
import { writeJsonAtomically } from '../domain/fs/atomic-write';
import type { Corpus } from '../domain/corpus/model';
import {
  corpusStats,
  exportKaldi,
  exportText,
  exportTextGrids,
  importCorpus,
  readCorpus,
  synthesiseSentences,
  synthesiseWords,
  validateCorpus,
} from '../domain/corpus/index';
import { CORPORA_DIR } from '../domain/corpus/corpus-paths';
import { checkImportSource } from '../domain/corpus/import/import-corpus';
import { withCorpusLock } from '../domain/corpus/store/commit';
import { STATE_DIR, VALIDATION_FILE } from '../domain/corpus/store/layout';
import { resolveInDataFolder } from '../domain/data-folder';
import { EXPERIMENTS_DIR } from '../domain/experiments/experiment-folder';
import { withG2pPronouncer } from '../domain/text/seq2seq/g2p-pronouncer';
import type { JobEnvironment } from './job-environment';

/** Where the UI's exports go: inside the data folder, one folder per corpus and format. */
export const EXPORTS_DIR = 'exports';
export { VALIDATION_FILE };

export interface StoredValidation {
  revision: number;
  ok: boolean;
  problems: number;
  at: string;
}

function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** A corpus named by a client (checked by the job's schema), inside the data folder. */
function corpusDir(dataDir: string, name: string): Promise<string> {
  return resolveInDataFolder(dataDir, CORPORA_DIR, name);
}

function created(
  name: string,
  corpus: Corpus,
  skipped: CorpusCreatedResult['skipped'] = [],
  unmatched = 0,
): CorpusCreatedResult {
  const stats = corpusStats(corpus.data);
  return {
    corpus: name,
    kind: corpus.manifest.kind,
    items: stats.items,
    totalSeconds: stats.totalSeconds,
    skipped,
    unmatched,
  };
}

/**
 * What can be checked before an import job is queued: the source exists and is the kind of
 * path its format reads. `jobs:start` calls it, so the request fails at once, not the job.
 */
export async function checkCorpusImportParams(params: CorpusImportParams): Promise<void> {
  await checkImportSource({
    format: params.format,
    ...(params.source ? { source: params.source } : {}),
  });
}

export async function runCorpusImport(
  params: CorpusImportParams,
  { dataDir, onProgress, signal }: JobEnvironment,
): Promise<CorpusCreatedResult> {
  const result = await importCorpus({
    format: params.format,
    outDir: await corpusDir(dataDir, params.out),
    name: params.out,
    ...(params.source ? { source: params.source } : {}),
    ...(params.pattern ? { pattern: params.pattern } : {}),
    ...(params.split ? { split: params.split } : {}),
    ...(params.speaker ? { speaker: params.speaker } : {}),
    brown: {
      ...(params.brownCategories ? { categories: params.brownCategories } : {}),
      ...(params.brownLimit ? { limitSentences: params.brownLimit } : {}),
    },
    onProgress,
    signal,
  });
  return created(
    params.out,
    result.corpus,
    result.skipped.map((s) => ({ path: s.path, code: s.code, reason: s.reason })),
    result.unmatched.length,
  );
}

export async function runCorpusSynthWords(
  params: CorpusSynthWordsParams,
  { dataDir, onProgress, signal }: JobEnvironment,
): Promise<CorpusCreatedResult> {
  const result = await synthesiseWords(await corpusDir(dataDir, params.out), {
    name: params.out,
    words: params.words,
    ...(params.engines ? { engines: params.engines } : {}),
    ...(params.voices ? { voices: params.voices } : {}),
    ...(params.rates ? { stretches: params.rates } : {}),
    ...(params.pitches ? { pitchCents: params.pitches } : {}),
    ...(params.fractions ? { fractions: params.fractions } : {}),
    ...(params.silenceClips ? { silenceClips: params.silenceClips } : {}),
    ...(params.unknownWords ? { unknownWords: params.unknownWords } : {}),
    seed: params.seed,
    onProgress,
    signal,
  });
  return created(params.out, result.corpus);
}

export async function runCorpusSynthSentences(
  params: CorpusSynthSentencesParams,
  { dataDir, onProgress, signal }: JobEnvironment,
): Promise<CorpusCreatedResult> {
  const g2pDir = params.g2p
    ? await resolveInDataFolder(dataDir, EXPERIMENTS_DIR, params.g2p.experiment)
    : null;
  const outDir = await corpusDir(dataDir, params.out);
  const result = await withG2pPronouncer(g2pDir, (g2p) =>
    synthesiseSentences(outDir, {
      name: params.out,
      sentences: params.sentences,
      ...(params.engines ? { engines: params.engines } : {}),
      ...(params.voices ? { voices: params.voices } : {}),
      ...(params.fractions ? { fractions: params.fractions } : {}),
      ...(g2p ? { g2p } : {}),
      seed: params.seed,
      onProgress,
      signal,
    }),
  );
  const g2pNote = result.corpus.manifest.g2p;
  return {
    ...created(params.out, result.corpus),
    ...(g2pNote
      ? { g2p: { experiment: g2pNote.experiment, words: Object.keys(g2pNote.words) } }
      : {}),
  };
}

export async function runCorpusValidate(
  params: CorpusValidateParams,
  { dataDir, onProgress, signal }: JobEnvironment,
): Promise<CorpusValidatedResult> {
  const dir = await corpusDir(dataDir, params.corpus);
  const report = await validateCorpus(dir, { onProgress, signal, checkAudio: params.checkAudio });
  // Remember the outcome for the corpus list; a corpus too broken to read has no revision.
  const revision = await readCorpus(dir).then(
    (corpus) => corpus.manifest.revision,
    () => -1,
  );
  if (revision >= 0) {
    const stored: StoredValidation = {
      revision,
      ok: report.ok,
      problems: report.problems.length,
      at: new Date().toISOString(),
    };
    await mkdir(join(dir, STATE_DIR), { recursive: true });
    // Under the lock, as every atomic write in a corpus (see removeStrayTempFiles).
    await withCorpusLock(dir, () => writeJsonAtomically(join(dir, VALIDATION_FILE), stored));
  }
  return {
    corpus: params.corpus,
    ok: report.ok,
    problems: report.problems.slice(0, 500),
    counts: report.counts,
  };
}

export async function runCorpusExport(
  params: CorpusExportParams,
  { dataDir, onProgress, signal }: JobEnvironment,
): Promise<CorpusExportedResult> {
  const corpus = await readCorpus(await corpusDir(dataDir, params.corpus));
  // Earlier exports are kept: a new one goes to the next free folder name.
  let folder = join(EXPORTS_DIR, `${params.corpus}-${params.format}`);
  for (let n = 2; await exists(join(dataDir, folder)); n++)
    folder = join(EXPORTS_DIR, `${params.corpus}-${params.format}-${n}`);
  const outDir = await resolveInDataFolder(dataDir, folder);
  onProgress?.({ fraction: 0, message: `exporting ${params.corpus} as ${params.format}` });
  let written: string[];
  if (params.format === 'kaldi')
    written = await exportKaldi(corpus, outDir, { onProgress, signal });
  else if (params.format === 'textgrid')
    written = await exportTextGrids(corpus, outDir, { onProgress, signal });
  else if (params.format === 'text') written = await exportText(corpus, outDir, 'plain');
  else written = await exportText(corpus, outDir, params.format);
  if (written.length === 0)
    throw new UnfoldError('EXPORT_EMPTY', `${params.corpus} has nothing to export.`);
  return { corpus: params.corpus, format: params.format, folder, files: written.length };
}
