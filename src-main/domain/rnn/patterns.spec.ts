import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../backend/tf-backend';
import { makeBatch } from './batching';
import type { SequenceExample } from './batching';
import { beamDecode, sampleTokens } from './decoding';
import { introspect } from './introspection';
import { parseModelConfig } from './model-config';
import { createRng } from './random';
import { RnnModel } from './rnn-model';
import { evaluate, trainModel } from './train';

beforeAll(async () => {
  await initTfBackend();
});

const EOS = 5;

/** Copy task: target = source tokens (1..4) followed by EOS. */
function copyExamples(count: number, seed: number): SequenceExample[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => {
    const length = 2 + Math.floor(rng.next() * 2);
    const inputs = Int32Array.from({ length }, () => 1 + Math.floor(rng.next() * 4));
    return { inputs, length, target: Int32Array.from([...inputs, EOS]) };
  });
}

describe('encoder-decoder', () => {
  it('learns to copy with teacher forcing; greedy and beam decoding reproduce the source', async () => {
    const model = new RnnModel(
      parseModelConfig({
        pattern: 'encoder-decoder',
        input: { kind: 'tokens', vocabSize: 5, embeddingSize: 8 },
        layers: [{ cell: 'gru', units: 24 }],
        decoder: { vocabSize: 6, embeddingSize: 8, layers: [{ cell: 'gru', units: 24 }] },
        output: { size: 6 },
        seed: 2,
      }),
    );
    const train = copyExamples(128, 1);
    const baseline = tf.memory().numTensors;
    await trainModel(model, train, null, {
      epochs: 40,
      batchSize: 16,
      optimizer: { kind: 'adam', learningRate: 0.02 },
      seed: 1,
    });
    expect(evaluate(model, train, 32).accuracy).toBeGreaterThan(0.95);
    let greedyRight = 0;
    let beamRight = 0;
    const tests = copyExamples(10, 99);
    for (const example of tests) {
      const inputs = tf.tensor2d(example.inputs as Int32Array, [1, example.length], 'int32');
      const expected = Array.from(example.target as Int32Array);
      const greedy = beamDecode(model, { inputs }, { beamWidth: 1, maxLength: 6, eosId: EOS });
      const beam = beamDecode(model, { inputs }, { beamWidth: 3, maxLength: 6, eosId: EOS });
      if (JSON.stringify(greedy[0]?.tokens) === JSON.stringify(expected)) greedyRight += 1;
      if (JSON.stringify(beam[0]?.tokens) === JSON.stringify(expected)) beamRight += 1;
      expect((beam[0]?.logProb ?? -Infinity) >= (greedy[0]?.logProb ?? -Infinity) - 1e-6).toBe(
        true,
      );
      inputs.dispose();
    }
    expect(greedyRight).toBeGreaterThanOrEqual(8);
    expect(beamRight).toBeGreaterThanOrEqual(8);
    expect(tf.memory().numTensors).toBe(baseline);
    model.dispose();
  });
});

describe('decoder (language model)', () => {
  it('learns a cyclic sequence and samples it; sampling is seeded; temperature spreads choices', async () => {
    const model = new RnnModel(
      parseModelConfig({
        pattern: 'decoder',
        input: { kind: 'tokens', vocabSize: 4, embeddingSize: 4 },
        layers: [{ cell: 'lstm', units: 12 }],
        output: { size: 4 },
        seed: 5,
      }),
    );
    // 1 2 3 1 2 3 ...: the next token is determined by the current one.
    const train: SequenceExample[] = Array.from({ length: 16 }, (_, i) => {
      const seq = Array.from({ length: 10 }, (__, t) => 1 + ((t + i) % 3));
      return {
        inputs: Int32Array.from(seq.slice(0, 9)),
        length: 9,
        target: Int32Array.from(seq.slice(1)),
      };
    });
    await trainModel(model, train, null, {
      epochs: 30,
      batchSize: 8,
      optimizer: { kind: 'adam', learningRate: 0.05 },
      seed: 1,
    });
    const baseline = tf.memory().numTensors;
    const greedy = sampleTokens(model, { prefix: [1], steps: 6, temperature: 0, seed: 1 });
    expect(greedy).toEqual([2, 3, 1, 2, 3, 1]);
    const a = sampleTokens(model, { prefix: [1], steps: 20, temperature: 5, seed: 7 });
    const b = sampleTokens(model, { prefix: [1], steps: 20, temperature: 5, seed: 7 });
    expect(a).toEqual(b);
    expect(new Set(a).size).toBeGreaterThan(2);
    expect(tf.memory().numTensors).toBe(baseline);
    model.dispose();
  });
});

describe('introspection', () => {
  it('returns gates, states and per-step gradient norms as typed arrays with shapes', () => {
    const model = new RnnModel(
      parseModelConfig({
        pattern: 'transducer',
        input: { kind: 'features', size: 3 },
        layers: [
          { cell: 'lstm', units: 4, bidirectional: 'concat' },
          { cell: 'gru', units: 5 },
        ],
        output: { size: 2 },
      }),
    );
    const examples: SequenceExample[] = [0, 1].map((s) => ({
      inputs: Float32Array.from({ length: 6 * 3 }, (_, i) => Math.sin(i + s)),
      length: 6,
      // Only the last step is scored... via the target: all steps are scored in a transducer,
      // so the gradient norm at t includes the loss at t and every later step.
      target: Int32Array.from([0, 1, 0, 1, 0, 1]),
    }));
    const batch = makeBatch(model.config, examples);
    const baseline = tf.memory().numTensors;
    const traces = introspect(model, batch);
    expect(tf.memory().numTensors).toBe(baseline);
    expect(traces.map((t) => t.layer)).toEqual([
      'encoder/layer0/fw',
      'encoder/layer0/bw',
      'encoder/layer1/fw',
    ]);
    const [fw, bw, gru] = traces;
    expect(Object.keys(fw?.gates ?? {}).sort()).toEqual(['candidate', 'forget', 'input', 'output']);
    expect(fw?.gates.forget?.shape).toEqual([6, 2, 4]);
    expect(fw?.cellState?.data.length).toBe(6 * 2 * 4);
    expect(Object.keys(gru?.gates ?? {}).sort()).toEqual(['candidate', 'reset', 'update']);
    expect(gru?.cellState).toBeNull();
    expect(gru?.gradNorm.shape).toEqual([6, 2]);
    const gates = fw?.gates.input?.data ?? new Float32Array();
    expect(gates.every((g) => g > 0 && g < 1)).toBe(true);
    // The hidden state equals what the model computes: compare the GRU's last-step output.
    expect(gru?.hidden.shape).toEqual([6, 2, 5]);
    expect(Array.from(gru?.gradNorm.data ?? []).every((n) => n > 0)).toBe(true);
    // A backward direction's trace runs forwards in time: its state at the last step is the first it computed.
    expect(bw?.hidden.shape).toEqual([6, 2, 4]);
    tf.dispose([batch.inputs, batch.mask, batch.targets]);
    model.dispose();
  });
});

describe('introspection shows the vanishing gradient', () => {
  // At initialisation both an Elman RNN and an LSTM (forget gate ~ s(1) = 0.73 per step) lose the
  // signal over 40 steps; the LSTM's advantage is that training can open its forget gate.
  it('the error signal of a label at the end decays geometrically going back in time', () => {
    const decay = (cell: 'rnn' | 'lstm'): number => {
      const model = new RnnModel(
        parseModelConfig({
          pattern: 'encoder',
          input: { kind: 'features', size: 2 },
          layers: [{ cell, units: 8 }],
          output: { size: 2 },
          seed: 9,
        }),
      );
      const rng = createRng(3);
      const examples: SequenceExample[] = [0, 1, 2, 3].map((i) => ({
        inputs: Float32Array.from({ length: 40 * 2 }, () => 2 * rng.next() - 1),
        length: 40,
        target: i % 2,
      }));
      const batch = makeBatch(model.config, examples);
      const [trace] = introspect(model, batch);
      const norms = trace?.gradNorm.data ?? new Float32Array();
      const atStep = (t: number): number =>
        [0, 1, 2, 3].reduce((sum, b) => sum + (norms[t * 4 + b] as number), 0);
      tf.dispose([batch.inputs, batch.mask, batch.targets]);
      model.dispose();
      return atStep(0) / atStep(39);
    };
    expect(decay('rnn')).toBeLessThan(1e-2);
    expect(decay('lstm')).toBeLessThan(1e-2);
  });
});
