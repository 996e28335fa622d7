import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRnnNative } from '../../../native/rnn-native';
import type { RnnNativeAddon } from '../../../native/rnn-native';
import { initTfBackend } from '../../backend/tf-backend';
import type { LayerConfig } from '../../rnn/model-config';
import { createRng } from '../../rnn/random';
import { RnnModel } from '../../rnn/rnn-model';
import { beamSearch } from './beam-search';
import { encodesNatively } from './decoder-rows';
import type { DecodedOutput } from './beam-search';
import { encodeSourcesNatively, nativeSourceEncoderOf } from './native-source-encoder';
import type { NativeEncodedBatch } from './native-source-encoder';
import { seq2seqModelConfig } from './seq2seq-task';
import { SOURCE_PADDING_ID, TARGET_EOS_ID } from './symbol-tables';
import type { Seq2seqLabels } from './symbol-tables';

const LABELS: Pick<Seq2seqLabels, 'labels' | 'sourceSymbols'> = {
  labels: ['<s>', '</s>', 'p', 'q', 'r'],
  sourceSymbols: ['', '', 'a', 'b', 'c', 'd'],
};

/** An untrained encoder-decoder with every parameter random (biases too). */
function randomModel(
  layers: LayerConfig[],
  attention: 'none' | 'additive',
  residual = false,
): RnnModel {
  const model = new RnnModel(
    seq2seqModelConfig(
      {
        name: 'random',
        model: {
          layers,
          attention,
          sourceEmbeddingSize: 5,
          targetEmbeddingSize: 4,
          dropout: 0,
          residual,
        },
        seed: 4,
      },
      LABELS,
    ),
  );
  const rng = createRng(11);
  for (const [name, param] of model.params)
    model.setParam(
      name,
      Float32Array.from({ length: param.size }, () => rng.next() - 0.5),
    );
  return model;
}

/** Sources of 1 to 7 symbols, one of them the longest (padding for the others). */
function sources(count: number): Int32Array[] {
  const rng = createRng(8);
  return Array.from({ length: count }, (_, i) =>
    Int32Array.from(
      { length: i === 2 ? 7 : 1 + Math.floor(rng.next() * 6) },
      () => 2 + Math.floor(rng.next() * 4),
    ),
  );
}

/** RnnModel.encodeSource on the padded batch, read into typed arrays. */
function tfjsEncoded(model: RnnModel, batch: Int32Array[]): NativeEncodedBatch {
  // Set inside the scope, not returned from it (tidy would walk the typed arrays for tensors).
  let encodedArrays: NativeEncodedBatch = { states: [], memory: null };
  tf.tidy(() => {
    const time = Math.max(...batch.map((s) => s.length));
    const ids = new Int32Array(batch.length * time).fill(SOURCE_PADDING_ID);
    const mask = new Float32Array(batch.length * time);
    batch.forEach((source, n) => {
      ids.set(source, n * time);
      mask.fill(1, n * time, n * time + source.length);
    });
    const encoded = model.encodeSource({
      inputs: tf.tensor2d(ids, [batch.length, time], 'int32'),
      mask: tf.tensor2d(mask, [batch.length, time]),
    });
    const read = (t: tf.Tensor): Float32Array => t.dataSync() as Float32Array;
    const memory = encoded.memory;
    encodedArrays = {
      states: encoded.states.map((s) => ({ h: read(s.h), c: s.c ? read(s.c) : null })),
      memory: memory
        ? {
            keys: read(memory.keys),
            values: read(memory.values),
            mask: memory.mask ? read(memory.mask) : null,
            batch: batch.length,
            sourceTime: memory.keys.shape[1],
          }
        : null,
    };
  });
  return encodedArrays;
}

/** The largest difference of two arrays; values where `real` is 0 (padding) left out. */
function largestGap(
  a: Float32Array,
  b: Float32Array,
  real: Float32Array | null = null,
  width = 1,
): number {
  expect(a.length).toBe(b.length);
  let gap = 0;
  for (let k = 0; k < a.length; k++) {
    if (real && real[Math.floor(k / width)] === 0) continue;
    gap = Math.max(gap, Math.abs((a[k] as number) - (b[k] as number)));
  }
  return gap;
}

/** The largest gap between two encodings (memory: real steps only); their shapes must agree. */
function encodingGap(native: NativeEncodedBatch, reference: NativeEncodedBatch): number {
  expect(native.states.length).toBe(reference.states.length);
  let gap = 0;
  native.states.forEach((state, l) => {
    const other = reference.states[l] as NativeEncodedBatch['states'][number];
    gap = Math.max(gap, largestGap(state.h, other.h));
    expect(state.c === null).toBe(other.c === null);
    if (state.c && other.c) gap = Math.max(gap, largestGap(state.c, other.c));
  });
  expect(native.memory === null).toBe(reference.memory === null);
  const [a, b] = [native.memory, reference.memory];
  if (a && b) {
    expect([a.batch, a.sourceTime]).toEqual([b.batch, b.sourceTime]);
    expect(Array.from(a.mask ?? [])).toEqual(Array.from(b.mask ?? []));
    const real = b.mask;
    const steps = a.batch * a.sourceTime;
    gap = Math.max(gap, largestGap(a.values, b.values, real, a.values.length / steps));
    gap = Math.max(gap, largestGap(a.keys, b.keys, real, a.keys.length / steps));
  }
  return gap;
}

const CASES: { name: string; layers: LayerConfig[]; residual?: boolean }[] = [
  { name: 'LSTM', layers: [{ cell: 'lstm', units: 6 }] },
  {
    name: '2-layer bidirectional LSTM',
    layers: [
      { cell: 'lstm', units: 6, bidirectional: 'concat' },
      { cell: 'lstm', units: 6, bidirectional: 'concat' },
    ],
  },
  {
    name: '2-layer GRU, residual',
    layers: [
      { cell: 'gru', units: 6 },
      { cell: 'gru', units: 6 },
    ],
    residual: true,
  },
  {
    name: 'bidirectional GRU (summed) over an LSTMP',
    layers: [
      { cell: 'gru', units: 5, bidirectional: 'sum' },
      { cell: 'lstmp', units: 7, projection: 5 },
    ],
  },
];

let addon: RnnNativeAddon | null = null;
const models: { name: string; model: RnnModel }[] = [];

beforeAll(async () => {
  await initTfBackend();
  addon = loadRnnNative().addon;
  for (const { name, layers, residual } of CASES)
    for (const attention of ['none', 'additive'] as const)
      models.push({
        name: `${name}, attention ${attention}`,
        model: randomModel(layers, attention, residual),
      });
});

afterAll(() => {
  for (const { model } of models) model.dispose();
});

describe('native source encoder (skipped without the addon)', () => {
  it('gives the TF.js encoder states and memory (native sequence op and TF.js kernels) to 1e-5', () => {
    if (!addon) return;
    const batch = sources(6);
    const previous = process.env.UNFOLD_RNN_KERNEL;
    try {
      for (const { name, model } of models) {
        const encoder = nativeSourceEncoderOf(addon, model);
        // The LSTM stacks run on the packed kernel (sources unsorted here), the others padded.
        expect(encoder.packed !== null, name).toBe(
          name.startsWith('LSTM') || name.startsWith('2-layer bi'),
        );
        const native = encodeSourcesNatively(encoder, batch);
        const viaNativeOp = tfjsEncoded(model, batch);
        process.env.UNFOLD_RNN_KERNEL = 'tfjs';
        const viaTfjsKernels = tfjsEncoded(model, batch);
        if (previous === undefined) delete process.env.UNFOLD_RNN_KERNEL;
        else process.env.UNFOLD_RNN_KERNEL = previous;
        expect(encodingGap(native, viaNativeOp), name).toBeLessThan(1e-5);
        expect(encodingGap(native, viaTfjsKernels), name).toBeLessThan(1e-5);
        // Not trivially equal: the states are not all zero.
        expect(
          native.states.every((s) => s.h.some((v) => Math.abs(v) > 1e-3)),
          name,
        ).toBe(true);
      }
    } finally {
      if (previous === undefined) delete process.env.UNFOLD_RNN_KERNEL;
      else process.env.UNFOLD_RNN_KERNEL = previous;
    }
  });

  it('decoding after it gives the n-best lists of decoding after the TF.js encoder', () => {
    if (!addon) return;
    const batch = sources(9);
    const options = {
      beam: 3,
      lengthNormalization: 1,
      eosId: TARGET_EOS_ID,
      maxLengths: batch.map(() => 6),
      batchSize: 4,
      withAlignment: true,
    };
    for (const { name, model } of models) {
      expect(encodesNatively(model), name).toBe(true);
      const before = tf.memory().numTensors;
      const run = (engine: 'auto' | 'tfjs-encoder'): DecodedOutput[][] =>
        beamSearch(model, batch, { ...options, engine });
      const native = run('auto');
      const reference = run('tfjs-encoder');
      const lists = (decoded: DecodedOutput[][]): unknown =>
        decoded.map((list) => list.map((d) => d.ids.join(' ')));
      expect(lists(native), name).toEqual(lists(reference));
      expect(
        native.flat().some((d) => d.ids.length > 0),
        name,
      ).toBe(true);
      native.forEach((list, i) =>
        list.forEach((d, k) =>
          expect(Math.abs(d.logProb - (reference[i]?.[k]?.logProb ?? NaN)), name).toBeLessThan(
            1e-5,
          ),
        ),
      );
      expect(tf.memory().numTensors, name).toBe(before);
    }
  });
});
