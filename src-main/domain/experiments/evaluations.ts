/**
 * Where an experiment's evaluations are kept, one per corpus and split, so that evaluating on
 * another corpus never replaces the experiment's own results: on its own corpus in
 * eval/<split>/ (metrics.json key `<split>`), on another in eval-on/<corpus>/<split>/ (key
 * `<corpus>/<split>`; corpus and split names cannot hold a slash).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConfusionMatrix } from '../metrics/classification';
import { writeFileAtomically, writeJsonAtomically } from '../fs/atomic-write';
import { EVALUATION_FILES, EXPERIMENT_FILES, ensureDir, readJsonOr } from './experiment-folder';
import { ExperimentLog } from './experiment-log';
import type { EvaluationRef } from './evaluation-ref';
import { evaluationKey } from './evaluation-ref';
import { readMetrics, updateMetrics } from './experiment-metrics';

export type { EvaluationRef } from './evaluation-ref';

function evaluationFolder(dir: string, ref: EvaluationRef): string {
  return ref.corpus === null
    ? join(dir, EXPERIMENT_FILES.evaluations, ref.split)
    : join(dir, EXPERIMENT_FILES.otherCorpusEvaluations, ref.corpus, ref.split);
}

/** Per-item outputs kept with an evaluation (phones: each utterance's posteriors as .npy). */
export interface ItemOutputs {
  /** The folder inside the evaluation's, e.g. 'posteriors'. */
  folder: string;
  /** The file name's ending, e.g. '.npy'. */
  extension: string;
  items: { id: string; bytes: Uint8Array }[];
}

/** What is kept of an evaluation, whatever its task. */
export interface EvaluationRecord {
  /** The brief figures: in metrics.json and in the log line. */
  summary: Record<string, unknown>;
  /** Longer tables (per class, per speaker, ...): in metrics.json only. */
  details: Record<string, unknown>;
  /** Items skipped while loading (unreadable audio, ...). */
  skipped: string[];
  /** One record per evaluated item (an utterance, a sentence): what the Evaluate view lists. */
  predictions: unknown[];
  confusion: ConfusionMatrix;
  itemOutputs?: ItemOutputs;
}

export interface EvaluationToStore extends EvaluationRecord {
  /** The folder of the corpus evaluated on (recorded with the predictions). */
  corpusDir: string;
}

/**
 * Writes an evaluation: its item outputs, predictions.json (per item, with the corpus folder),
 * confusion.json, its record in metrics.json and a line in the log.
 */
export async function storeEvaluation(
  dir: string,
  ref: EvaluationRef,
  evaluation: EvaluationToStore,
): Promise<void> {
  const folder = evaluationFolder(dir, ref);
  await ensureDir(folder);
  if (evaluation.itemOutputs) {
    const { folder: sub, extension, items } = evaluation.itemOutputs;
    await ensureDir(join(folder, sub));
    for (const item of items)
      await writeFileAtomically(join(folder, sub, `${item.id}${extension}`), item.bytes);
  }
  await writeJsonAtomically(join(folder, EVALUATION_FILES.predictions), {
    corpus: evaluation.corpusDir,
    split: ref.split,
    predictions: evaluation.predictions,
  });
  await writeJsonAtomically(join(folder, EVALUATION_FILES.confusion), evaluation.confusion);
  const time = new Date().toISOString();
  const brief = {
    corpus: evaluation.corpusDir,
    split: ref.split,
    skipped: evaluation.skipped,
    time,
    ...evaluation.summary,
  };
  await updateMetrics(dir, {
    evaluations: { [evaluationKey(ref)]: { ...brief, ...evaluation.details } },
  });
  const log = await ExperimentLog.open(dir, false);
  await log.append({ type: 'evaluation', ...brief, time, split: ref.split });
}

export interface StoredEvaluation {
  /** The folder of the corpus evaluated on, as recorded; null if unknown. */
  corpus: string | null;
  /** The evaluation's record in metrics.json, if any. */
  summary: Record<string, unknown> | null;
  confusion: ConfusionMatrix;
  predictions: unknown[];
}

/** A stored evaluation, or null when there is none for that corpus and split. */
export async function readEvaluation(
  dir: string,
  ref: EvaluationRef,
): Promise<StoredEvaluation | null> {
  const folder = evaluationFolder(dir, ref);
  const confusion = await readJsonOr<ConfusionMatrix | null>(
    join(folder, EVALUATION_FILES.confusion),
    null,
  );
  if (confusion === null) return null;
  const predictions = await readJsonOr<{ corpus?: unknown; predictions?: unknown[] }>(
    join(folder, EVALUATION_FILES.predictions),
    {},
  );
  const metrics = await readMetrics(dir);
  return {
    corpus: typeof predictions.corpus === 'string' ? predictions.corpus : null,
    summary: metrics.evaluations?.[evaluationKey(ref)] ?? null,
    confusion,
    predictions: predictions.predictions ?? [],
  };
}

/** The corpus folder an evaluation ran on (recorded with its predictions), null if unknown. */
export async function evaluatedCorpusDir(dir: string, ref: EvaluationRef): Promise<string | null> {
  const predictions = await readJsonOr<{ corpus?: unknown }>(
    join(evaluationFolder(dir, ref), EVALUATION_FILES.predictions),
    {},
  );
  return typeof predictions.corpus === 'string' ? predictions.corpus : null;
}

async function hasConfusion(folder: string): Promise<boolean> {
  return stat(join(folder, EVALUATION_FILES.confusion)).then(
    (s) => s.isFile(),
    () => false,
  );
}

async function sortedEntries(folder: string): Promise<string[]> {
  return (await readdir(folder).catch(() => [] as string[])).sort();
}

/** The evaluations on disk: the own corpus's splits first, then other corpora's. */
export async function listEvaluations(dir: string): Promise<EvaluationRef[]> {
  const out: EvaluationRef[] = [];
  const own = join(dir, EXPERIMENT_FILES.evaluations);
  for (const split of await sortedEntries(own))
    if (await hasConfusion(join(own, split))) out.push({ corpus: null, split });
  const others = join(dir, EXPERIMENT_FILES.otherCorpusEvaluations);
  for (const corpus of await sortedEntries(others))
    for (const split of await sortedEntries(join(others, corpus)))
      if (await hasConfusion(join(others, corpus, split))) out.push({ corpus, split });
  return out;
}

/** One item's stored output of an evaluation with when it was written, or null. */
export async function readItemOutput(
  dir: string,
  ref: EvaluationRef,
  output: { folder: string; extension: string; id: string },
): Promise<{ bytes: Uint8Array; modifiedMs: number } | null> {
  const path = join(evaluationFolder(dir, ref), output.folder, `${output.id}${output.extension}`);
  const info = await stat(path).catch(() => null);
  if (!info) return null;
  const bytes = await readFile(path).catch(() => null);
  return bytes ? { bytes, modifiedMs: info.mtimeMs } : null;
}
