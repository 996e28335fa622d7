import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../backend/tf-backend';
import { makeBatch } from './batching';
import type { SequenceExample } from './batching';
import { parseModelConfig } from './model-config';
import type { ModelConfigInput } from './model-config';
import { createRng } from './random';
import { RnnModel } from './rnn-model';
import { computeGradients } from './train';

beforeAll(async () => {
  await initTfBackend();
});

/**
 * Whole-model gradients (embedding lookup with its own gradient, bidirectional layers,
 * residual connections, pooling, encoder-decoder state hand-over) against central finite
 * differences of the loss, on a few entries of each parameter.
 */
function worstError(model: RnnModel, examples: SequenceExample[]): number {
  const batch = makeBatch(model.config, examples);
  const lossNow = (): number => {
    const r = computeGradients(model, batch, { training: false });
    tf.dispose([...r.grads.values(), ...r.finalStates.flatMap((s) => (s.c ? [s.h, s.c] : [s.h]))]);
    return r.loss;
  };
  const result = computeGradients(model, batch, { training: false });
  const eps = 1e-2;
  let worst = 0;
  for (const [name, variable] of model.params) {
    const base = variable.dataSync().slice();
    const analytic = (result.grads.get(name) as tf.Tensor).dataSync();
    const step = Math.max(1, Math.floor(base.length / 5));
    for (let e = 0; e < base.length; e += step) {
      const at = (delta: number): number => {
        const moved = base.slice();
        moved[e] = (moved[e] as number) + delta;
        variable.assign(tf.tensor(moved, variable.shape));
        return lossNow();
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      variable.assign(tf.tensor(base, variable.shape));
      worst = Math.max(
        worst,
        Math.abs((analytic[e] as number) - numeric) / (1 + Math.abs(numeric)),
      );
    }
  }
  tf.dispose([...result.grads.values(), batch.inputs, batch.mask, batch.targets]);
  return worst;
}

function tokens(
  count: number,
  vocab: number,
  seed: number,
  withTargets: (ids: Int32Array) => Int32Array | number,
): SequenceExample[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, (_, i) => {
    const length = 3 + (i % 3);
    const inputs = Int32Array.from({ length }, () => 1 + Math.floor(rng.next() * (vocab - 1)));
    return { inputs, length, target: withTargets(inputs) };
  });
}

const CASES: Record<string, { config: ModelConfigInput; examples: SequenceExample[] }> = {
  'token BiLSTM (concat) + residual GRU BiGRU (sum), mean-pooled encoder': {
    config: {
      pattern: 'encoder',
      input: { kind: 'tokens', vocabSize: 7, embeddingSize: 4 },
      layers: [
        { cell: 'lstm', units: 3, bidirectional: 'concat' },
        { cell: 'gru', units: 6, bidirectional: 'sum' },
      ],
      residual: true,
      pooling: 'mean',
      output: { size: 3 },
    },
    examples: tokens(3, 7, 1, (ids) => (ids[0] ?? 0) % 3),
  },
  'peephole encoder with last-state pooling over a bidirectional layer': {
    config: {
      pattern: 'encoder',
      input: { kind: 'tokens', vocabSize: 6, embeddingSize: 3 },
      layers: [{ cell: 'peephole', units: 4, bidirectional: 'concat' }],
      pooling: 'last',
      output: { size: 2 },
    },
    examples: tokens(3, 6, 2, (ids) => (ids[1] ?? 0) % 2),
  },
  'LSTMP encoder-decoder (gradient through the handed-over state)': {
    config: {
      pattern: 'encoder-decoder',
      input: { kind: 'tokens', vocabSize: 6, embeddingSize: 3 },
      layers: [{ cell: 'lstmp', units: 4, projection: 3 }],
      decoder: {
        vocabSize: 6,
        embeddingSize: 3,
        layers: [{ cell: 'lstmp', units: 4, projection: 3 }],
      },
      output: { size: 6 },
    },
    examples: tokens(3, 6, 3, (ids) => Int32Array.from([...ids].reverse())),
  },
  'GRU decoder with tied input/output embeddings (both uses of the table)': {
    config: {
      pattern: 'decoder',
      input: { kind: 'tokens', vocabSize: 6, embeddingSize: 4 },
      layers: [{ cell: 'gru', units: 4 }],
      output: { size: 6, tiedEmbeddings: true },
    },
    examples: tokens(3, 6, 4, (ids) => Int32Array.from(ids, (id) => (id % 5) + 1)),
  },
};

describe('whole-model gradients against finite differences', () => {
  for (const [title, { config, examples }] of Object.entries(CASES)) {
    it(title, () => {
      const model = new RnnModel(parseModelConfig({ ...config, seed: 3 }));
      // Larger weights than the initialisers give, so every path carries a visible gradient.
      for (const variable of model.params.values()) variable.assign(tf.mul(variable, 2.5));
      expect(worstError(model, examples)).toBeLessThan(5e-3);
      model.dispose();
    });
  }
});
