/**
 * Decoding a trained encoder-decoder for many sources at once: greedy (the most probable symbol
 * at every step) and beam search with length normalisation. Sources go through the encoder in
 * batches; every live hypothesis of every source is one row of one decoder step, so a step is
 * one engine call whatever the beam. (The engine's `beamDecode` in rnn/decoding.ts decodes one
 * source, one hypothesis per call, and ranks by total log-probability.)
 *
 * Ranking: score = log P(output) / length^alpha, the length counting the end symbol (alpha 0:
 * total log-probability, which favours short outputs; alpha 1: per symbol). A hypothesis ends
 * at the end symbol; a source is done when `beam` hypotheses have ended (the usual early stop)
 * or at its maximum length, where live hypotheses end unfinished.
 *
 * With decoder attention every row reads its source's encoder memory (gathered by source each
 * step), and `withAlignment` keeps each output's attention weights, one row per output step.
 */
import * as tf from '@tensorflow/tfjs';
import { disposeMemory, gatherMemory, keepMemory } from '../../rnn/decoder-attention';
import type { EncoderMemory } from '../../rnn/decoder-attention';
import type { LayerState, RnnModel } from '../../rnn/rnn-model';
import { SOURCE_PADDING_ID, TARGET_BOS_ID } from './symbol-tables';

export interface DecodedOutput {
  /** Output ids without the end symbol. */
  ids: number[];
  /** Total log-probability (natural log), the end symbol's included when it ended. */
  logProb: number;
  /** The ranking score: logProb / length^alpha. */
  score: number;
  /** False when it stopped at the maximum length without an end symbol. */
  finished: boolean;
  /**
   * With `withAlignment` and decoder attention: the attention weights over the source symbols
   * (columns) at every output step (rows; the end symbol's step included when it ended).
   */
  alignment?: number[][];
}

export interface DecodeOptions {
  /** 1 = greedy. */
  beam: number;
  /** Alpha of score = logProb / length^alpha. */
  lengthNormalization: number;
  eosId: number;
  /** The most output symbols (end symbol excluded) for each source. */
  maxLengths: readonly number[];
  /** Sources per encoder batch. */
  batchSize?: number;
  /** Keep each output's attention weights (models with decoder attention). */
  withAlignment?: boolean;
}

const DEFAULT_BATCH = 256;

export function lengthNormalizedScore(logProb: number, length: number, alpha: number): number {
  return alpha === 0 ? logProb : logProb / Math.max(1, length) ** alpha;
}

/** Runs `make` in a tidy scope and keeps only the states it returns. */
function tidyStates(make: () => LayerState[]): LayerState[] {
  let kept: LayerState[] = [];
  tf.tidy(() => {
    kept = make().map((s) => ({ h: tf.keep(s.h), c: s.c ? tf.keep(s.c) : null }));
  });
  return kept;
}

function disposeStates(states: LayerState[]): void {
  tf.dispose(states.flatMap((s) => (s.c ? [s.h, s.c] : [s.h])));
}

/** A batch of sources through the encoder: one decoder start state per source, and its memory. */
function encodeBatch(
  model: RnnModel,
  sources: readonly Int32Array[],
): { states: LayerState[]; memory: EncoderMemory | null } {
  let memory: EncoderMemory | null = null;
  const states = tidyStates(() => {
    const time = Math.max(1, ...sources.map((s) => s.length));
    const ids = new Int32Array(sources.length * time).fill(SOURCE_PADDING_ID);
    const mask = new Float32Array(sources.length * time);
    sources.forEach((source, n) => {
      ids.set(source, n * time);
      mask.fill(1, n * time, n * time + source.length);
    });
    const encoded = model.encodeSource({
      inputs: tf.tensor2d(ids, [sources.length, time], 'int32'),
      mask: tf.tensor2d(mask, [sources.length, time]),
    });
    memory = keepMemory(encoded.memory);
    return encoded.states;
  });
  return { states, memory };
}

interface StepResult {
  /** [rows * vocab]. */
  logProbs: Float32Array;
  vocab: number;
  states: LayerState[];
  /** With attention and `withAlignment`: the weights [rows * sourceTime]. */
  weights: Float32Array | null;
  sourceTime: number;
}

/**
 * One decoder step for every row: the log-probabilities, the next states and (when asked, with
 * attention) the attention weights. Row r reads the memory of source `rowSources[r]`.
 */
function stepRows(
  model: RnnModel,
  tokens: Int32Array,
  states: LayerState[],
  memory: EncoderMemory | null,
  rowSources: Int32Array,
  withAlignment: boolean,
): StepResult {
  let vocab = 0;
  let logProbs: Float32Array = new Float32Array(0);
  let weights: Float32Array | null = null;
  const next = tidyStates(() => {
    const rowMemory = memory ? gatherMemory(memory, tf.tensor1d(rowSources, 'int32')) : null;
    const out = model.decodeSteps(
      tf.tensor2d(tokens, [tokens.length, 1], 'int32'),
      states,
      rowMemory,
    );
    vocab = out.logits.shape[out.logits.shape.length - 1] as number;
    logProbs = tf
      .logSoftmax(tf.reshape(out.logits, [tokens.length, vocab]))
      .dataSync() as Float32Array;
    if (withAlignment && out.alignment) weights = out.alignment.dataSync() as Float32Array;
    return out.finalStates;
  });
  const sourceTime = memory ? memory.keys.shape[1] : 0;
  return { logProbs, vocab, states: next, weights, sourceTime };
}

/** Row `row`'s attention weights over the first `length` source steps. */
function weightsRow(step: StepResult, row: number, length: number): number[] {
  if (!step.weights) return [];
  const start = row * step.sourceTime;
  return Array.from(step.weights.subarray(start, start + length));
}

function reorderStates(states: LayerState[], parents: Int32Array): LayerState[] {
  return tidyStates(() => {
    const rows = tf.tensor1d(parents, 'int32');
    return states.map((s) => ({ h: tf.gather(s.h, rows), c: s.c ? tf.gather(s.c, rows) : null }));
  });
}

function argMaxRow(values: Float32Array, offset: number, vocab: number): number {
  let best = 0;
  for (let v = 1; v < vocab; v++)
    if ((values[offset + v] as number) > (values[offset + best] as number)) best = v;
  return best;
}

/** Greedy decoding: the most probable symbol at every step, until the end symbol or the limit. */
export function greedyDecode(
  model: RnnModel,
  sources: readonly Int32Array[],
  options: Omit<DecodeOptions, 'beam'>,
): DecodedOutput[] {
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const results: DecodedOutput[] = [];
  for (let start = 0; start < sources.length; start += batchSize) {
    const batch = sources.slice(start, start + batchSize);
    const maxLengths = options.maxLengths.slice(start, start + batchSize);
    const encoded = encodeBatch(model, batch);
    let states = encoded.states;
    const withAlignment = Boolean(options.withAlignment && encoded.memory);
    const outputs = batch.map(() => ({
      ids: [] as number[],
      logProb: 0,
      done: false,
      finished: false,
      alignment: [] as number[][],
    }));
    const tokens = new Int32Array(batch.length).fill(TARGET_BOS_ID);
    const rowSources = Int32Array.from(batch, (_, n) => n);
    const longest = Math.max(...maxLengths);
    for (let step = 0; step <= longest && outputs.some((o) => !o.done); step++) {
      const next = stepRows(model, tokens, states, encoded.memory, rowSources, withAlignment);
      disposeStates(states);
      states = next.states;
      outputs.forEach((output, n) => {
        if (output.done) return;
        if (withAlignment)
          output.alignment.push(weightsRow(next, n, (batch[n] as Int32Array).length));
        const token = argMaxRow(next.logProbs, n * next.vocab, next.vocab);
        output.logProb += next.logProbs[n * next.vocab + token] as number;
        tokens[n] = token;
        if (token === options.eosId) {
          output.done = true;
          output.finished = true;
        } else {
          output.ids.push(token);
          if (output.ids.length >= (maxLengths[n] as number)) output.done = true;
        }
      });
    }
    disposeStates(states);
    disposeMemory(encoded.memory);
    for (const output of outputs) {
      const length = output.ids.length + (output.finished ? 1 : 0);
      results.push({
        ids: output.ids,
        logProb: output.logProb,
        score: lengthNormalizedScore(output.logProb, length, options.lengthNormalization),
        finished: output.finished,
        ...(withAlignment ? { alignment: output.alignment } : {}),
      });
    }
  }
  return results;
}

interface LiveHypothesis {
  /** The source it belongs to (index in the batch). */
  source: number;
  ids: number[];
  logProb: number;
  /** Attention weights of the steps so far (with `withAlignment`). */
  alignment: number[][];
}

interface Candidate {
  /** Row of the hypothesis it extends. */
  parent: number;
  token: number;
  logProb: number;
}

/** The `width` most probable next symbols of one row, most probable first (lowest id on ties). */
function topTokens(logProbs: Float32Array, offset: number, vocab: number, width: number): number[] {
  const top: number[] = [];
  for (let v = 0; v < vocab; v++) {
    const value = logProbs[offset + v] as number;
    if (top.length === width && value <= (logProbs[offset + (top[width - 1] as number)] as number))
      continue;
    let at = top.length;
    while (at > 0 && value > (logProbs[offset + (top[at - 1] as number)] as number)) at--;
    top.splice(at, 0, v);
    if (top.length > width) top.pop();
  }
  return top;
}

/**
 * Beam search: the n-best outputs of every source (up to `beam` of them), best first by score.
 * Only live hypotheses are decoder rows (one per source at the first step; none for a source
 * that is done). With beam 1 it makes the same choices as greedyDecode.
 */
export function beamSearch(
  model: RnnModel,
  sources: readonly Int32Array[],
  options: DecodeOptions,
): DecodedOutput[][] {
  const beam = options.beam;
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const alpha = options.lengthNormalization;
  const results: DecodedOutput[][] = [];
  for (let start = 0; start < sources.length; start += batchSize) {
    const batch = sources.slice(start, start + batchSize);
    const maxLengths = options.maxLengths.slice(start, start + batchSize);
    // Row r of the states is live[r]; rows are grouped by source, in source order.
    const encoded = encodeBatch(model, batch);
    let states = encoded.states;
    const withAlignment = Boolean(options.withAlignment && encoded.memory);
    let live: LiveHypothesis[] = batch.map((_, n) => ({
      source: n,
      ids: [],
      logProb: 0,
      alignment: [],
    }));
    let tokens = new Int32Array(live.length).fill(TARGET_BOS_ID);
    const ended: DecodedOutput[][] = batch.map(() => []);
    while (live.length > 0) {
      const rowSources = Int32Array.from(live, (hypothesis) => hypothesis.source);
      const next = stepRows(model, tokens, states, encoded.memory, rowSources, withAlignment);
      disposeStates(states);
      /** The parent's weights with this step's row appended (empty without `withAlignment`). */
      const alignmentOf = (parent: number): number[][] => {
        const hypothesis = live[parent] as LiveHypothesis;
        if (!withAlignment) return hypothesis.alignment;
        const length = (batch[hypothesis.source] as Int32Array).length;
        return [...hypothesis.alignment, weightsRow(next, parent, length)];
      };
      const nextLive: LiveHypothesis[] = [];
      const parents: number[] = [];
      const nextTokens: number[] = [];
      let row = 0;
      while (row < live.length) {
        const n = (live[row] as LiveHypothesis).source;
        const candidates: Candidate[] = [];
        for (; row < live.length && (live[row] as LiveHypothesis).source === n; row++) {
          const hypothesis = live[row] as LiveHypothesis;
          const offset = row * next.vocab;
          for (const token of topTokens(next.logProbs, offset, next.vocab, beam))
            candidates.push({
              parent: row,
              token,
              logProb: hypothesis.logProb + (next.logProbs[offset + token] as number),
            });
        }
        candidates.sort((a, b) => b.logProb - a.logProb);
        const done = ended[n] as DecodedOutput[];
        const kept: { candidate: Candidate; ids: number[]; steps: number[][] }[] = [];
        for (const candidate of candidates) {
          if (kept.length >= beam || done.length >= beam) break;
          const parent = live[candidate.parent] as LiveHypothesis;
          const steps = alignmentOf(candidate.parent);
          const alignment = withAlignment ? { alignment: steps } : {};
          if (candidate.token === options.eosId) {
            done.push({
              ids: parent.ids,
              logProb: candidate.logProb,
              score: lengthNormalizedScore(candidate.logProb, parent.ids.length + 1, alpha),
              finished: true,
              ...alignment,
            });
            continue;
          }
          const ids = [...parent.ids, candidate.token];
          if (ids.length >= (maxLengths[n] as number)) {
            done.push({
              ids,
              logProb: candidate.logProb,
              score: lengthNormalizedScore(candidate.logProb, ids.length, alpha),
              finished: false,
              ...alignment,
            });
            continue;
          }
          kept.push({ candidate, ids, steps });
        }
        // A source with `beam` ended hypotheses is done (the usual early stop).
        if (done.length >= beam) continue;
        for (const { candidate, ids, steps } of kept) {
          nextLive.push({ source: n, ids, logProb: candidate.logProb, alignment: steps });
          parents.push(candidate.parent);
          nextTokens.push(candidate.token);
        }
      }
      states = nextLive.length > 0 ? reorderStates(next.states, Int32Array.from(parents)) : [];
      disposeStates(next.states);
      live = nextLive;
      tokens = Int32Array.from(nextTokens);
    }
    disposeMemory(encoded.memory);
    for (const done of ended)
      results.push([...done].sort((a, b) => b.score - a.score).slice(0, beam));
  }
  return results;
}
