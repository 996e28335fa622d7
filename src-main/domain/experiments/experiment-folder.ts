/**
 * The one owner of an experiment folder's layout: where experiments live, what a run writes,
 * which folders are experiments, leftovers of killed writes, and where the corpus was.
 */
import { mkdir, readdir, readFile, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { atomicWriteTarget, writeJsonAtomically } from '../fs/atomic-write';
import { isExperimentFormat } from './config/common-config';
import { filesStamp } from '../fs/files-stamp';

/** Experiments live in `<data folder>/experiments/<name>/`. */
export const EXPERIMENTS_DIR = 'experiments';

export const EXPERIMENT_FILES = {
  config: 'config.json',
  labels: 'labels.json',
  /** The best model, and the files its task keeps beside it (what its outputs mean). */
  modelFolder: 'model',
  model: join('model', 'model.json'),
  checkpoints: 'checkpoints',
  log: 'log.jsonl',
  metrics: 'metrics.json',
  /** Evaluations on the experiment's own corpus: eval/<split>/. */
  evaluations: 'eval',
  /** Evaluations on other corpora: eval-on/<corpus>/<split>/. */
  otherCorpusEvaluations: 'eval-on',
  /** Where the corpus was when the experiment was trained (see recordCorpusLocation). */
  corpusLocation: 'corpus-location.json',
} as const;

/** An evaluation's own files, inside its folder. */
export const EVALUATION_FILES = {
  predictions: 'predictions.json',
  confusion: 'confusion.json',
} as const;

/**
 * What a run writes in an experiment folder: a new run (not a resumed one) replaces exactly
 * these and the task files of older runs (`taskFiles`, kept at the top level before they moved
 * into model/); anything else in the folder (the user's notes) is left alone.
 */
function runEntries(taskFiles: readonly string[]): string[] {
  return [
    EXPERIMENT_FILES.config,
    EXPERIMENT_FILES.labels,
    EXPERIMENT_FILES.modelFolder,
    EXPERIMENT_FILES.checkpoints,
    EXPERIMENT_FILES.log,
    EXPERIMENT_FILES.metrics,
    EXPERIMENT_FILES.evaluations,
    EXPERIMENT_FILES.otherCorpusEvaluations,
    EXPERIMENT_FILES.corpusLocation,
    ...taskFiles,
  ];
}

/** What a resumed run keeps of the interrupted one; everything else of a run is redone. */
const KEPT_ON_RESUME: ReadonlySet<string> = new Set([
  EXPERIMENT_FILES.checkpoints,
  EXPERIMENT_FILES.log,
]);

function looksLikePath(value: string): boolean {
  return isAbsolute(value) || value.includes('/') || value.includes('\\') || value.startsWith('.');
}

/** An experiment folder: a path as given, else a name in the data folder. */
export function experimentDir(nameOrPath: string, dataDir: string): string {
  return looksLikePath(nameOrPath)
    ? resolve(nameOrPath)
    : join(dataDir, EXPERIMENTS_DIR, nameOrPath);
}

export async function readJsonOr<T>(path: string, fallback: T): Promise<T> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return fallback;
  }
}

export async function ensureDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
}

async function filesUnder(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => null);
  if (!info) return [];
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  return entries.filter((e) => !e.isDirectory()).map((e) => join(e.parentPath, e.name));
}

export interface ExperimentFolderState {
  /** missing or empty: free to use; experiment: has an Unfold config.json; other: anything else. */
  kind: 'missing' | 'empty' | 'experiment' | 'other';
  /** For an experiment: the files (relative to the folder) that starting over deletes. */
  runFiles: string[];
}

/** What is in a folder a run is about to use, so that nothing but an experiment is ever replaced. */
export async function inspectExperimentFolder(
  dir: string,
  taskFiles: readonly string[],
): Promise<ExperimentFolderState> {
  const info = await stat(dir).catch(() => null);
  if (!info) return { kind: 'missing', runFiles: [] };
  if (!info.isDirectory()) return { kind: 'other', runFiles: [] };
  if ((await readdir(dir)).length === 0) return { kind: 'empty', runFiles: [] };
  const config = await readJsonOr<{ format?: unknown } | null>(
    join(dir, EXPERIMENT_FILES.config),
    null,
  );
  if (!isExperimentFormat(config?.format)) return { kind: 'other', runFiles: [] };
  const runFiles: string[] = [];
  for (const entry of runEntries(taskFiles))
    for (const file of await filesUnder(join(dir, entry))) runFiles.push(relative(dir, file));
  return { kind: 'experiment', runFiles: runFiles.sort() };
}

/**
 * Clears a previous run's files before a new run: all of them, or for a resumed run all but
 * its checkpoints and log.
 */
export async function clearPreviousRun(
  dir: string,
  taskFiles: readonly string[],
  { resume }: { resume: boolean },
): Promise<void> {
  for (const entry of runEntries(taskFiles)) {
    if (resume && KEPT_ON_RESUME.has(entry)) continue;
    await rm(join(dir, entry), { recursive: true, force: true });
  }
}

/** The files an experiment writes atomically at its top level, by name. */
const TOP_LEVEL_ATOMIC_FILES: ReadonlySet<string> = new Set([
  EXPERIMENT_FILES.config,
  EXPERIMENT_FILES.labels,
  EXPERIMENT_FILES.log,
  EXPERIMENT_FILES.metrics,
  EXPERIMENT_FILES.corpusLocation,
]);

/**
 * A temporary file lives for one write (milliseconds): one this old is a leftover even while
 * another process (a training job) is writing into the same experiment.
 */
export const STRAY_TEMP_FILE_AGE_MS = 60_000;

async function subfolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => join(dir, e.name));
}

/** Every folder below `dir` (itself included) down to `depth` levels. */
async function foldersDown(dir: string, depth: number): Promise<string[]> {
  const out = [dir];
  if (depth > 0)
    for (const sub of await subfolders(dir)) out.push(...(await foldersDown(sub, depth - 1)));
  return out;
}

/**
 * Removes the temporary files a killed run left in an experiment folder (only leftovers of the
 * experiment's own atomic writes: at the top level its known files and older task files, and
 * anything in its model, checkpoint and evaluation folders, which are wholly the run's);
 * returns them, relative to the folder. Training (the only writer of its folder) removes them
 * all; readers (evaluation, the list) pass `olderThanMs` so that a write under way in another
 * process is never cut.
 */
export async function removeStrayTempFiles(
  dir: string,
  { olderThanMs = 0, taskFiles = [] }: { olderThanMs?: number; taskFiles?: readonly string[] } = {},
): Promise<string[]> {
  const topLevel = new Set([...TOP_LEVEL_ATOMIC_FILES, ...taskFiles]);
  const owned = [
    ...(await foldersDown(join(dir, EXPERIMENT_FILES.modelFolder), 0)),
    ...(await foldersDown(join(dir, EXPERIMENT_FILES.checkpoints), 1)),
    // eval/<split>/<item outputs>/ and eval-on/<corpus>/<split>/<item outputs>/
    ...(await foldersDown(join(dir, EXPERIMENT_FILES.evaluations), 2)),
    ...(await foldersDown(join(dir, EXPERIMENT_FILES.otherCorpusEvaluations), 3)),
  ];
  const removed: string[] = [];
  for (const [folder, isStray] of [
    [dir, (target: string) => topLevel.has(target)] as const,
    ...owned.map((folder) => [folder, () => true] as const),
  ]) {
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const target = entry.isFile() ? atomicWriteTarget(entry.name) : null;
      if (target === null || !isStray(target)) continue;
      if (olderThanMs > 0) {
        const modified = await stat(join(folder, entry.name)).then(
          (info) => info.mtimeMs,
          () => Date.now(),
        );
        if (Date.now() - modified < olderThanMs) continue;
      }
      await rm(join(folder, entry.name), { force: true });
      removed.push(relative(dir, join(folder, entry.name)));
    }
  }
  return removed;
}

/** Where an experiment's corpus was found when it was trained. */
export interface CorpusLocation {
  /** The data folder of that run. */
  dataDir: string;
  /** The corpus folder itself. */
  corpusDir: string;
}

/**
 * Records where the corpus was, so that an experiment opened by path later (`unfold eval
 * path/to/exp`) finds it without `--data` being repeated.
 */
export async function recordCorpusLocation(dir: string, location: CorpusLocation): Promise<void> {
  await writeJsonAtomically(join(dir, EXPERIMENT_FILES.corpusLocation), location);
}

/** The recorded corpus folder when it still exists, else null. */
export async function recordedCorpusDir(dir: string): Promise<string | null> {
  const location = await readJsonOr<Partial<CorpusLocation> | null>(
    join(dir, EXPERIMENT_FILES.corpusLocation),
    null,
  );
  if (typeof location?.corpusDir !== 'string') return null;
  const exists = await stat(location.corpusDir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  return exists ? location.corpusDir : null;
}

/** When the experiment was created (its config file's birth time), null if unknown. */
export async function experimentCreated(dir: string): Promise<string | null> {
  return stat(join(dir, EXPERIMENT_FILES.config)).then(
    (s) => s.birthtime.toISOString(),
    () => null,
  );
}

/** The best model's file: what a recogniser loads and what saved outputs are compared with. */
export function experimentModelFile(dir: string): string {
  return join(dir, EXPERIMENT_FILES.model);
}

/** When the best model was last written (ms), null before training ends. */
export async function experimentModelTime(dir: string): Promise<number | null> {
  return stat(experimentModelFile(dir)).then(
    (s) => s.mtimeMs,
    () => null,
  );
}

/** The files a trained model is loaded from (with what its outputs mean). */
const TRAINED_MODEL_FILES = [
  EXPERIMENT_FILES.config,
  EXPERIMENT_FILES.labels,
  EXPERIMENT_FILES.model,
  join(EXPERIMENT_FILES.modelFolder, 'weights.bin'),
];

/**
 * Identity, size and modification time of the trained model's files: changes when the
 * experiment is retrained (atomic writes replace a file, so its inode changes even within one
 * millisecond). What a cache of loaded models compares.
 */
export function trainedModelStamp(dir: string): Promise<string> {
  return filesStamp(TRAINED_MODEL_FILES.map((file) => join(dir, file)));
}

/** Whether a folder holds no experiment, one whose training has not finished, or a trained one. */
export async function experimentTrainingState(
  dir: string,
): Promise<'missing' | 'untrained' | 'trained'> {
  const isFile = (file: string): Promise<boolean> =>
    stat(join(dir, file)).then(
      (s) => s.isFile(),
      () => false,
    );
  if (!(await isFile(EXPERIMENT_FILES.config))) return 'missing';
  const trained = (await isFile(EXPERIMENT_FILES.labels)) && (await isFile(EXPERIMENT_FILES.model));
  return trained ? 'trained' : 'untrained';
}

/**
 * A cross-validation's folder: what was asked (the config every fold starts from, the number of
 * folds) and, as folds finish, the summary. Its folds are ordinary experiments beside it, named
 * `<name>-fold-<k>` (k padded to the width of the fold count, so the list sorts them), so the
 * experiments list and every view show each fold as the experiment it is.
 */
export const CROSS_VALIDATION_FILES = {
  plan: 'cross-validation.json',
  summary: 'summary.json',
} as const;

/** The name of a fold's experiment. */
export function foldExperimentName(name: string, fold: number, folds: number): string {
  return `${name}-fold-${String(fold).padStart(String(folds).length, '0')}`;
}

/** A fold's experiment folder, beside the cross-validation's. */
export function foldExperimentDir(crossValidationDir: string, fold: number, folds: number): string {
  return join(
    dirname(crossValidationDir),
    foldExperimentName(basename(crossValidationDir), fold, folds),
  );
}

/** Whether a folder holds a cross-validation (its plan file). */
export async function isCrossValidationFolder(dir: string): Promise<boolean> {
  return stat(join(dir, CROSS_VALIDATION_FILES.plan)).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * Removes a previous cross-validation's files and the runs of its folds' experiments that the
 * new one does not reuse (`keep`: their names), and those folders when nothing else is left in
 * them. A fold folder that is not an experiment is left alone.
 */
export async function clearCrossValidation(
  dir: string,
  previousFolds: readonly string[],
  { keep, taskFiles }: { keep: readonly string[]; taskFiles: readonly string[] },
): Promise<void> {
  for (const name of previousFolds) {
    if (keep.includes(name) || basename(name) !== name) continue;
    const foldDir = join(dirname(dir), name);
    if ((await inspectExperimentFolder(foldDir, taskFiles)).kind !== 'experiment') continue;
    await clearPreviousRun(foldDir, taskFiles, { resume: false });
    await rmdir(foldDir).catch(() => undefined);
  }
  for (const file of Object.values(CROSS_VALIDATION_FILES))
    await rm(join(dir, file), { force: true });
}
