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
import { encodeToDecoderRows } from './decoder-rows';
import type { DecodeProfile, DecoderRows, DecoderStep, DecoderStepEngine } from './decoder-rows';
import type { RnnModel } from '../../rnn/rnn-model';
import { TARGET_BOS_ID } from './symbol-tables';

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
  /** How decoder steps run (decoder-rows.ts); `auto` unless a test or benchmark compares. */
  engine?: DecoderStepEngine;
  /** When given, the milliseconds spent in each part are added to it (benchmarks). */
  profile?: DecodeProfile;
}

const DEFAULT_BATCH = 256;

export function lengthNormalizedScore(logProb: number, length: number, alpha: number): number {
  return alpha === 0 ? logProb : logProb / Math.max(1, length) ** alpha;
}

const now = (): number => performance.now();

/** Encodes a batch into decoder rows, timed. */
function rowsOf(
  model: RnnModel,
  batch: readonly Int32Array[],
  options: DecodeOptions,
): DecoderRows {
  const t0 = now();
  const rows = encodeToDecoderRows(model, batch, {
    withAlignment: options.withAlignment ?? false,
    ...(options.engine ? { engine: options.engine } : {}),
  });
  if (options.profile) options.profile.encode += now() - t0;
  return rows;
}

function timedStep(
  rows: DecoderRows,
  tokens: Int32Array,
  rowSources: Int32Array,
  profile: DecodeProfile | undefined,
): DecoderStep {
  const t0 = now();
  const step = rows.step(tokens, rowSources);
  if (profile) {
    profile.steps += now() - t0;
    profile.rowSteps += tokens.length;
  }
  return step;
}

function timedKeep(
  rows: DecoderRows,
  parents: Int32Array,
  profile: DecodeProfile | undefined,
): void {
  const t0 = now();
  rows.keep(parents);
  if (profile) profile.reorder += now() - t0;
}

/** Row `row`'s attention weights over the first `length` source steps. */
function weightsRow(step: DecoderStep, row: number, length: number): number[] {
  if (!step.weights) return [];
  const start = row * step.sourceTime;
  return Array.from(step.weights.subarray(start, start + length));
}

function argMaxRow(values: Float32Array, offset: number, vocab: number): number {
  let best = 0;
  for (let v = 1; v < vocab; v++)
    if ((values[offset + v] as number) > (values[offset + best] as number)) best = v;
  return best;
}

/** Adds to `profile.search` the time of `run` not spent in the other parts. */
function timedSearch<T>(profile: DecodeProfile | undefined, run: () => T): T {
  if (!profile) return run();
  const parts = (): number => profile.encode + profile.steps + profile.reorder;
  const before = parts();
  const t0 = now();
  const result = run();
  profile.search += now() - t0 - (parts() - before);
  return result;
}

/**
 * Greedy decoding: the most probable symbol at every step, until the end symbol or the limit.
 * Only sources still going are decoder rows.
 */
export function greedyDecode(
  model: RnnModel,
  sources: readonly Int32Array[],
  options: Omit<DecodeOptions, 'beam'>,
): DecodedOutput[] {
  return timedSearch(options.profile, () => greedyBatches(model, sources, { ...options, beam: 1 }));
}

function greedyBatches(
  model: RnnModel,
  sources: readonly Int32Array[],
  options: DecodeOptions,
): DecodedOutput[] {
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const profile = options.profile;
  const results: DecodedOutput[] = [];
  for (let start = 0; start < sources.length; start += batchSize) {
    const batch = sources.slice(start, start + batchSize);
    const maxLengths = options.maxLengths.slice(start, start + batchSize);
    const rows = rowsOf(model, batch, options);
    const withAlignment = Boolean(options.withAlignment && rows.attends);
    const outputs = batch.map(() => ({
      ids: [] as number[],
      logProb: 0,
      finished: false,
      alignment: [] as number[][],
    }));
    // Row r decodes source live[r].
    let live = Int32Array.from(batch, (_, n) => n);
    let tokens = new Int32Array(batch.length).fill(TARGET_BOS_ID);
    try {
      while (live.length > 0) {
        const next = timedStep(rows, tokens, live, profile);
        const kept: number[] = [];
        const keptTokens: number[] = [];
        live.forEach((n, row) => {
          const output = outputs[n] as (typeof outputs)[number];
          if (withAlignment)
            output.alignment.push(weightsRow(next, row, (batch[n] as Int32Array).length));
          const token = argMaxRow(next.logProbs, row * next.vocab, next.vocab);
          output.logProb += next.logProbs[row * next.vocab + token] as number;
          if (token === options.eosId) {
            output.finished = true;
            return;
          }
          output.ids.push(token);
          if (output.ids.length >= (maxLengths[n] as number)) return;
          kept.push(row);
          keptTokens.push(token);
        });
        const parents = Int32Array.from(kept);
        timedKeep(rows, parents, profile);
        live = parents.map((row) => live[row] as number);
        tokens = Int32Array.from(keptTokens);
      }
    } finally {
      rows.dispose();
    }
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
  return timedSearch(options.profile, () => beamBatches(model, sources, options));
}

function beamBatches(
  model: RnnModel,
  sources: readonly Int32Array[],
  options: DecodeOptions,
): DecodedOutput[][] {
  const profile = options.profile;
  const beam = options.beam;
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const alpha = options.lengthNormalization;
  const results: DecodedOutput[][] = [];
  for (let start = 0; start < sources.length; start += batchSize) {
    const batch = sources.slice(start, start + batchSize);
    const maxLengths = options.maxLengths.slice(start, start + batchSize);
    // Row r of the states is live[r]; rows are grouped by source, in source order.
    const rows = rowsOf(model, batch, options);
    const withAlignment = Boolean(options.withAlignment && rows.attends);
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
      const next = timedStep(rows, tokens, rowSources, profile);
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
      timedKeep(rows, Int32Array.from(parents), profile);
      live = nextLive;
      tokens = Int32Array.from(nextTokens);
    }
    rows.dispose();
    for (const done of ended)
      results.push([...done].sort((a, b) => b.score - a.score).slice(0, beam));
  }
  return results;
}
