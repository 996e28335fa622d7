/** The seq2seq task's evaluation as `unfold train` and `unfold eval` print it. */
import type { AlignmentStep } from '../../domain/metrics/edit-distance';
import type { Seq2seqEvaluation } from '../../domain/text/seq2seq/score-seq2seq';
import type { EvaluationPrinter } from './evaluation-printer';

/** How many worst items the text lists; --json lists the kept ones (LISTED_ITEMS). */
const LISTED = 10;

const percent = (value: number): string => `${(value * 100).toFixed(2)}%`;

/**
 * An alignment as rows, reference over output, each column as wide as its wider symbol; a gap
 * (insertion or deletion) is `*`, as sclite prints it; a third row marks S, D or I under errors.
 */
export function alignmentRows(alignment: readonly AlignmentStep<string>[]): string[] {
  const ref: string[] = [];
  const hyp: string[] = [];
  const marks: string[] = [];
  for (const step of alignment) {
    const width = Math.max(step.ref?.length ?? 1, step.hyp?.length ?? 1);
    ref.push((step.ref ?? '*').padEnd(width));
    hyp.push((step.hyp ?? '*').padEnd(width));
    const mark =
      step.op === 'match'
        ? ''
        : step.op === 'substitution'
          ? 'S'
          : step.op === 'deletion'
            ? 'D'
            : 'I';
    marks.push(mark.padEnd(width));
  }
  return [`ref: ${ref.join(' ')}`, `out: ${hyp.join(' ')}`, `     ${marks.join(' ')}`].map((l) =>
    l.trimEnd(),
  );
}

export const seq2seqEvaluationPrinter: EvaluationPrinter<Seq2seqEvaluation> = {
  json: (evaluation) => ({
    task: 'seq2seq',
    scoring: evaluation.scoring,
    items: evaluation.items,
    ...(evaluation.scoring === 'g2p'
      ? {
          wordErrorRate: evaluation.rates.wordErrorRate,
          phoneErrorRate: evaluation.rates.phoneErrorRate,
        }
      : {
          bleu: evaluation.bleu,
          bleuDetails: evaluation.bleuDetails,
          chrf: evaluation.chrf,
          sentenceErrorRate: evaluation.rates.wordErrorRate,
        }),
    rates: evaluation.rates,
    itemsWithUnknownSymbols: evaluation.itemsWithUnknownSymbols,
    unfinished: evaluation.unfinished,
    topConfusions: evaluation.topConfusions,
    worst: evaluation.worst,
  }),
  lines: (evaluation) => {
    const r = evaluation.rates;
    const lines =
      evaluation.scoring === 'g2p'
        ? [
            `word error rate ${percent(r.wordErrorRate)} (${r.wordErrors} of ${r.items} words); phone error rate ${percent(r.phoneErrorRate)} (${r.substitutions} substitutions, ${r.deletions} deletions, ${r.insertions} insertions in ${r.referencePhones} phones)`,
          ]
        : [
            `BLEU ${evaluation.bleu.toFixed(2)} (sacreBLEU defaults: 13a tokens, 4-grams, brevity penalty ${evaluation.bleuDetails?.brevityPenalty.toFixed(3) ?? 'n/a'}); chrF2 ${evaluation.chrf.toFixed(2)}; ${percent(r.wordErrorRate)} of ${r.items} outputs differ from every reference`,
          ];
    if (evaluation.itemsWithUnknownSymbols > 0)
      lines.push(
        `${evaluation.itemsWithUnknownSymbols} source(s) hold symbols training never saw (read as the unknown symbol)`,
      );
    if (evaluation.unfinished > 0)
      lines.push(`${evaluation.unfinished} output(s) reached the length limit without ending`);
    if (evaluation.topConfusions.length > 0)
      lines.push(
        `most frequent errors (reference->output, ∅ a gap): ${evaluation.topConfusions
          .slice(0, LISTED)
          .map((c) => `${c.reference}->${c.output} ${c.count}`)
          .join(', ')}`,
      );
    const worst = evaluation.worst.slice(0, LISTED);
    if (worst.length > 0) lines.push('worst items (most edits per reference symbol):');
    for (const item of worst) {
      lines.push(
        `  ${item.utteranceId}  ${item.source}  (${item.errors} edit${item.errors === 1 ? '' : 's'})`,
      );
      for (const row of alignmentRows(item.alignment)) lines.push(`    ${row}`);
    }
    return lines;
  },
};
