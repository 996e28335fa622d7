/**
 * Scores a tagger on tagged sentences: token accuracy, accuracy on words never seen in
 * training, sentence accuracy, per-tag precision/recall/F1 and the gold-vs-predicted confusion
 * matrix. Gold tags the model cannot produce are counted as errors and listed, never dropped.
 */
import type { TaggedSentencePrediction } from '../../../api/text';
import type { ClassificationReport, ConfusionMatrix } from '../../metrics/classification';
import { classificationReport, confusionMatrix } from '../../metrics/classification';

export interface ScoredSentence {
  id: string;
  words: readonly string[];
  gold: readonly string[];
  predicted: readonly string[];
  /** Per word: not in the training data. */
  unseen: readonly boolean[];
}

export interface TaggingEvaluation {
  tokens: number;
  correctTokens: number;
  accuracy: number;
  /** Words of the evaluated text that training never saw, and the accuracy on them (null: none). */
  unseenTokens: number;
  unseenAccuracy: number | null;
  sentences: number;
  /** Sentences with every token right. */
  sentenceAccuracy: number;
  report: ClassificationReport;
  confusion: ConfusionMatrix;
  /** Gold tags outside the model's tag set, with how many tokens carry each (all counted wrong). */
  goldTagsOutsideModel: Record<string, number>;
  predictions: TaggedSentencePrediction[];
}

export function scoreTagging(
  sentences: readonly ScoredSentence[],
  tagSet: readonly string[],
): TaggingEvaluation {
  const gold: string[] = [];
  const predicted: string[] = [];
  let unseenTokens = 0;
  let unseenCorrect = 0;
  let correctSentences = 0;
  const known = new Set(tagSet);
  const outside: Record<string, number> = {};
  const predictions: TaggedSentencePrediction[] = sentences.map((sentence) => {
    let errors = 0;
    sentence.gold.forEach((tag, i) => {
      const guess = sentence.predicted[i] as string;
      gold.push(tag);
      predicted.push(guess);
      const right = tag === guess;
      if (!right) errors++;
      if (!known.has(tag)) outside[tag] = (outside[tag] ?? 0) + 1;
      if (sentence.unseen[i]) {
        unseenTokens++;
        if (right) unseenCorrect++;
      }
    });
    if (errors === 0) correctSentences++;
    return {
      utteranceId: sentence.id,
      tokens: [...sentence.words],
      reference: [...sentence.gold],
      decoded: [...sentence.predicted],
      unseen: [...sentence.unseen],
      errors,
      correct: errors === 0,
    };
  });
  const confusion = confusionMatrix(gold, predicted, tagSet);
  const report = classificationReport(confusion);
  const correctTokens = gold.reduce((n, tag, i) => n + (tag === predicted[i] ? 1 : 0), 0);
  return {
    tokens: gold.length,
    correctTokens,
    accuracy: gold.length > 0 ? correctTokens / gold.length : 0,
    unseenTokens,
    unseenAccuracy: unseenTokens > 0 ? unseenCorrect / unseenTokens : null,
    sentences: sentences.length,
    sentenceAccuracy: sentences.length > 0 ? correctSentences / sentences.length : 0,
    report,
    confusion,
    goldTagsOutsideModel: outside,
    predictions,
  };
}
