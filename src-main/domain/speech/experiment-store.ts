import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { UnfoldError } from '../errors';
import { writeJsonAtomically, writeFileAtomically } from '../fs/atomic-write';
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
} as const;

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

  static async open(dir: string, fresh: boolean): Promise<ExperimentLog> {
    const log = new ExperimentLog(join(dir, EXPERIMENT_FILES.log));
    if (!fresh) {
      const text = await readFile(log.path, 'utf8').catch(() => '');
      log.lines = text.split('\n').filter((l) => l.trim() !== '');
    }
    return log;
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
