/** The text tasks' evaluations as `unfold train` and `unfold eval` print them. */
import type { TaggingEvaluation } from '../../domain/text/pos/score-tagging';
import type { SentimentEvaluation } from '../../domain/text/sentiment/score-sentiment';
import type { EvaluationPrinter } from './evaluation-printer';

/** How many confusions and wrong sentences the text lists; --json lists them all. */
const LISTED = 10;

const percent = (value: number | null): string =>
  value === null ? 'n/a' : `${(value * 100).toFixed(2)}%`;

/** The most frequent gold -> predicted confusions, most frequent first. */
export function topConfusions(
  evaluation: Pick<TaggingEvaluation, 'confusion'>,
): { gold: string; predicted: string; count: number }[] {
  const { labels, counts } = evaluation.confusion;
  const pairs: { gold: string; predicted: string; count: number }[] = [];
  counts.forEach((row, g) =>
    row.forEach((count, p) => {
      if (g !== p && count > 0)
        pairs.push({ gold: labels[g] as string, predicted: labels[p] as string, count });
    }),
  );
  return pairs.sort((a, b) => b.count - a.count);
}

export const taggingEvaluationPrinter: EvaluationPrinter<TaggingEvaluation> = {
  json: (evaluation) => ({
    task: 'pos',
    tokens: evaluation.tokens,
    accuracy: evaluation.accuracy,
    unseenTokens: evaluation.unseenTokens,
    unseenAccuracy: evaluation.unseenAccuracy,
    sentences: evaluation.sentences,
    sentenceAccuracy: evaluation.sentenceAccuracy,
    macroF1: evaluation.report.macroF1,
    perTag: evaluation.report.perClass,
    goldTagsOutsideModel: evaluation.goldTagsOutsideModel,
    confusion: evaluation.confusion,
    wrongSentences: evaluation.predictions
      .filter((p) => !p.correct)
      .map((p) => ({ id: p.utteranceId, errors: p.errors })),
  }),
  lines: (evaluation) => {
    const lines = [
      `token accuracy ${percent(evaluation.accuracy)} on ${evaluation.tokens} tokens; unseen words ${percent(evaluation.unseenAccuracy)} (${evaluation.unseenTokens}); whole sentences ${percent(evaluation.sentenceAccuracy)} of ${evaluation.sentences}; macro F1 ${evaluation.report.macroF1.toFixed(3)}`,
    ];
    const outside = Object.entries(evaluation.goldTagsOutsideModel);
    if (outside.length > 0)
      lines.push(
        `gold tags the model does not have (counted wrong): ${outside.map(([tag, n]) => `${tag} x${n}`).join(', ')}`,
      );
    lines.push('per tag (precision / recall / F1, support):');
    for (const s of evaluation.report.perClass)
      if (s.support > 0)
        lines.push(
          `  ${s.label.padEnd(6)} ${s.precision.toFixed(3)} / ${s.recall.toFixed(3)} / ${s.f1.toFixed(3)}  ${s.support}`,
        );
    const confusions = topConfusions(evaluation).slice(0, LISTED);
    if (confusions.length > 0)
      lines.push(
        `most frequent confusions: ${confusions.map((c) => `${c.gold}->${c.predicted} ${c.count}`).join(', ')}`,
      );
    return lines;
  },
};

/** The confusion matrix as aligned rows: reference down, predicted across. */
export function confusionLines(confusion: SentimentEvaluation['confusion']): string[] {
  const width = Math.max(8, ...confusion.labels.map((l) => l.length));
  const cell = (value: string): string => value.padStart(width);
  return [
    `  ${''.padEnd(width)} ${confusion.labels.map(cell).join(' ')}  <- predicted`,
    ...confusion.counts.map(
      (row, r) =>
        `  ${(confusion.labels[r] as string).padEnd(width)} ${row.map((n) => cell(String(n))).join(' ')}`,
    ),
  ];
}

export const sentimentEvaluationPrinter: EvaluationPrinter<SentimentEvaluation> = {
  json: (evaluation) => ({
    task: 'sentiment',
    sentences: evaluation.sentences,
    accuracy: evaluation.accuracy,
    majorityBaseline: evaluation.majorityBaseline,
    macroF1: evaluation.report.macroF1,
    perClass: evaluation.report.perClass,
    confusion: evaluation.confusion,
    cells: evaluation.cells,
    goldLabelsOutsideModel: evaluation.goldLabelsOutsideModel,
    duplicatesOfTraining: evaluation.duplicatesOfTraining,
  }),
  lines: (evaluation) => {
    const baseline = evaluation.majorityBaseline;
    const lines = [
      `accuracy ${percent(evaluation.accuracy)} on ${evaluation.sentences} sentences; majority baseline ${baseline ? `${percent(baseline.accuracy)} (always "${baseline.label}")` : 'n/a'}; macro F1 ${evaluation.report.macroF1.toFixed(3)}`,
    ];
    const outside = Object.entries(evaluation.goldLabelsOutsideModel);
    if (outside.length > 0)
      lines.push(
        `gold labels the model does not have (counted wrong): ${outside.map(([label, n]) => `${label} x${n}`).join(', ')}`,
      );
    const duplicates = evaluation.duplicatesOfTraining;
    if (duplicates.count > 0)
      lines.push(
        `${duplicates.count} evaluated sentences are training sentences too, e.g. ${duplicates.examples.slice(0, 3).join(' | ')}`,
      );
    lines.push('per class (precision / recall / F1, support):');
    for (const s of evaluation.report.perClass)
      lines.push(
        `  ${s.label.padEnd(10)} ${s.precision.toFixed(3)} / ${s.recall.toFixed(3)} / ${s.f1.toFixed(3)}  ${s.support}`,
      );
    lines.push('confusion (reference rows):', ...confusionLines(evaluation.confusion));
    return lines;
  },
};
