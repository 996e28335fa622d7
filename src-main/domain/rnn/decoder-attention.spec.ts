import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../backend/tf-backend';
import { BOS_ID, disposeBatch, makeBatch } from './batching';
import type { SequenceExample } from './batching';
import { gatherMemory } from './decoder-attention';
import { parseModelConfig } from './model-config';
import type { ModelConfigInput } from './model-config';
import { modelParamSpecs } from './model-params';
import { createRng } from './random';
import type { LayerState } from './rnn-model';
import { RnnModel } from './rnn-model';
import { worstGradientError } from './testing/finite-differences';
import { withKernel } from './testing/with-kernel';

beforeAll(async () => {
  await initTfBackend();
});

/** Reversal pairs of lengths 2, 3 and 4 (so sources and targets are padded in one batch). */
function reversals(count: number, vocab: number, seed: number): SequenceExample[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, (_, i) => {
    const length = 2 + (i % 3);
    const inputs = Int32Array.from({ length }, () => 1 + Math.floor(rng.next() * (vocab - 1)));
    return { inputs, length, target: Int32Array.from([...inputs].reverse()) };
  });
}

function seq2seq(
  cell: 'lstm' | 'gru',
  options: { attention?: 'none' | 'additive'; bidirectional?: 'concat' | 'sum'; layers?: number },
): ModelConfigInput {
  const depth = options.layers ?? 1;
  return {
    pattern: 'encoder-decoder',
    input: { kind: 'tokens', vocabSize: 6, embeddingSize: 3 },
    layers: Array.from({ length: depth }, () => ({
      cell,
      units: 3,
      ...(options.bidirectional ? { bidirectional: options.bidirectional } : {}),
    })),
    decoder: {
      vocabSize: 6,
      embeddingSize: 3,
      layers: Array.from({ length: depth }, () => ({ cell, units: 3 })),
      ...(options.attention ? { attention: options.attention } : {}),
    },
    output: { size: 6 },
    seed: 4,
  };
}

function paramNames(config: ModelConfigInput): string[] {
  return modelParamSpecs(parseModelConfig(config)).map((spec) => spec.name);
}

describe('encoder-decoder config: attention and bidirectional encoders', () => {
  it('leaves a config without them as it was: no attention or bridge parameters', () => {
    const config = parseModelConfig(seq2seq('lstm', {}));
    expect(config.decoder?.attention).toBe('none');
    expect(paramNames(seq2seq('lstm', {})).filter((n) => /^(attention|bridge)\//.test(n))).toEqual(
      [],
    );
  });

  it('adds the attention parameters and a bridge per bidirectional layer (c only with a cell state)', () => {
    const lstm = paramNames(seq2seq('lstm', { attention: 'additive', bidirectional: 'concat' }));
    expect(lstm.filter((n) => /^(attention|bridge)\//.test(n))).toEqual([
      'bridge/layer0/h/kernel',
      'bridge/layer0/h/bias',
      'bridge/layer0/c/kernel',
      'bridge/layer0/c/bias',
      'attention/encoder_kernel',
      'attention/decoder_kernel',
      'attention/vector',
      'attention/combine/kernel',
      'attention/combine/bias',
    ]);
    const shapes = new Map(
      modelParamSpecs(
        parseModelConfig(seq2seq('lstm', { attention: 'additive', bidirectional: 'concat' })),
      ).map((s) => [s.name, s.shape]),
    );
    // Encoder top output 2 x 3 (concat), decoder output 3.
    expect(shapes.get('attention/encoder_kernel')).toEqual([6, 3]);
    expect(shapes.get('attention/combine/kernel')).toEqual([9, 3]);
    expect(shapes.get('bridge/layer0/h/kernel')).toEqual([6, 3]);
    expect(shapes.get('output/kernel')).toEqual([3, 6]);
    const gru = paramNames(seq2seq('gru', { bidirectional: 'sum' }));
    expect(gru.filter((n) => n.startsWith('bridge/'))).toEqual([
      'bridge/layer0/h/kernel',
      'bridge/layer0/h/bias',
    ]);
  });

  it('refuses a bidirectional decoder layer', () => {
    const config = seq2seq('gru', {});
    const decoder = config.decoder as { layers: object[] };
    decoder.layers = [{ cell: 'gru', units: 3, bidirectional: 'concat' }];
    expect(() => parseModelConfig(config)).toThrow(/decoder\.layers\.0\.bidirectional/);
  });
});

describe('additive decoder attention', () => {
  it('gives weights summing to 1 over each source’s real steps and exactly 0 on its padding', () => {
    const model = new RnnModel(parseModelConfig(seq2seq('gru', { attention: 'additive' })));
    const examples = reversals(3, 6, 1);
    const batch = makeBatch(model.config, examples);
    const result = model.forward(batch, { training: false, withAttention: true });
    const alignment = result.alignment as tf.Tensor3D;
    const [rows, steps, sourceTime] = alignment.shape;
    expect([rows, sourceTime]).toEqual([3, 4]);
    const weights = alignment.arraySync();
    examples.forEach((example, b) => {
      for (let t = 0; t < steps; t++) {
        const row = weights[b]?.[t] as number[];
        const real = row.slice(0, example.length);
        expect(real.reduce((a, w) => a + w, 0)).toBeCloseTo(1, 5);
        for (const w of real) expect(w).toBeGreaterThan(0);
        expect(row.slice(example.length)).toEqual(row.slice(example.length).map(() => 0));
      }
    });
    expect(model.forward(batch, { training: false }).alignment).toBeUndefined();
    tf.dispose([result.logits, alignment]);
    disposeBatch(batch);
    model.dispose();
  });

  for (const implementation of ['native', 'tfjs'] as const) {
    it(`${implementation}: attention and bridge gradients agree with finite differences`, () => {
      withKernel(implementation, () => {
        for (const cell of ['lstm', 'gru'] as const) {
          const model = new RnnModel(
            parseModelConfig(seq2seq(cell, { attention: 'additive', bidirectional: 'concat' })),
          );
          // Larger weights than the initialisers give, so every path carries a visible gradient.
          for (const variable of model.params.values()) variable.assign(tf.mul(variable, 2.5));
          const { worst, checked } = worstGradientError(model, reversals(3, 6, 2), {
            only: ['attention/', 'bridge/', 'encoder/', 'decoder/layer0/fw/recurrent_kernel'],
          });
          expect(checked).toBeGreaterThan(30);
          expect(worst).toBeLessThan(5e-3);
          model.dispose();
        }
      });
    });
  }

  it('bridges a bidirectional encoder without attention (gradient through both directions)', () => {
    const model = new RnnModel(parseModelConfig(seq2seq('lstm', { bidirectional: 'sum' })));
    for (const variable of model.params.values()) variable.assign(tf.mul(variable, 2.5));
    const { worst } = worstGradientError(model, reversals(3, 6, 3), {
      only: ['bridge/', 'encoder/layer0/bw/'],
    });
    expect(worst).toBeLessThan(5e-3);
    model.dispose();
  });

  it('decodes step by step exactly as the teacher-forced forward (logits and weights)', () => {
    const model = new RnnModel(
      parseModelConfig(
        seq2seq('lstm', { attention: 'additive', bidirectional: 'concat', layers: 2 }),
      ),
    );
    for (const variable of model.params.values()) variable.assign(tf.mul(variable, 2));
    const examples = reversals(3, 6, 4);
    const batch = makeBatch(model.config, examples);
    const forward = model.forward(batch, { training: false, withAttention: true });
    const expectedLogits = tf.transpose(forward.logits, [1, 0, 2]).arraySync() as number[][][];
    const expectedWeights = (forward.alignment as tf.Tensor3D).arraySync();
    const decoderInputs = (batch.decoderInputs as tf.Tensor2D).arraySync();
    // The sources in reverse order, to check that decodeSteps reads the memory rows it is given.
    const rows = tf.tensor1d([2, 1, 0], 'int32');
    const encoded = model.encodeSource({ inputs: batch.inputs, mask: batch.mask });
    const memory = gatherMemory(encoded.memory as NonNullable<typeof encoded.memory>, rows);
    let states: LayerState[] = encoded.states.map((s) => ({
      h: tf.gather(s.h, rows),
      c: s.c ? tf.gather(s.c, rows) : null,
    }));
    const steps = decoderInputs[0]?.length ?? 0;
    for (let t = 0; t < steps; t++) {
      const tokens = tf.tensor2d(
        [2, 1, 0].map((b) => [decoderInputs[b]?.[t] ?? BOS_ID]),
        [3, 1],
        'int32',
      );
      const out = model.decodeSteps(tokens, states, memory);
      const logits = out.logits.arraySync() as number[][][];
      const weights = (out.alignment as tf.Tensor3D).arraySync();
      [2, 1, 0].forEach((b, row) => {
        // Past its target the forward holds a sequence's state (masked steps); decoding goes on.
        if (t >= (examples[b]?.target as Int32Array).length) return;
        const got = logits[0]?.[row] as number[];
        const want = expectedLogits[b]?.[t] as number[];
        got.forEach((value, k) => expect(value).toBeCloseTo(want[k] as number, 4));
        const gotWeights = weights[row]?.[0] as number[];
        const wantWeights = expectedWeights[b]?.[t] as number[];
        gotWeights.forEach((value, k) => expect(value).toBeCloseTo(wantWeights[k] as number, 5));
      });
      states = out.finalStates;
    }
    model.dispose();
  });
});
