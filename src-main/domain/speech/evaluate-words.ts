import type {
  ClassificationReport,
  ConfusionMatrix,
  GroupAccuracy,
} from '../metrics/classification';
import { accuracyByGroup, classificationReport, confusionMatrix } from '../metrics/classification';
import type { SpeechItem } from './dataset';
import type { RankedLabel } from './inference';
import { topK } from './inference';

export interface WordPrediction {
  utteranceId: string;
  speaker: string;
  audioPath: string;
  segment?: { start: number; end: number };
  reference: string;
  predicted: string;
  probability: number;
  top: RankedLabel[];
  /** The top probability is below the rejection threshold. */
  notSure: boolean;
  correct: boolean;
}

export interface WordEvaluation {
  task: 'words';
  utterances: number;
  accuracy: number;
  report: ClassificationReport;
  perSpeaker: GroupAccuracy[];
  confusion: ConfusionMatrix;
  /** Utterances whose top probability fell below the threshold, and the accuracy on the rest. */
  rejected: number;
  acceptedAccuracy: number;
  predictions: WordPrediction[];
}

/** Scores word predictions (argmax; rejection is reported beside, not folded into accuracy). */
export function scoreWordPredictions(
  items: readonly SpeechItem[],
  probabilities: readonly Float32Array[],
  labels: readonly string[],
  rejectThreshold: number,
): WordEvaluation {
  const predictions: WordPrediction[] = items.map((item, i) => {
    const top = topK(probabilities[i] as Float32Array, labels, 3);
    const best = top[0] as RankedLabel;
    return {
      utteranceId: item.utteranceId,
      speaker: item.speaker,
      audioPath: item.audioPath,
      ...(item.segment ? { segment: item.segment } : {}),
      reference: item.text,
      predicted: best.label,
      probability: best.probability,
      top,
      notSure: best.probability < rejectThreshold,
      correct: best.label === item.text,
    };
  });
  const reference = predictions.map((p) => p.reference);
  const predicted = predictions.map((p) => p.predicted);
  const confusion = confusionMatrix(reference, predicted, labels);
  const report = classificationReport(confusion);
  const accepted = predictions.filter((p) => !p.notSure);
  return {
    task: 'words',
    utterances: predictions.length,
    accuracy: report.accuracy,
    report,
    perSpeaker: accuracyByGroup(
      reference,
      predicted,
      predictions.map((p) => p.speaker),
    ),
    confusion,
    rejected: predictions.length - accepted.length,
    acceptedAccuracy:
      accepted.length > 0 ? accepted.filter((p) => p.correct).length / accepted.length : 0,
    predictions,
  };
}
