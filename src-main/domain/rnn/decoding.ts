import * as tf from '@tensorflow/tfjs';
import { BOS_ID } from './batching';
import type { TokenExtras } from './batching';
import { disposeMemory, keepMemory } from './decoder-attention';
import type { EncoderMemory } from './decoder-attention';
import { createRng } from './random';
import { disposeLayerStates } from './rnn-model';
import type { LayerState, RnnModel } from './rnn-model';

function keepStates(states: LayerState[]): LayerState[] {
  return states.map((s) => ({ h: tf.keep(s.h), c: s.c ? tf.keep(s.c) : null }));
}

/**
 * Log-probabilities of the next token after feeding `tokens` from `states` (batch 1); an
 * encoder-decoder with attention reads its source's encoder memory.
 */
function step(
  model: RnnModel,
  tokens: number[],
  states: LayerState[],
  memory: EncoderMemory | null = null,
): { logProbs: Float32Array; states: LayerState[] } {
  let result: { logProbs: Float32Array; states: LayerState[] } | undefined;
  tf.tidy(() => {
    const input = tf.tensor2d(Int32Array.from(tokens), [1, tokens.length], 'int32');
    const out = model.decodeSteps(input, states, memory);
    const time = out.logits.shape[0] as number;
    const last = tf.slice(out.logits, [time - 1, 0, 0], [1, 1, -1]);
    result = {
      logProbs: tf.logSoftmax(tf.reshape(last, [-1])).dataSync() as Float32Array,
      states: keepStates(out.finalStates),
    };
  });
  return result as { logProbs: Float32Array; states: LayerState[] };
}

/**
 * Generates tokens from a decoder (language model): feeds the prefix, then samples each next
 * token from softmax(logits / temperature) with a seeded generator; temperature 0 is greedy.
 */
export function sampleTokens(
  model: RnnModel,
  options: { prefix: number[]; steps: number; temperature: number; seed: number; stopId?: number },
): number[] {
  const rng = createRng(options.seed);
  let states = model.zeroStates(1);
  let next = step(model, options.prefix.length > 0 ? options.prefix : [BOS_ID], states);
  disposeLayerStates(states);
  states = next.states;
  const output: number[] = [];
  for (let i = 0; i < options.steps; i++) {
    const token = pick(next.logProbs, options.temperature, rng.next());
    output.push(token);
    if (token === options.stopId) break;
    next = step(model, [token], states);
    disposeLayerStates(states);
    states = next.states;
  }
  disposeLayerStates(states);
  return output;
}

function pick(logProbs: Float32Array, temperature: number, u: number): number {
  if (temperature <= 0) return argMax(logProbs);
  const scaled = Array.from(logProbs, (l) => l / temperature);
  const max = Math.max(...scaled);
  const weights = scaled.map((s) => Math.exp(s - max));
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += (weights[i] as number) / total;
    if (u < acc) return i;
  }
  return weights.length - 1;
}

function argMax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++)
    if ((values[i] as number) > (values[best] as number)) best = i;
  return best;
}

export interface Hypothesis {
  tokens: number[];
  logProb: number;
}

/**
 * Encoder-decoder decoding: encode the source, then extend hypotheses token by token from
 * BOS. beamWidth 1 is greedy decoding. Hypotheses end at `eosId` (included) or `maxLength`.
 * Returns the finished hypotheses, best first (by total log-probability).
 */
export function beamDecode(
  model: RnnModel,
  source: { inputs: tf.Tensor; mask?: tf.Tensor2D | null } & TokenExtras,
  options: { beamWidth: number; maxLength: number; eosId: number },
): Hypothesis[] {
  let encoded: LayerState[] = [];
  let memory: EncoderMemory | null = null;
  tf.tidy(() => {
    const encodedSource = model.encodeSource({ ...source, mask: source.mask ?? null });
    encoded = keepStates(encodedSource.states);
    memory = keepMemory(encodedSource.memory);
  });
  let beams: Array<Hypothesis & { states: LayerState[]; last: number }> = [
    { tokens: [], logProb: 0, states: encoded, last: BOS_ID },
  ];
  const finished: Hypothesis[] = [];
  for (let length = 0; length < options.maxLength && beams.length > 0; length++) {
    const candidates: Array<Hypothesis & { parent: number; states: LayerState[] | null }> = [];
    const expanded = beams.map((beam) => step(model, [beam.last], beam.states, memory));
    expanded.forEach((e, parent) => {
      const beam = beams[parent] as (typeof beams)[number];
      const order = Array.from(e.logProbs.keys()).sort(
        (a, b) => (e.logProbs[b] as number) - (e.logProbs[a] as number),
      );
      for (const token of order.slice(0, options.beamWidth)) {
        candidates.push({
          tokens: [...beam.tokens, token],
          logProb: beam.logProb + (e.logProbs[token] as number),
          parent,
          states: null,
        });
      }
    });
    candidates.sort((a, b) => b.logProb - a.logProb);
    const next: typeof beams = [];
    for (const c of candidates.slice(0, options.beamWidth)) {
      const last = c.tokens[c.tokens.length - 1] as number;
      if (last === options.eosId) finished.push({ tokens: c.tokens, logProb: c.logProb });
      else
        next.push({
          tokens: c.tokens,
          logProb: c.logProb,
          last,
          states: cloneStates((expanded[c.parent] as { states: LayerState[] }).states),
        });
    }
    beams.forEach((b) => disposeLayerStates(b.states));
    expanded.forEach((e) => disposeLayerStates(e.states));
    beams = next;
    if (finished.length >= options.beamWidth) break;
  }
  for (const beam of beams) {
    finished.push({ tokens: beam.tokens, logProb: beam.logProb });
    disposeLayerStates(beam.states);
  }
  disposeMemory(memory);
  return finished.sort((a, b) => b.logProb - a.logProb);
}

function cloneStates(states: LayerState[]): LayerState[] {
  return states.map((s) => ({ h: tf.clone(s.h), c: s.c ? tf.clone(s.c) : null }));
}
