import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRnnNative } from '../../../native/rnn-native';
import { initTfBackend } from '../../backend/tf-backend';
import { attendToEncoder, encoderMemory, gatherMemory } from '../decoder-attention';
import type { DecoderAttentionParams, EncoderMemory } from '../decoder-attention';
import { createRng } from '../random';
import {
  attendRowsNatively,
  hasNativeDecoderAttention,
  nativeAttentionWeights,
  nativeEncoderMemory,
} from './native-decoder-attention';

const addon = loadRnnNative().addon;

// Sizes that differ from each other, so that a transposed or mixed-up dimension shows.
const BATCH = 3;
const SOURCE_TIME = 5;
const ENCODER = 7;
const DECODER = 6;
const ATTENTION = 9;
/** Real steps per source: one source unpadded, one with one real step. */
const LENGTHS = [5, 3, 1];
/** Row r reads source ROW_SOURCES[r]: out of order and repeated, as a beam's rows are. */
const ROW_SOURCES = Int32Array.from([2, 0, 0, 1, 2, 1, 0, 1]);

function random(shape: number[], seed: number, spread: number): tf.Tensor {
  const rng = createRng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => spread * (2 * rng.next() - 1)),
    shape,
  );
}

let params: DecoderAttentionParams;
let memory: EncoderMemory;

beforeAll(async () => {
  await initTfBackend();
  // Spreads that put many tanh inputs in its saturated range too (|x| > 3).
  params = {
    encoderKernel: random([ENCODER, ATTENTION], 1, 1.5) as tf.Tensor2D,
    decoderKernel: random([DECODER, ATTENTION], 2, 1.5) as tf.Tensor2D,
    vector: random([ATTENTION, 1], 3, 1) as tf.Tensor2D,
    combineKernel: random([ENCODER + DECODER, DECODER], 4, 0.8) as tf.Tensor2D,
    combineBias: random([DECODER], 5, 0.5) as tf.Tensor1D,
  };
  const mask = tf.tensor2d(
    LENGTHS.flatMap((length) =>
      Array.from({ length: SOURCE_TIME }, (_, s) => (s < length ? 1 : 0)),
    ),
    [BATCH, SOURCE_TIME],
  );
  const outputs = random([SOURCE_TIME, BATCH, ENCODER], 6, 1) as tf.Tensor3D;
  memory = encoderMemory(outputs, mask, params);
  tf.dispose([outputs, mask]);
});

afterAll(() => {
  tf.dispose(Object.values(params));
  tf.dispose([memory.values, memory.keys, ...(memory.mask ? [memory.mask] : [])]);
});

/** attendToEncoder on the rows' gathered memory: the TF.js ops training differentiates. */
function reference(top: tf.Tensor2D): { attended: Float32Array; weights: Float32Array } {
  return tf.tidy(() => {
    const rows = gatherMemory(memory, tf.tensor1d(ROW_SOURCES, 'int32'));
    const out = attendToEncoder(tf.expandDims(top, 0) as tf.Tensor3D, rows, params);
    return {
      attended: out.attended.dataSync() as Float32Array,
      weights: out.weights.dataSync() as Float32Array,
    };
  });
}

function largestDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

describe.skipIf(!addon || !hasNativeDecoderAttention(addon))(
  'native decoder attention step',
  () => {
    it('gives attendToEncoder outputs and weights to 1e-5 on random inputs', () => {
      if (!addon) return;
      const native = nativeEncoderMemory(memory);
      const weights = nativeAttentionWeights(params);
      for (const [seed, spread] of [
        [7, 1],
        [8, 4],
      ] as const) {
        const top = random([ROW_SOURCES.length, DECODER], seed, spread) as tf.Tensor2D;
        const expected = reference(top);
        const got = attendRowsNatively(
          addon,
          weights,
          native,
          top.dataSync() as Float32Array,
          ROW_SOURCES,
        );
        top.dispose();
        expect(largestDifference(got.weights, expected.weights)).toBeLessThan(1e-5);
        expect(largestDifference(got.attended, expected.attended)).toBeLessThan(1e-5);
        let spreadRows = 0;
        ROW_SOURCES.forEach((source, r) => {
          const row = got.weights.subarray(r * SOURCE_TIME, (r + 1) * SOURCE_TIME);
          const length = LENGTHS[source] as number;
          if (Math.max(...row) < 0.9) spreadRows++;
          const real = row.subarray(0, length).reduce((a, b) => a + b, 0);
          expect(real).toBeCloseTo(1, 5);
          expect([...row.subarray(length)]).toEqual(new Array(SOURCE_TIME - length).fill(0));
        });
        // Not a trivial agreement: most rows spread their weight over several steps.
        expect(spreadRows).toBeGreaterThanOrEqual(4);
      }
    });

    it("gives the same values bit for bit when a step's rows run as two lanes", () => {
      if (!addon) return;
      const native = nativeEncoderMemory(memory);
      const weights = nativeAttentionWeights(params);
      // 40 rows: two lanes of 20 at two threads (lanes need 16 rows each).
      const rowSources = Int32Array.from({ length: 40 }, (_, r) => ROW_SOURCES[r % 8] as number);
      const top = random([rowSources.length, DECODER], 9, 2) as tf.Tensor2D;
      const values = top.dataSync() as Float32Array;
      top.dispose();
      const threads = addon.info().parallel;
      try {
        // setParallel measures lanes afresh: its first call runs two of them.
        addon.setParallel(2);
        const lanes = attendRowsNatively(addon, weights, native, values, rowSources);
        addon.setParallel(1);
        const whole = attendRowsNatively(addon, weights, native, values, rowSources);
        expect(lanes.attended).toEqual(whole.attended);
        expect(lanes.weights).toEqual(whole.weights);
        // The second lane's rows are real work: row 32 reads source 2 like row 0, from another top.
        expect(whole.attended.subarray(32 * DECODER, 33 * DECODER)).not.toEqual(
          whole.attended.subarray(0, DECODER),
        );
      } finally {
        addon.setParallel(threads);
      }
    });

    it('reads without a mask as attendToEncoder does (every step real)', () => {
      if (!addon) return;
      const unmasked: EncoderMemory = { ...memory, mask: null };
      const top = random([ROW_SOURCES.length, DECODER], 9, 1) as tf.Tensor2D;
      const expected = tf.tidy(() => {
        const rows = gatherMemory(unmasked, tf.tensor1d(ROW_SOURCES, 'int32'));
        return attendToEncoder(
          tf.expandDims(top, 0) as tf.Tensor3D,
          rows,
          params,
        ).attended.dataSync() as Float32Array;
      });
      const got = attendRowsNatively(
        addon,
        nativeAttentionWeights(params),
        nativeEncoderMemory(unmasked),
        top.dataSync() as Float32Array,
        ROW_SOURCES,
      );
      top.dispose();
      expect(largestDifference(got.attended, expected)).toBeLessThan(1e-5);
      expect(Math.min(...got.weights)).toBeGreaterThan(0);
    });

    it('refuses a row source outside the batch and an array of the wrong length', () => {
      if (!addon) return;
      const native = nativeEncoderMemory(memory);
      const weights = nativeAttentionWeights(params);
      const top = new Float32Array(2 * DECODER);
      expect(() =>
        attendRowsNatively(addon, weights, native, top, Int32Array.from([0, BATCH])),
      ).toThrow(/outside the batch/);
      expect(() =>
        attendRowsNatively(
          addon,
          weights,
          { ...native, keys: native.keys.subarray(1) },
          top,
          Int32Array.from([0, 1]),
        ),
      ).toThrow(/keys: expected/);
    });
  },
);
