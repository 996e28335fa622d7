import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRnnNative } from '../../../native/rnn-native';
import { initTfBackend } from '../../backend/tf-backend';
import { makeBatch } from '../batching';
import type { SequenceExample } from '../batching';
import { introspect, type LayerTrace, type ShapedArray } from '../introspection';
import { parseModelConfig } from '../model-config';
import type { LayerConfig } from '../model-config';
import { RnnModel } from '../rnn-model';

/**
 * The trace of every layer (gates, states, ||dLoss/dh_t||) is the same on the native addon as on
 * the TF.js kernels: every cell, one or two directions, stacked, with and without padding.
 */

const load = loadRnnNative();
if (!load.addon) console.warn(`native introspection tests skipped: ${load.reason}`);

beforeAll(async () => {
  await initTfBackend();
});

interface Case {
  name: string;
  pattern: 'transducer' | 'encoder';
  layers: LayerConfig[];
  /** Example lengths: two different ones pad the shorter. */
  lengths: number[];
}

const CASES: Case[] = [
  { name: 'LSTM', pattern: 'transducer', layers: [{ cell: 'lstm', units: 5 }], lengths: [9] },
  {
    name: 'peephole LSTM, bidirectional, padded',
    pattern: 'transducer',
    layers: [{ cell: 'peephole', units: 4, bidirectional: 'concat' }],
    lengths: [8, 5],
  },
  {
    name: 'LSTMP under a GRU',
    pattern: 'encoder',
    layers: [
      { cell: 'lstmp', units: 6, projection: 3 },
      { cell: 'gru', units: 4 },
    ],
    lengths: [7],
  },
  {
    name: 'GRU, bidirectional, padded',
    pattern: 'transducer',
    layers: [{ cell: 'gru', units: 5, bidirectional: 'concat' }],
    lengths: [6, 9],
  },
  {
    name: 'Elman tanh and sigmoid, padded',
    pattern: 'encoder',
    layers: [
      { cell: 'rnn', units: 5, bidirectional: 'sum' },
      { cell: 'rnn', units: 4, activation: 'sigmoid' },
    ],
    lengths: [10, 4],
  },
];

function batchOf(
  model: RnnModel,
  lengths: number[],
  perStep: boolean,
): ReturnType<typeof makeBatch> {
  const examples: SequenceExample[] = lengths.map((length, s) => ({
    inputs: Float32Array.from({ length: length * 3 }, (_, i) => Math.sin(0.7 * i + s)),
    length,
    target: perStep ? Int32Array.from({ length }, (_, t) => (t + s) % 2) : s % 2,
  }));
  return makeBatch(model.config, examples);
}

function expectClose(native: ShapedArray, tensorOps: ShapedArray, what: string): void {
  expect(native.shape, what).toEqual(tensorOps.shape);
  let worst = 0;
  native.data.forEach((v, i) => {
    worst = Math.max(worst, Math.abs(v - (tensorOps.data[i] as number)));
  });
  expect(worst, what).toBeLessThan(1e-5);
}

describe.skipIf(!load.addon)('introspection on the native addon', () => {
  it.each(CASES)('gives the TF.js kernels’ trace: $name', ({ pattern, layers, lengths }) => {
    const model = new RnnModel(
      parseModelConfig({
        pattern,
        input: { kind: 'features', size: 3 },
        layers,
        output: { size: 2 },
        seed: 5,
      }),
    );
    const batch = batchOf(model, lengths, pattern === 'transducer');
    const tensors = tf.memory().numTensors;
    const native = introspect(model, batch, { engine: 'auto' });
    expect(tf.memory().numTensors).toBe(tensors);
    const tensorOps = introspect(model, batch, { engine: 'tensor-ops' });
    expect(native.map((t) => t.layer)).toEqual(tensorOps.map((t) => t.layer));
    native.forEach((trace: LayerTrace, k) => {
      const other = tensorOps[k] as LayerTrace;
      expect(Object.keys(trace.gates).sort()).toEqual(Object.keys(other.gates).sort());
      for (const [name, gate] of Object.entries(trace.gates))
        expectClose(gate, other.gates[name] as ShapedArray, `${trace.layer} ${name}`);
      expectClose(trace.hidden, other.hidden, `${trace.layer} hidden`);
      expect(trace.cellState === null).toBe(other.cellState === null);
      if (trace.cellState && other.cellState)
        expectClose(trace.cellState, other.cellState, `${trace.layer} cell`);
      expectClose(trace.gradNorm, other.gradNorm, `${trace.layer} gradNorm`);
      // Not all zero: the comparison compares something.
      expect(trace.gradNorm.data.some((v) => v > 1e-4)).toBe(true);
    });
    tf.dispose([batch.inputs, batch.mask, batch.targets]);
    model.dispose();
  });
});
