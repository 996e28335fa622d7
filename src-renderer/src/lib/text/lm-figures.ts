/**
 * A language model's figures for the Text view: each evaluation in metrics.json (its own
 * corpus's splits first, test before dev, then other corpora) with the model's perplexity, bits
 * per character for a character model, and the baselines scored on the same units. Lower is
 * better for all of them.
 */
import { splitRank } from '../train/headline-figures';

export interface LmFigureRow {
  /** The evaluation's key in metrics.json. */
  key: string;
  /** "test", "dev", "test of brown". */
  evaluated: string;
  perplexity: number;
  bitsPerCharacter: number | null;
  unigramPerplexity: number | null;
  kneserNey: { order: number; perplexity: number } | null;
  units: number | null;
  unknownUnits: number | null;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const numberOr = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

export function lmEvaluationRows(metrics: Readonly<Json>): LmFigureRow[] {
  const evaluations = metrics.evaluations;
  if (!isObject(evaluations)) return [];
  const rows: { row: LmFigureRow; order: number }[] = [];
  for (const [key, record] of Object.entries(evaluations)) {
    if (!isObject(record)) continue;
    const perplexity = numberOr(record.perplexity);
    if (perplexity === null) continue;
    const slash = key.indexOf('/');
    const split = typeof record.split === 'string' ? record.split : key.slice(slash + 1);
    const other = slash >= 0 ? key.slice(0, slash) : null;
    const knOrder = numberOr(record.kneserNeyOrder);
    const kneserNey = numberOr(record.kneserNeyPerplexity);
    rows.push({
      row: {
        key,
        evaluated: other === null ? split : `${split} of ${other}`,
        perplexity,
        bitsPerCharacter: numberOr(record.bitsPerCharacter),
        unigramPerplexity: numberOr(record.unigramPerplexity),
        kneserNey:
          knOrder !== null && kneserNey !== null ? { order: knOrder, perplexity: kneserNey } : null,
        units: numberOr(record.units),
        unknownUnits: numberOr(record.unknownUnits),
      },
      // Own corpus first; test, then dev, then other splits (training text), in key order.
      order: (other === null ? 0 : 10) + (splitRank(split) ?? 5),
    });
  }
  // A stable sort: equal orders keep the key order of metrics.json.
  return rows.sort((a, b) => a.order - b.order).map(({ row }) => row);
}
