import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../../backend/tf-backend';
import { createRng } from '../../rnn/random';
import { RnnModel } from '../../rnn/rnn-model';
import { beamSearch, greedyDecode, lengthNormalizedScore } from './beam-search';
import { seq2seqModelConfig } from './seq2seq-task';
import { TARGET_EOS_ID } from './symbol-tables';

let model: RnnModel;
let attending: RnnModel;

/** An untrained two-layer LSTM encoder-decoder: its outputs are arbitrary but deterministic. */
function untrained(attention: 'none' | 'additive', bidirectional?: 'concat'): RnnModel {
  return new RnnModel(
    seq2seqModelConfig(
      {
        name: 'untrained',
        model: {
          layers: [
            { cell: 'lstm', units: 12, ...(bidirectional ? { bidirectional } : {}) },
            { cell: 'lstm', units: 12 },
          ],
          attention,
          sourceEmbeddingSize: 6,
          targetEmbeddingSize: 6,
          dropout: 0,
          residual: false,
        },
        seed: 4,
      },
      { labels: ['<s>', '</s>', 'p', 'q', 'r', 's'], sourceSymbols: ['', '', 'a', 'b', 'c'] },
    ),
  );
}

beforeAll(async () => {
  await initTfBackend();
  model = untrained('none');
  attending = untrained('additive', 'concat');
});

afterAll(() => {
  model.dispose();
  attending.dispose();
});

function sources(count: number): Int32Array[] {
  const rng = createRng(7);
  return Array.from({ length: count }, () =>
    Int32Array.from(
      { length: 1 + Math.floor(rng.next() * 6) },
      () => 2 + Math.floor(rng.next() * 3),
    ),
  );
}

describe('decoding an encoder-decoder', () => {
  it('makes the same choices with beam 1 as greedy decoding, in batches of any size', () => {
    const inputs = sources(9);
    const common = {
      lengthNormalization: 1,
      eosId: TARGET_EOS_ID,
      maxLengths: inputs.map(() => 8),
    };
    const greedy = greedyDecode(model, inputs, { ...common, batchSize: 4 });
    const beam = beamSearch(model, inputs, { ...common, beam: 1, batchSize: 3 });
    // Not a trivial case: the untrained model writes several symbols before ending.
    expect(greedy.some((g) => g.ids.length >= 2)).toBe(true);
    expect(beam.map((n) => n.length)).toEqual(inputs.map(() => 1));
    beam.forEach((nBest, i) => {
      expect(nBest[0]?.ids).toEqual(greedy[i]?.ids);
      expect(nBest[0]?.finished).toBe(greedy[i]?.finished);
      expect(nBest[0]?.logProb).toBeCloseTo(greedy[i]?.logProb ?? NaN, 4);
    });
  });

  it('returns up to beam outputs per source, best score first, never longer than the limit', () => {
    const inputs = sources(5);
    const limits = [1, 2, 3, 4, 5];
    const before = tf.memory().numTensors;
    const results = beamSearch(model, inputs, {
      beam: 4,
      lengthNormalization: 1,
      eosId: TARGET_EOS_ID,
      maxLengths: limits,
    });
    expect(tf.memory().numTensors).toBe(before);
    results.forEach((nBest, i) => {
      expect(nBest.length).toBeGreaterThan(0);
      expect(nBest.length).toBeLessThanOrEqual(4);
      const scores = nBest.map((h) => h.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
      for (const h of nBest) {
        expect(h.ids.length).toBeLessThanOrEqual(limits[i] as number);
        expect(h.ids).not.toContain(TARGET_EOS_ID);
        const length = h.ids.length + (h.finished ? 1 : 0);
        expect(h.score).toBeCloseTo(h.logProb / length, 10);
      }
    });
  });

  it('with attention and a bidirectional encoder: beam 1 is greedy, each output has its alignment', () => {
    const inputs = sources(7);
    const common = {
      lengthNormalization: 1,
      eosId: TARGET_EOS_ID,
      maxLengths: inputs.map(() => 6),
      withAlignment: true,
    };
    const before = tf.memory().numTensors;
    const greedy = greedyDecode(attending, inputs, { ...common, batchSize: 4 });
    const beam1 = beamSearch(attending, inputs, { ...common, beam: 1, batchSize: 3 });
    const beam3 = beamSearch(attending, inputs, { ...common, beam: 3 });
    expect(tf.memory().numTensors).toBe(before);
    expect(greedy.some((g) => g.ids.length >= 2)).toBe(true);
    beam1.forEach((nBest, i) => {
      expect(nBest[0]?.ids).toEqual(greedy[i]?.ids);
      expect(nBest[0]?.logProb).toBeCloseTo(greedy[i]?.logProb ?? NaN, 4);
      nBest[0]?.alignment?.forEach((row, t) =>
        row.forEach((w, s) => expect(w).toBeCloseTo(greedy[i]?.alignment?.[t]?.[s] ?? NaN, 5)),
      );
    });
    const perSource = inputs.map((source, i) => ({
      source,
      outputs: [greedy[i], ...(beam3[i] ?? [])],
    }));
    for (const { source, outputs } of perSource)
      for (const output of outputs) {
        const rows = output?.alignment ?? [];
        expect(rows.length).toBe((output?.ids.length ?? 0) + (output?.finished ? 1 : 0));
        for (const row of rows) {
          expect(row.length).toBe(source.length);
          expect(row.reduce((a, w) => a + w, 0)).toBeCloseTo(1, 5);
        }
      }
    const plain = greedyDecode(attending, inputs, { ...common, withAlignment: false });
    expect(plain.every((output) => output.alignment === undefined)).toBe(true);
    expect(greedyDecode(model, inputs, common).every((o) => o.alignment === undefined)).toBe(true);
  });

  it('normalises a score by length to the power alpha (0: the total log-probability)', () => {
    expect(lengthNormalizedScore(-6, 3, 0)).toBe(-6);
    expect(lengthNormalizedScore(-6, 3, 1)).toBe(-2);
    expect(lengthNormalizedScore(-8, 4, 0.5)).toBe(-4);
  });
});
