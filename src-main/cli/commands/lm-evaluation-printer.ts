/** A language model's evaluation as `unfold train` and `unfold eval` print it. */
import type { LmEvaluation, LmFigures } from '../../domain/text/lm/score-lm';
import type { EvaluationPrinter } from './evaluation-printer';

/** How many of the least and most probable sentences the text lists; --json has them all. */
const LISTED = 3;

/** "perplexity 123.4" (words) or "1.234 bits per character (perplexity 2.35)" (characters). */
export function figureText(figures: LmFigures): string {
  return figures.bitsPerCharacter !== null
    ? `${figures.bitsPerCharacter.toFixed(3)} bits per character (perplexity ${figures.perplexity.toFixed(2)})`
    : `perplexity ${figures.perplexity.toFixed(2)}`;
}

export const lmEvaluationPrinter: EvaluationPrinter<LmEvaluation> = {
  json: (evaluation) => ({
    task: 'lm',
    level: evaluation.level,
    sentences: evaluation.sentences,
    units: evaluation.units,
    unknownUnits: evaluation.unknownUnits,
    vocabulary: evaluation.vocabulary,
    crossEntropy: evaluation.crossEntropy,
    perplexity: evaluation.perplexity,
    bitsPerCharacter: evaluation.bitsPerCharacter,
    unigram: evaluation.unigram,
    kneserNey: evaluation.kneserNey,
    ...(evaluation.backward ? { backward: evaluation.backward } : {}),
    sentencePerplexities: evaluation.predictions.map((p) => ({
      id: p.utteranceId,
      perplexity: p.perplexity,
    })),
  }),
  lines: (evaluation) => {
    const unit = evaluation.level === 'char' ? 'characters' : 'words';
    const unknownShare = evaluation.units > 0 ? evaluation.unknownUnits / evaluation.units : 0;
    const lines = [
      `${figureText(evaluation)} on ${evaluation.units} ${unit} of ${evaluation.sentences} sentences (each sentence end counted; ${evaluation.unknownUnits} units, ${(unknownShare * 100).toFixed(2)}%, outside the ${evaluation.vocabulary}-unit vocabulary, scored as <unk>)`,
    ];
    if (evaluation.backward)
      lines.splice(
        0,
        1,
        `forward ${lines[0] ?? ''}`,
        `backward ${figureText(evaluation.backward)} on the same units, each predicted from the text after it`,
      );
    if (evaluation.kneserNey)
      lines.push(
        `Kneser-Ney ${evaluation.kneserNey.order}-gram (interpolated, modified discounts): ${figureText(evaluation.kneserNey)}`,
      );
    lines.push(`unigram (add-one): ${figureText(evaluation.unigram)}`);
    const sorted = [...evaluation.predictions].sort((a, b) => a.perplexity - b.perplexity);
    if (sorted.length > 2 * LISTED) {
      const show = (p: (typeof sorted)[number]): string =>
        `${p.utteranceId} ${p.perplexity.toFixed(1)}`;
      lines.push(`most predictable sentences: ${sorted.slice(0, LISTED).map(show).join(', ')}`);
      lines.push(
        `least predictable sentences: ${sorted.slice(-LISTED).reverse().map(show).join(', ')}`,
      );
    }
    return lines;
  },
};
