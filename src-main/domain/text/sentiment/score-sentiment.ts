/**
 * Scores a sentence classifier: accuracy beside the majority-class baseline, per-class
 * precision/recall/F1, the confusion matrix with the sentences of each cell, gold labels the
 * model cannot produce (counted wrong and listed) and test sentences that are training
 * sentences too (counted and shown, since they flatter the accuracy).
 */
import type { LabelProbability, SentencePrediction } from '../../../api/sentiment';
import type { ClassificationReport, ConfusionMatrix } from '../../metrics/classification';
import { classificationReport, confusionMatrix } from '../../metrics/classification';

export interface ScoredSentence {
  id: string;
  text: string;
  words: readonly string[];
  gold: string;
  /** The model's probabilities in label order. */
  probabilities: Float32Array;
  /** Whether a training sentence has the same words. */
  inTraining: boolean;
}

export interface MajorityBaseline {
  /** The most frequent label of the training sentences (ties: the first in label order). */
  label: string;
  /** The accuracy of always answering it on the evaluated sentences. */
  accuracy: number;
}

export interface ConfusionCell {
  reference: string;
  predicted: string;
  ids: string[];
}

export interface SentimentEvaluation {
  task: 'sentiment';
  sentences: number;
  accuracy: number;
  majorityBaseline: MajorityBaseline | null;
  report: ClassificationReport;
  confusion: ConfusionMatrix;
  /** The sentences of every non-empty cell of the confusion matrix. */
  cells: ConfusionCell[];
  /** Gold labels outside the model's labels, with how many sentences carry each. */
  goldLabelsOutsideModel: Record<string, number>;
  /** Evaluated sentences that are training sentences too, and the first few of them. */
  duplicatesOfTraining: { count: number; examples: string[] };
  predictions: SentencePrediction[];
}

const DUPLICATE_EXAMPLES = 5;

/** The most frequent label among `counts` (label order breaks ties), or null without any. */
export function majorityLabel(
  labels: readonly string[],
  counts: Readonly<Record<string, number>>,
): string | null {
  let best: string | null = null;
  for (const label of labels)
    if ((counts[label] ?? 0) > 0 && (best === null || (counts[label] ?? 0) > (counts[best] ?? 0)))
      best = label;
  return best;
}

export function scoreSentiment(
  sentences: readonly ScoredSentence[],
  labels: readonly string[],
  trainingCounts: Readonly<Record<string, number>>,
): SentimentEvaluation {
  const known = new Set(labels);
  const outside: Record<string, number> = {};
  const predictions: SentencePrediction[] = sentences.map((sentence) => {
    const top: LabelProbability[] = labels
      .map((label, k) => ({ label, probability: sentence.probabilities[k] ?? 0 }))
      .sort((a, b) => b.probability - a.probability);
    const best = top[0] as LabelProbability;
    if (!known.has(sentence.gold)) outside[sentence.gold] = (outside[sentence.gold] ?? 0) + 1;
    return {
      utteranceId: sentence.id,
      text: sentence.text,
      tokens: [...sentence.words],
      reference: sentence.gold,
      predicted: best.label,
      probability: best.probability,
      top,
      correct: best.label === sentence.gold,
      inTraining: sentence.inTraining,
    };
  });
  const confusion = confusionMatrix(
    predictions.map((p) => p.reference),
    predictions.map((p) => p.predicted),
    labels,
  );
  const report = classificationReport(confusion);
  const cells = new Map<string, ConfusionCell>();
  for (const p of predictions) {
    const key = `${p.reference}\t${p.predicted}`;
    const cell = cells.get(key) ?? { reference: p.reference, predicted: p.predicted, ids: [] };
    cell.ids.push(p.utteranceId);
    cells.set(key, cell);
  }
  const majority = majorityLabel(labels, trainingCounts);
  const duplicates = predictions.filter((p) => p.inTraining);
  return {
    task: 'sentiment',
    sentences: predictions.length,
    accuracy: report.accuracy,
    majorityBaseline:
      majority === null
        ? null
        : {
            label: majority,
            accuracy:
              predictions.length > 0
                ? predictions.filter((p) => p.reference === majority).length / predictions.length
                : 0,
          },
    report,
    confusion,
    cells: [...cells.values()],
    goldLabelsOutsideModel: outside,
    duplicatesOfTraining: {
      count: duplicates.length,
      examples: duplicates.slice(0, DUPLICATE_EXAMPLES).map((p) => `${p.utteranceId}: ${p.text}`),
    },
    predictions,
  };
}
