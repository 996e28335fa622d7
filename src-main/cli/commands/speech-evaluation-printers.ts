/** The speech tasks' evaluations as `unfold train` and `unfold eval` print them. */
import type { PhoneEvaluation, WordEvaluation } from '../../domain/speech';
import type { EvaluationPrinter } from './evaluation-printer';

/** How many misrecognised utterances the text lists; --json lists them all. */
const LISTED_ERRORS = 20;

export const wordEvaluationPrinter: EvaluationPrinter<WordEvaluation> = {
  json: (evaluation) => ({
    task: evaluation.task,
    utterances: evaluation.utterances,
    accuracy: evaluation.accuracy,
    macroF1: evaluation.report.macroF1,
    perSpeaker: evaluation.perSpeaker,
    perClass: evaluation.report.perClass,
    confusion: evaluation.confusion,
    misrecognised: evaluation.predictions
      .filter((p) => !p.correct)
      .map((p) => ({
        id: p.utteranceId,
        path: p.audioPath,
        reference: p.reference,
        predicted: p.predicted,
        probability: p.probability,
      })),
  }),
  lines: (evaluation) => {
    const lines = [
      `accuracy ${(evaluation.accuracy * 100).toFixed(2)}% on ${evaluation.utterances} utterances, macro F1 ${evaluation.report.macroF1.toFixed(3)}`,
    ];
    for (const s of evaluation.perSpeaker)
      lines.push(`  ${s.group}: ${(s.accuracy * 100).toFixed(1)}% (${s.correct}/${s.total})`);
    const wrong = evaluation.predictions.filter((p) => !p.correct);
    if (wrong.length > 0) lines.push(`misrecognised (${wrong.length}):`);
    for (const p of wrong.slice(0, LISTED_ERRORS))
      lines.push(
        `  ${p.utteranceId}: "${p.reference}" -> "${p.predicted}" (${p.probability.toFixed(2)})  ${p.audioPath}`,
      );
    if (wrong.length > LISTED_ERRORS)
      lines.push(`  ... ${wrong.length - LISTED_ERRORS} more (--json lists them all)`);
    return lines;
  },
};

export const phoneEvaluationPrinter: EvaluationPrinter<PhoneEvaluation> = {
  json: (evaluation) => ({
    task: evaluation.task,
    utterances: evaluation.utterances,
    frames: evaluation.frames,
    frameAccuracy: evaluation.frameAccuracy,
    frameAccuracy39: evaluation.frameAccuracy39,
    phoneErrorRate: evaluation.phoneErrorRate,
  }),
  lines: (evaluation) => [
    `frame accuracy ${(evaluation.frameAccuracy * 100).toFixed(2)}% (39 phones: ${(evaluation.frameAccuracy39 * 100).toFixed(2)}%), phone error rate ${(evaluation.phoneErrorRate.rate * 100).toFixed(2)}% on ${evaluation.utterances} utterances`,
  ],
};
