/**
 * Scoring a sequence-to-sequence model's best outputs against their references: word and phone
 * (symbol) error rates for every scoring, BLEU and chrF for translation; per item its output,
 * its closest reference and their edit-distance alignment; the worst items (most edits against
 * the closest reference per reference symbol); for g2p the phone confusions of the alignments.
 */
import type { Seq2seqScoring } from '../../experiments/config/seq2seq-config';
import type { AlignmentStep } from '../../metrics/edit-distance';
import type { ConfusionMatrix } from '../../metrics/classification';
import { sequenceErrorRates } from './error-rates';
import type { SequenceErrorRates } from './error-rates';
import type { ReferenceItem } from './sequence-pairs';
import { joinSymbols } from './symbol-tables';
import type { Seq2seqLabels } from './symbol-tables';
import type { DecodedSource } from './translate-sources';
import { corpusBleu, corpusChrf } from './translation-scores';
import type { BleuScore } from './translation-scores';

/** How many worst items and confusions the details keep. */
export const LISTED_ITEMS = 20;
/** The gap symbol of an insertion or deletion in the confusion matrix. */
export const GAP = '∅';

export interface Seq2seqPrediction {
  /** The source's id, `<split>:<line>` (named like every task's item id). */
  utteranceId: string;
  source: string;
  /** The best output as text. */
  predicted: string;
  /** The closest reference (by edits), and how many references the source has. */
  reference: string;
  references: number;
  correct: boolean;
  errors: number;
  /** The output's score (length-normalised log-probability). */
  score: number;
  /** Source symbols training never saw. */
  unknownSymbols: string[];
  alignment: AlignmentStep<string>[];
}

export interface Seq2seqEvaluation {
  task: 'seq2seq';
  scoring: Seq2seqScoring;
  items: number;
  rates: SequenceErrorRates;
  /** Translation only (0-100); 0 for g2p. */
  bleu: number;
  bleuDetails: BleuScore | null;
  chrf: number;
  /** Items with a source symbol training never saw. */
  itemsWithUnknownSymbols: number;
  /** Outputs that hit the length limit without an end symbol. */
  unfinished: number;
  summary: Record<string, unknown>;
  worst: Seq2seqPrediction[];
  /** Most frequent reference -> output substitutions, deletions (-> ∅) and insertions (∅ ->). */
  topConfusions: { reference: string; output: string; count: number }[];
  predictions: Seq2seqPrediction[];
  confusion: ConfusionMatrix;
}

/** Substitutions, deletions and insertions over the target symbols plus the gap (g2p). */
function alignmentConfusion(
  alignments: readonly AlignmentStep<string>[][],
  symbols: readonly string[],
): ConfusionMatrix {
  const labels = [...symbols, GAP];
  const index = new Map(labels.map((label, i) => [label, i]));
  const counts = labels.map(() => new Array<number>(labels.length).fill(0));
  for (const alignment of alignments)
    for (const step of alignment) {
      const r = index.get(step.ref ?? GAP);
      const h = index.get(step.hyp ?? GAP);
      const row = r === undefined ? undefined : counts[r];
      if (row && h !== undefined) row[h] = (row[h] as number) + 1;
    }
  return { labels, counts };
}

function topConfusionsOf(
  confusion: ConfusionMatrix,
): { reference: string; output: string; count: number }[] {
  const out: { reference: string; output: string; count: number }[] = [];
  confusion.counts.forEach((row, r) =>
    row.forEach((count, h) => {
      if (r !== h && count > 0)
        out.push({
          reference: confusion.labels[r] as string,
          output: confusion.labels[h] as string,
          count,
        });
    }),
  );
  return out.sort((a, b) => b.count - a.count).slice(0, LISTED_ITEMS);
}

export function scoreSeq2seq(
  items: readonly ReferenceItem[],
  decoded: readonly DecodedSource[],
  labels: Pick<Seq2seqLabels, 'labels' | 'levels'>,
  scoring: Seq2seqScoring,
): Seq2seqEvaluation {
  const outputs = decoded.map((d) => d.nBest[0]?.symbols ?? []);
  const { rates, closest } = sequenceErrorRates(
    items.map((item, i) => ({ references: item.references, hypothesis: outputs[i] ?? [] })),
  );
  const level = labels.levels.target;
  const predictions: Seq2seqPrediction[] = items.map((item, i) => {
    const c = closest[i] as (typeof closest)[number];
    return {
      utteranceId: item.id,
      source: item.sourceText,
      predicted: joinSymbols(outputs[i] ?? [], level),
      reference: joinSymbols(c.reference, level),
      references: item.references.length,
      correct: c.errors === 0,
      errors: c.errors,
      score: decoded[i]?.nBest[0]?.score ?? -Infinity,
      unknownSymbols: decoded[i]?.unknownSymbols ?? [],
      alignment: c.alignment,
    };
  });
  const texts = items.map((item, i) => ({
    hypothesis: joinSymbols(outputs[i] ?? [], level),
    references: item.references.map((r) => joinSymbols(r, level)),
  }));
  const bleuDetails = scoring === 'translation' ? corpusBleu(texts) : null;
  const chrf = scoring === 'translation' ? corpusChrf(texts) : 0;
  const confusion =
    scoring === 'g2p'
      ? alignmentConfusion(
          predictions.map((p) => p.alignment),
          labels.labels.slice(2),
        )
      : { labels: [], counts: [] };
  const perSymbol = (p: Seq2seqPrediction): number =>
    p.errors / Math.max(1, p.alignment.filter((step) => step.ref !== null).length);
  const worst = predictions
    .filter((p) => !p.correct)
    .sort((a, b) => perSymbol(b) - perSymbol(a))
    .slice(0, LISTED_ITEMS);
  const itemsWithUnknownSymbols = predictions.filter((p) => p.unknownSymbols.length > 0).length;
  const unfinished = decoded.filter((d) => d.nBest[0]?.finished === false).length;
  const summary: Record<string, unknown> =
    scoring === 'g2p'
      ? {
          items: rates.items,
          wordErrorRate: rates.wordErrorRate,
          phoneErrorRate: rates.phoneErrorRate,
        }
      : {
          items: rates.items,
          bleu: bleuDetails?.score ?? 0,
          chrf,
          sentenceErrorRate: rates.wordErrorRate,
        };
  if (itemsWithUnknownSymbols > 0) summary.itemsWithUnknownSymbols = itemsWithUnknownSymbols;
  if (unfinished > 0) summary.unfinished = unfinished;
  return {
    task: 'seq2seq',
    scoring,
    items: rates.items,
    rates,
    bleu: bleuDetails?.score ?? 0,
    bleuDetails,
    chrf,
    itemsWithUnknownSymbols,
    unfinished,
    summary,
    worst,
    topConfusions: scoring === 'g2p' ? topConfusionsOf(confusion) : [],
    predictions,
    confusion,
  };
}
