import type { PhoneFolding } from '../corpus/phone-folding';
import type { ConfusionMatrix } from '../metrics/classification';
import { confusionMatrix } from '../metrics/classification';
import { editDistance, errorRate } from '../metrics/edit-distance';
import type { ErrorRate } from '../metrics/edit-distance';
import { decodeFramePosteriors, frameAccuracy, frameArgmax } from '../metrics/frame-decoding';
import { foldForScoring, scoringClassMap } from '../metrics/phone-scoring';
import type { SpeechItem } from './dataset';
import { GAP_PHONE } from './frame-labels';

export interface PhonePrediction {
  utteranceId: string;
  speaker: string;
  audioPath: string;
  segment?: { start: number; end: number };
  text: string;
  /** Reference and decoded phone strings folded to 39, silence dropped. */
  reference: string[];
  decoded: string[];
  /** The decoded string in the training phone set, before folding. */
  decodedFull: string[];
  frames: number;
  frameAccuracy: number;
  phoneErrors: number;
}

export interface PhoneEvaluation {
  task: 'phones';
  utterances: number;
  frames: number;
  /** On the training phone set. */
  frameAccuracy: number;
  /** After folding both sides to the 39 scoring phones. */
  frameAccuracy39: number;
  phoneErrorRate: ErrorRate;
  /** Per-frame confusions on the 39 scoring phones. */
  confusion: ConfusionMatrix;
  predictions: PhonePrediction[];
}

/** Labels that decoding drops: the gap phone and every phone that folds to silence. */
export function silencePhones(labels: readonly string[], folding: PhoneFolding): string[] {
  return labels.filter((p) => p === GAP_PHONE || folding.to39.get(p) === 'sil');
}

export function scorePhonePredictions(
  items: readonly SpeechItem[],
  posteriors: readonly Float32Array[],
  labels: readonly string[],
  folding: PhoneFolding,
  medianWindow: number,
): PhoneEvaluation {
  const { scoringPhones, map } = scoringClassMap(labels, folding);
  const silence = silencePhones(labels, folding);
  const refFrames: string[] = [];
  const hypFrames: string[] = [];
  let correctFull = 0;
  let counted = 0;
  let correct39 = 0;
  const predictions: PhonePrediction[] = items.map((item, i) => {
    const post = posteriors[i] as Float32Array;
    const argmax = frameArgmax(post, labels.length);
    const reference = item.frameLabels ?? new Int32Array(argmax.length).fill(-1);
    const accuracyHere = frameAccuracy(reference, argmax);
    for (let t = 0; t < argmax.length; t++) {
      const r = reference[t] as number;
      if (r < 0) continue;
      counted++;
      if (r === argmax[t]) correctFull++;
      const r39 = map[r] as number;
      const h39 = map[argmax[t] as number] as number;
      if (r39 === h39) correct39++;
      refFrames.push(scoringPhones[r39] as string);
      hypFrames.push(scoringPhones[h39] as string);
    }
    const decodedFull = decodeFramePosteriors(post, labels, { medianWindow, silence });
    const decoded = foldForScoring(decodedFull, folding);
    const referenceString = foldForScoring(item.referencePhones ?? [], folding);
    return {
      utteranceId: item.utteranceId,
      speaker: item.speaker,
      audioPath: item.audioPath,
      ...(item.segment ? { segment: item.segment } : {}),
      text: item.text,
      reference: referenceString,
      decoded,
      decodedFull,
      frames: argmax.length,
      frameAccuracy: accuracyHere,
      phoneErrors: editDistance(referenceString, decoded).distance,
    };
  });
  return {
    task: 'phones',
    utterances: items.length,
    frames: counted,
    frameAccuracy: counted > 0 ? correctFull / counted : 0,
    frameAccuracy39: counted > 0 ? correct39 / counted : 0,
    phoneErrorRate: errorRate(
      predictions.map((p) => ({ reference: p.reference, hypothesis: p.decoded })),
    ),
    confusion: confusionMatrix(refFrames, hypFrames, scoringPhones),
    predictions,
  };
}
