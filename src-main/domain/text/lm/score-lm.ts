/**
 * A language model's figures on a stream of sentences: cross-entropy, perplexity per unit
 * (per word, or per character with bits per character), beside a unigram model and the
 * Kneser-Ney baseline scored on the very same units; and each sentence's log-probability.
 *
 * Conventions (see README.md): every sentence's end is predicted and counted as a unit; a unit
 * outside the vocabulary is the unknown unit `<unk>` and is predicted like any other (so
 * perplexities compare only between models of the same vocabulary); the stream starts after an
 * end of sentence, and the state runs on from sentence to sentence.
 */
import type { LmLevel } from '../../experiments/config/lm-config';
import { UNK_ID } from '../vocabulary';
import type { LmSentence } from './lm-text';
import type { LmVocabulary } from './lm-vocabulary';

/** One evaluated sentence: what predictions.json keeps per item. */
export interface LmSentencePrediction {
  /** The sentence's id (the name every task's evaluated items share). */
  utteranceId: string;
  /** The sentence as the model read it: its words with spaces, or its characters. */
  reference: string;
  /** Units predicted: the sentence's and its end. */
  units: number;
  unknownUnits: number;
  /** Natural log of the probability of the sentence (with its end) given what came before. */
  logProb: number;
  perplexity: number;
  /** The same from the Kneser-Ney baseline, when there is one. */
  kneserNeyLogProb: number | null;
}

/** Perplexity figures of one model on the evaluated units. */
export interface LmFigures {
  /** Mean negative natural log-probability per unit. */
  crossEntropy: number;
  perplexity: number;
  /** Character models only: cross-entropy in bits. */
  bitsPerCharacter: number | null;
}

export interface LmEvaluation extends LmFigures {
  level: LmLevel;
  sentences: number;
  /** Units predicted, sentence ends included. */
  units: number;
  /** Of those, units outside the vocabulary (scored as `<unk>`). */
  unknownUnits: number;
  vocabulary: number;
  /** The unigram model of the training counts (add-one smoothed). */
  unigram: LmFigures;
  /** Interpolated modified Kneser-Ney of the config's order, from the same training stream. */
  kneserNey: (LmFigures & { order: number }) | null;
  /**
   * A bidirectional LM's backward direction on the same units (each predicted from the text
   * after it); the top-level figures and the sentences are the forward direction's. Null for a
   * forward LM.
   */
  backward: LmFigures | null;
  predictions: LmSentencePrediction[];
}

export function figuresOf(logProbSum: number, units: number, level: LmLevel): LmFigures {
  const crossEntropy = units > 0 ? -logProbSum / units : 0;
  return {
    crossEntropy,
    perplexity: Math.exp(crossEntropy),
    bitsPerCharacter: level === 'char' ? crossEntropy / Math.LN2 : null,
  };
}

/** ln p of each id of the stream after the first under the add-one unigram of the training counts. */
export function unigramScores(vocabulary: LmVocabulary, ids: Int32Array): Float64Array {
  let total = 0;
  for (let id = 1; id < vocabulary.size; id++) total += vocabulary.countOfId(id);
  const denominator = total + vocabulary.predictable;
  const out = new Float64Array(Math.max(0, ids.length - 1));
  for (let t = 1; t < ids.length; t++)
    out[t - 1] = Math.log((vocabulary.countOfId(ids[t] as number) + 1) / denominator);
  return out;
}

function sum(values: Float64Array): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/**
 * The evaluation of per-unit scores of the stream `vocabulary.stream(sentences)`: score t is
 * ln p of stream id t + 1.
 */
export function scoreLanguageModel(input: {
  level: LmLevel;
  vocabulary: LmVocabulary;
  sentences: readonly LmSentence[];
  ids: Int32Array;
  model: Float64Array;
  unigram: Float64Array;
  kneserNey: { order: number; scores: Float64Array } | null;
  /** A bidirectional LM's backward scores, one per unit of the reversed stream. */
  backward?: Float64Array;
}): LmEvaluation {
  const { level, vocabulary, sentences, ids, model, kneserNey } = input;
  const predictions: LmSentencePrediction[] = [];
  let at = 0;
  let unknownUnits = 0;
  for (const sentence of sentences) {
    const units = sentence.units.length + 1;
    let logProb = 0;
    let knLogProb = 0;
    let unknown = 0;
    for (let t = at; t < at + units; t++) {
      logProb += model[t] as number;
      if (kneserNey) knLogProb += kneserNey.scores[t] as number;
      if (ids[t + 1] === UNK_ID) unknown++;
    }
    predictions.push({
      utteranceId: sentence.id,
      reference: sentence.units.join(level === 'char' ? '' : ' '),
      units,
      unknownUnits: unknown,
      logProb,
      perplexity: Math.exp(-logProb / units),
      kneserNeyLogProb: kneserNey ? knLogProb : null,
    });
    unknownUnits += unknown;
    at += units;
  }
  return {
    level,
    sentences: sentences.length,
    units: at,
    unknownUnits,
    vocabulary: vocabulary.size,
    ...figuresOf(sum(model), at, level),
    unigram: figuresOf(sum(input.unigram), at, level),
    kneserNey: kneserNey
      ? { order: kneserNey.order, ...figuresOf(sum(kneserNey.scores), at, level) }
      : null,
    backward: input.backward ? figuresOf(sum(input.backward), at, level) : null,
    predictions,
  };
}
