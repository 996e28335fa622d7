import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { PHONE_FOLDING_NAME } from '../corpus/phone-folding';
import { UnfoldError } from '../errors';
import { atomicWriteTarget, writeJsonAtomically, writeFileAtomically } from '../fs/atomic-write';
import type { ExperimentConfig } from './experiment-config';
import { parseExperimentConfig } from './experiment-config';

/** Experiments live in `<data folder>/experiments/<name>/`. */
export const EXPERIMENTS_DIR = 'experiments';

export const EXPERIMENT_FILES = {
  config: 'config.json',
  labels: 'labels.json',
  model: join('model', 'model.json'),
  checkpoints: 'checkpoints',
  log: 'log.jsonl',
  metrics: 'metrics.json',
  evaluations: 'eval',
  /** Where the corpus was when the experiment was trained (see recordCorpusLocation). */
  corpusLocation: 'corpus-location.json',
} as const;

/** config.json's `format`: what tells an experiment folder from any other folder. */
const EXPERIMENT_FORMAT = 'unfold-speech-experiment';

/**
 * What a run writes in an experiment folder: a new run (not a resumed one) replaces exactly
 * these; anything else in the folder (the user's notes) is left alone.
 */
export const EXPERIMENT_RUN_ENTRIES: readonly string[] = [
  EXPERIMENT_FILES.config,
  EXPERIMENT_FILES.labels,
  'model',
  EXPERIMENT_FILES.checkpoints,
  EXPERIMENT_FILES.log,
  EXPERIMENT_FILES.metrics,
  EXPERIMENT_FILES.evaluations,
  EXPERIMENT_FILES.corpusLocation,
  PHONE_FOLDING_NAME,
];

/** What the network's outputs mean, stored beside the model. */
export interface ExperimentLabels {
  task: 'words' | 'phones';
  /** Class id -> label (words or phones). */
  labels: string[];
  /** Feature dimension the model reads. */
  inputDims: number;
  /**
   * Mean and standard deviation of the un-normalised training features per dimension: the
   * prior of the running normalisation used when audio arrives live (no whole utterance yet).
   */
  featureMean: number[];
  featureStd: number[];
}

/** One line of log.jsonl. */
export type ExperimentLogLine =
  | ({ type: 'epoch'; time: string } & Record<string, number | string | null>)
  | ({ type: 'evaluation'; time: string; split: string } & Record<string, unknown>)
  | ({ type: 'start' | 'resume' | 'end'; time: string } & Record<string, unknown>);

function looksLikePath(value: string): boolean {
  return isAbsolute(value) || value.includes('/') || value.includes('\\') || value.startsWith('.');
}

/** An experiment folder: a path as given, else a name in the data folder. */
export function experimentDir(nameOrPath: string, dataDir: string): string {
  return looksLikePath(nameOrPath)
    ? resolve(nameOrPath)
    : join(dataDir, EXPERIMENTS_DIR, nameOrPath);
}

export async function readExperimentConfig(dir: string): Promise<ExperimentConfig> {
  let text: string;
  try {
    text = await readFile(join(dir, EXPERIMENT_FILES.config), 'utf8');
  } catch {
    throw new UnfoldError(
      'EXPERIMENT_NOT_FOUND',
      `${dir} is not an experiment: it has no config.json. Train one with \`unfold train\`.`,
    );
  }
  return parseExperimentConfig(JSON.parse(text));
}

export async function readExperimentLabels(dir: string): Promise<ExperimentLabels> {
  try {
    return JSON.parse(
      await readFile(join(dir, EXPERIMENT_FILES.labels), 'utf8'),
    ) as ExperimentLabels;
  } catch {
    throw new UnfoldError(
      'EXPERIMENT_NOT_TRAINED',
      `${dir} has no labels.json: its training did not finish. Train it again with \`unfold train\`.`,
    );
  }
}

/**
 * log.jsonl, rewritten whole and atomically for every new line (it is small: one line per
 * epoch and evaluation), so a reader never sees half a line.
 */
export class ExperimentLog {
  private lines: string[] = [];
  private constructor(private readonly path: string) {}

  /**
   * Opens the log: empty for a fresh run, else with its lines, less the epoch lines of the
   * interrupted run beyond `epochsAfter` (logged before a checkpoint that was never committed).
   */
  static async open(
    dir: string,
    fresh: boolean,
    { epochsAfter = null }: { epochsAfter?: number | null } = {},
  ): Promise<ExperimentLog> {
    const log = new ExperimentLog(join(dir, EXPERIMENT_FILES.log));
    if (!fresh) {
      const text = await readFile(log.path, 'utf8').catch(() => '');
      log.lines = text.split('\n').filter((l) => l.trim() !== '');
      if (epochsAfter !== null) log.dropEpochsAfter(epochsAfter);
    }
    return log;
  }

  /** Drops the epoch lines after the last start or resume whose epoch is beyond `epoch`. */
  private dropEpochsAfter(epoch: number): void {
    let runStart = 0;
    const parsed = this.lines.map((line) => {
      try {
        return JSON.parse(line) as { type?: unknown; epoch?: unknown };
      } catch {
        return {};
      }
    });
    parsed.forEach((p, i) => {
      if (p.type === 'start' || p.type === 'resume') runStart = i;
    });
    this.lines = this.lines.filter((_, i) => {
      const p = parsed[i] ?? {};
      return !(
        i >= runStart &&
        p.type === 'epoch' &&
        typeof p.epoch === 'number' &&
        p.epoch > epoch
      );
    });
  }

  async append(line: ExperimentLogLine): Promise<void> {
    this.lines.push(JSON.stringify(line));
    await writeFileAtomically(this.path, this.lines.join('\n') + '\n');
  }
}

export async function readJsonOr<T>(path: string, fallback: T): Promise<T> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return fallback;
  }
}

/** Merges `patch` into metrics.json (top-level keys), atomically. */
export async function updateMetrics(dir: string, patch: Record<string, unknown>): Promise<void> {
  const path = join(dir, EXPERIMENT_FILES.metrics);
  const current = await readJsonOr<Record<string, unknown>>(path, {});
  const evaluations = {
    ...((current.evaluations as Record<string, unknown> | undefined) ?? {}),
    ...((patch.evaluations as Record<string, unknown> | undefined) ?? {}),
  };
  await writeJsonAtomically(path, { ...current, ...patch, evaluations });
}

export interface ExperimentSummary {
  name: string;
  dir: string;
  task: 'words' | 'phones';
  corpus: string;
  metrics: Record<string, unknown>;
}

/** Every experiment in the data folder with its key metrics (for the list view). */
export async function listExperiments(dataDir: string): Promise<ExperimentSummary[]> {
  const root = join(dataDir, EXPERIMENTS_DIR);
  const names = await readdir(root).catch(() => [] as string[]);
  const out: ExperimentSummary[] = [];
  for (const name of names.sort()) {
    const dir = join(root, name);
    if (
      !(await stat(dir).then(
        (s) => s.isDirectory(),
        () => false,
      ))
    )
      continue;
    try {
      const config = await readExperimentConfig(dir);
      await removeStrayTempFiles(dir, { olderThanMs: STRAY_TEMP_FILE_AGE_MS });
      const metrics = await readJsonOr<Record<string, unknown>>(
        join(dir, EXPERIMENT_FILES.metrics),
        {},
      );
      out.push({ name, dir, task: config.task, corpus: config.corpus, metrics });
    } catch {
      // Not an experiment (or a half-created one): leave it out of the list.
    }
  }
  return out;
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
export async function inspectExperimentFolder(dir: string): Promise<ExperimentFolderState> {
  const info = await stat(dir).catch(() => null);
  if (!info) return { kind: 'missing', runFiles: [] };
  if (!info.isDirectory()) return { kind: 'other', runFiles: [] };
  if ((await readdir(dir)).length === 0) return { kind: 'empty', runFiles: [] };
  const config = await readJsonOr<{ format?: unknown } | null>(
    join(dir, EXPERIMENT_FILES.config),
    null,
  );
  if (config?.format !== EXPERIMENT_FORMAT) return { kind: 'other', runFiles: [] };
  const runFiles: string[] = [];
  for (const entry of EXPERIMENT_RUN_ENTRIES)
    for (const file of await filesUnder(join(dir, entry))) runFiles.push(relative(dir, file));
  return { kind: 'experiment', runFiles: runFiles.sort() };
}

/** The files an experiment writes atomically, by name, in whichever of its folders. */
const ATOMICALLY_WRITTEN: ReadonlySet<string> = new Set([
  EXPERIMENT_FILES.config,
  EXPERIMENT_FILES.labels,
  EXPERIMENT_FILES.log,
  EXPERIMENT_FILES.metrics,
  EXPERIMENT_FILES.corpusLocation,
  PHONE_FOLDING_NAME,
  // checkpoints/: pointers and checkpoint folders; model/; eval/<split>/
  'last.json',
  'best.json',
  'model.json',
  'weights.bin',
  'optimizer.bin',
  'state.json',
  'predictions.json',
  'confusion.json',
]);

/** A leftover temporary file of one of the experiment's own atomic writes. */
function isStrayTempFile(fileName: string): boolean {
  const target = atomicWriteTarget(fileName);
  return target !== null && (ATOMICALLY_WRITTEN.has(target) || target.endsWith('.npy'));
}

/**
 * A temporary file lives for one write (milliseconds): one this old is a leftover even while
 * another process (a training job) is writing into the same experiment.
 */
export const STRAY_TEMP_FILE_AGE_MS = 60_000;

/**
 * Removes the temporary files a killed run left in an experiment folder (only leftovers of the
 * experiment's own atomic writes, in its own folders); returns them, relative to the folder.
 * Training (the only writer of its folder) removes them all; readers (evaluation, the list)
 * pass `olderThanMs` so that a write under way in another process is never cut.
 */
export async function removeStrayTempFiles(
  dir: string,
  { olderThanMs = 0 }: { olderThanMs?: number } = {},
): Promise<string[]> {
  const removed: string[] = [];
  const folders = [dir, join(dir, 'model')];
  const checkpoints = join(dir, EXPERIMENT_FILES.checkpoints);
  folders.push(checkpoints);
  for (const entry of await readdir(checkpoints).catch(() => [] as string[]))
    if (entry.startsWith('ckpt-')) folders.push(join(checkpoints, entry));
  const evaluations = join(dir, EXPERIMENT_FILES.evaluations);
  for (const split of await readdir(evaluations).catch(() => [] as string[]))
    folders.push(join(evaluations, split), join(evaluations, split, 'posteriors'));
  for (const folder of folders) {
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isFile() || !isStrayTempFile(entry.name)) continue;
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
