import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRnnNative } from '../../../native/rnn-native';
import { initTfBackend } from '../../backend/tf-backend';
import { disposeBatch, makeBatch } from '../batching';
import type { SequenceExample } from '../batching';
import { introspect, type LayerTrace, type ShapedArray } from '../introspection';
import { parseModelConfig } from '../model-config';
import type { ModelConfigInput } from '../model-config';
import { RnnModel } from '../rnn-model';

/**
 * On the native addon, a layer with another below it is traced inside the gradient pass: one
 * backward gives its trace and the gradient it passes down (a stand-in W stacked on the
 * recurrence's matrix). Every cell family on top of a stack, padded and bidirectional, with a
 * residual, a pooled sequence classifier and an encoder-decoder, against the TF.js kernels.
 */

const load = loadRnnNative();
if (!load.addon) console.warn(`native introspection tests skipped: ${load.reason}`);

beforeAll(async () => {
  await initTfBackend();
});

interface Case {
  name: string;
  config: Omit<ModelConfigInput, 'input' | 'output' | 'seed'>;
  lengths: number[];
}

const CASES: Case[] = [
  {
    name: 'LSTM over LSTM, padded',
    config: {
      pattern: 'transducer',
      layers: [
        { cell: 'lstm', units: 5 },
        { cell: 'lstm', units: 4 },
      ],
    },
    lengths: [9, 6],
  },
  {
    name: 'peephole LSTM over a bidirectional GRU, padded',
    config: {
      pattern: 'transducer',
      layers: [
        { cell: 'gru', units: 4, bidirectional: 'concat' },
        { cell: 'peephole', units: 3 },
      ],
    },
    lengths: [7, 10],
  },
  {
    name: 'bidirectional LSTMP over Elman, residual',
    config: {
      pattern: 'transducer',
      residual: true,
      layers: [
        { cell: 'rnn', units: 6 },
        { cell: 'lstmp', units: 5, projection: 3, bidirectional: 'concat' },
      ],
    },
    lengths: [8],
  },
  {
    name: 'three layers, sequence classifier with last-state pooling',
    config: {
      pattern: 'encoder',
      pooling: 'last',
      layers: [
        { cell: 'lstm', units: 4 },
        { cell: 'gru', units: 4, bidirectional: 'sum' },
        // A bidirectional top layer pools its final states, which no probe sees: not traceable.
        { cell: 'lstm', units: 3 },
      ],
    },
    lengths: [6, 9],
  },
];

function batchOf(config: ModelConfigInput, lengths: number[], perStep: boolean) {
  const size = 3;
  const examples: SequenceExample[] = lengths.map((length, s) => ({
    inputs: Float32Array.from({ length: length * size }, (_, i) => Math.sin(0.9 * i + s)),
    length,
    target: perStep ? Int32Array.from({ length }, (_, t) => (t + s) % 2) : s % 2,
  }));
  return makeBatch(parseModelConfig(config), examples);
}

function worstDifference(native: ShapedArray, tensorOps: ShapedArray): number {
  expect(native.shape).toEqual(tensorOps.shape);
  let worst = 0;
  native.data.forEach((v, i) => {
    worst = Math.max(worst, Math.abs(v - (tensorOps.data[i] as number)));
  });
  return worst;
}

function expectSameTraces(native: LayerTrace[], tensorOps: LayerTrace[]): void {
  expect(native.map((t) => t.layer)).toEqual(tensorOps.map((t) => t.layer));
  native.forEach((trace, k) => {
    const other = tensorOps[k] as LayerTrace;
    for (const [name, gate] of Object.entries(trace.gates))
      expect(worstDifference(gate, other.gates[name] as ShapedArray), name).toBeLessThan(1e-5);
    expect(worstDifference(trace.hidden, other.hidden)).toBeLessThan(1e-5);
    if (trace.cellState && other.cellState)
      expect(worstDifference(trace.cellState, other.cellState)).toBeLessThan(1e-5);
    const gradient = worstDifference(trace.gradNorm, other.gradNorm);
    expect(gradient, `${trace.layer} gradNorm`).toBeLessThan(1e-5);
    // Not all zero: the comparison compares something.
    expect(
      trace.gradNorm.data.some((v) => v > 1e-4),
      `${trace.layer} gradNorm`,
    ).toBe(true);
  });
}

describe.skipIf(!load.addon)('introspection of stacks on the native addon', () => {
  it.each(CASES)('gives the TF.js kernels’ trace: $name', ({ config, lengths }) => {
    const full: ModelConfigInput = {
      ...config,
      input: { kind: 'features', size: 3 },
      output: { size: 2 },
      seed: 11,
    } as ModelConfigInput;
    const model = new RnnModel(parseModelConfig(full));
    const batch = batchOf(full, lengths, config.pattern === 'transducer');
    const tensors = tf.memory().numTensors;
    const native = introspect(model, batch, { engine: 'auto' });
    expect(tf.memory().numTensors).toBe(tensors);
    expectSameTraces(native, introspect(model, batch, { engine: 'tensor-ops' }));
    disposeBatch(batch);
    model.dispose();
  });

  it('gives the TF.js kernels’ traces of an encoder-decoder with attention', () => {
    const config = parseModelConfig({
      pattern: 'encoder-decoder',
      input: { kind: 'features', size: 3 },
      layers: [
        { cell: 'lstm', units: 4 },
        { cell: 'lstm', units: 4 },
      ],
      decoder: {
        vocabSize: 5,
        embeddingSize: 3,
        layers: [
          { cell: 'lstm', units: 4 },
          { cell: 'lstm', units: 4 },
        ],
        // Without attention the encoder's outputs reach the loss only through its final state,
        // which no probe sees: not traceable.
        attention: 'additive',
      },
      output: { size: 5 },
      seed: 2,
    });
    const model = new RnnModel(config);
    const batch = makeBatch(config, [
      {
        inputs: Float32Array.from({ length: 7 * 3 }, (_, i) => Math.cos(0.5 * i)),
        length: 7,
        target: Int32Array.from([1, 3, 2, 4]),
      },
    ]);
    const native = introspect(model, batch, { engine: 'auto' });
    expect(native.map((t) => t.layer)).toEqual([
      'encoder/layer0/fw',
      'encoder/layer1/fw',
      'decoder/layer0/fw',
      'decoder/layer1/fw',
    ]);
    expectSameTraces(native, introspect(model, batch, { engine: 'tensor-ops' }));
    disposeBatch(batch);
    model.dispose();
  });
});
