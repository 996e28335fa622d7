export {
  accuracy,
  accuracyByGroup,
  classificationReport,
  confusionMatrix,
  normaliseRows,
} from './classification';
export type {
  ClassScores,
  ClassificationReport,
  ConfusionMatrix,
  GroupAccuracy,
} from './classification';
export { editDistance, errorRate } from './edit-distance';
export type { AlignmentStep, EditDistance, ErrorRate } from './edit-distance';
export {
  decodeFrameLabels,
  decodeFramePosteriors,
  frameAccuracy,
  frameArgmax,
  medianSmoothLabels,
  mergeRepeats,
} from './frame-decoding';
export type { PhoneDecodingOptions } from './frame-decoding';
export { SCORING_SILENCE, foldForScoring, scoringClassMap } from './phone-scoring';
