/**
 * The figures the experiments table shows for a run, each with where it comes from. metrics.json
 * keeps one record per evaluation under `evaluations`, each with the corpus folder and the split
 * it was computed on (several splits joined with '+', as the held-out-speaker test selection
 * is): keyed `<split>` on the run's own corpus and `<corpus>/<split>` on another. Folders written
 * before that distinction have `unfold eval --corpus OTHER --split test` under the own key
 * `test`, told apart only by the corpus folder in the record. The table says which evaluation a
 * figure is, or 41% on another corpus reads like the run's test accuracy.
 */

import { HELD_OUT_SPLITS } from '@api/experiment-config';
import type { ExperimentListItem } from '@api/experiments';

export interface HeadlineFigure {
  value: number;
  /** Where the figure comes from, as the table shows it: "test", "dev, best epoch", "test of fsdd". */
  source: string;
}

type MetricsOwner = Pick<ExperimentListItem, 'corpus' | 'metrics'>;
type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The last segment of a corpus name or folder path: what a corpus is called. */
function corpusName(nameOrPath: string): string {
  return (
    nameOrPath
      .replace(/[/\\]+$/, '')
      .split(/[/\\]/)
      .pop() ?? nameOrPath
  );
}

/**
 * How good a stand-in for the run's test figure an evaluation's split is (lower is better):
 * the test split or the held-out test part (a corpus of one split), a selection that includes
 * the test split (held-out speaker), the dev split or part. Others (an evaluation on the
 * training split) are never the headline.
 */
export function splitRank(split: string): number | null {
  if (split === 'test' || split === HELD_OUT_SPLITS.test) return 0;
  if (split.split('+').includes('test')) return 1;
  if (split === 'dev' || split === HELD_OUT_SPLITS.dev) return 2;
  return null;
}

interface Candidate {
  split: string;
  record: Json;
  /** The corpus evaluated on, by name, when it is not the run's own. */
  otherCorpus: string | null;
  rank: number;
}

/** The corpus of an evaluation by name, or null when it is the run's own. */
function otherCorpusOf(key: string, record: Json, own: string): string | null {
  const slash = key.indexOf('/');
  if (slash >= 0) return key.slice(0, slash);
  if (typeof record.corpus === 'string' && corpusName(record.corpus) !== own)
    return corpusName(record.corpus);
  return null;
}

function candidates(item: MetricsOwner): Candidate[] {
  const evaluations = item.metrics.evaluations;
  if (!isObject(evaluations)) return [];
  const own = corpusName(item.corpus);
  const out: Candidate[] = [];
  for (const [key, record] of Object.entries(evaluations)) {
    if (!isObject(record)) continue;
    const split = typeof record.split === 'string' ? record.split : key.slice(key.indexOf('/') + 1);
    const rank = splitRank(split);
    if (rank === null) continue;
    out.push({ split, record, otherCorpus: otherCorpusOf(key, record, own), rank });
  }
  // The run's own corpus first, then by split; the key order of metrics.json breaks ties.
  return out.sort(
    (a, b) => Number(a.otherCorpus !== null) - Number(b.otherCorpus !== null) || a.rank - b.rank,
  );
}

/** The speakers a words evaluation covered (its per-speaker accuracy), when it lists them. */
function evaluatedSpeakers(record: Json): string[] | null {
  if (!Array.isArray(record.perSpeaker)) return null;
  return record.perSpeaker
    .map((entry: unknown) => (isObject(entry) ? entry.group : undefined))
    .filter((group): group is string => typeof group === 'string');
}

/**
 * "test"; "test, 1 voice" when one speaker is all it has heard; "jackson in train+test" for a
 * held-out speaker's items across splits (the splits alone would read like training data);
 * " of fsdd" added for another corpus.
 */
function describeSource(candidate: Candidate): string {
  const speakers = evaluatedSpeakers(candidate.record);
  const oneVoice = speakers?.length === 1 ? speakers[0] : undefined;
  let source = candidate.split;
  if (oneVoice !== undefined)
    source = candidate.split.includes('+') ? `${oneVoice} in ${source}` : `${source}, 1 voice`;
  if (candidate.otherCorpus !== null) source += ` of ${candidate.otherCorpus}`;
  return source;
}

function pick(item: MetricsOwner, read: (record: Json) => unknown): HeadlineFigure | null {
  for (const candidate of candidates(item)) {
    const value = read(candidate.record);
    if (typeof value === 'number' && Number.isFinite(value))
      return { value, source: describeSource(candidate) };
  }
  return null;
}

/**
 * The run's accuracy: its test evaluation (else dev), the own corpus's before another's; without
 * one, the dev accuracy of training's best epoch. Training's best figure is an accuracy only when
 * the run had a dev set (without one the best epoch is chosen by the training loss).
 */
export function headlineAccuracy(item: MetricsOwner): HeadlineFigure | null {
  const evaluated = pick(item, (record) => record.accuracy ?? record.frameAccuracy);
  if (evaluated) return evaluated;
  const training = item.metrics.training;
  if (!isObject(training) || typeof training.bestMetric !== 'number') return null;
  // A run that chose its best epoch by dev loss (language models) has no accuracy to show;
  // runs recorded before `monitor` existed chose by accuracy.
  if (training.monitor === 'loss') return null;
  // The last epoch's record has a dev accuracy exactly when the run had a dev set.
  const final = training.final;
  if (!isObject(final) || typeof final.devAccuracy !== 'number') return null;
  return { value: training.bestMetric, source: 'dev, best epoch' };
}

/** The phone error rate of the same choice of evaluation (phones runs only). */
export function headlinePhoneErrorRate(item: MetricsOwner): HeadlineFigure | null {
  return pick(item, (record) => {
    const per = record.phoneErrorRate;
    return isObject(per) ? per.rate : per;
  });
}

/** 0.9756 -> "97.6%": the table's precision (one error in 1,000 items shows). */
export function percentText(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}
