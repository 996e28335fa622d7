import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../../backend/tf-backend';
import { makeBatch, disposeBatch } from '../../rnn/batching';
import { parseModelConfig } from '../../rnn/model-config';
import type { ModelConfig } from '../../rnn/model-config';
import { SCALAR_MIX_GAMMA, SCALAR_MIX_WEIGHTS } from '../../rnn/model-params';
import { RnnModel } from '../../rnn/rnn-model';
import { scalarMixValues } from '../../rnn/scalar-mix';
import { computeGradients, trainModel } from '../../rnn/train';
import { UNK_ID } from '../vocabulary';
import { contextualLayersOf, reversedStream, scoreBothDirections } from './bilm-steps';
import { bidirectionalTrainingStreams, bilmCharacters, streamChars } from './bilm-streams';
import { LmVocabulary } from './lm-vocabulary';
import { parseConfigWith } from '../../experiments/config/experiment-config';
import { LmConfigSchema } from '../../experiments/config/lm-config';

const SENTENCES = [
  ['the', 'dog', 'runs'],
  ['the', 'cat', 'sleeps'],
  ['a', 'dog', 'sleeps'],
  ['a', 'cat', 'runs'],
].map((units, i) => ({ id: `s${i}`, units }));

const vocabulary = LmVocabulary.fromTraining(SENTENCES, {
  minCount: 1,
  maxVocabulary: 100,
  lowercase: false,
});
const characters = bilmCharacters(SENTENCES);

/** Token representation 6 + 4 = 10, so every layer is 10 wide (the biLM rule). */
function bilmConfig(layers = 2): ModelConfig {
  return parseModelConfig({
    pattern: 'decoder',
    bidirectionalLm: true,
    input: {
      kind: 'tokens',
      vocabSize: vocabulary.size,
      embeddingSize: 6,
      unknownId: UNK_ID,
      chars: { vocabSize: characters.size, embeddingSize: 4, filters: 4, width: 3 },
    },
    layers: Array.from({ length: layers }, () => ({ cell: 'lstm' as const, units: 10 })),
    residual: true,
    output: { size: vocabulary.size, activation: 'softmax' },
    seed: 7,
  });
}

beforeAll(async () => {
  await initTfBackend();
});

describe('a bidirectional LM', () => {
  const repeated = Array.from({ length: 12 }, (_, i) => SENTENCES[i % 4]!);
  const stream = { ids: vocabulary.stream(repeated), chars: streamChars(repeated, characters) };

  it('reads each stretch forwards and backwards: the backward row is the text reversed', () => {
    const [example] = bidirectionalTrainingStreams(stream, 1);
    const back = example!.backward!;
    const n = example!.length;
    // Backward step j reads the unit at end - j and predicts the one before it.
    expect(Array.from(back.inputs)).toEqual(Array.from(stream.ids.slice(1, n + 1)).reverse());
    expect(Array.from(back.target as Int32Array)).toEqual(
      Array.from(stream.ids.slice(0, n)).reverse(),
    );
    expect(Array.from(reversedStream(reversedStream(stream)).chars)).toEqual(
      Array.from(stream.chars),
    );
  });

  it('trains with truncated BPTT in both directions and its loss drops', async () => {
    const model = new RnnModel(bilmConfig(1));
    try {
      const result = await trainModel(model, bidirectionalTrainingStreams(stream, 2), null, {
        epochs: 8,
        batchSize: 2,
        optimizer: { kind: 'adam', learningRate: 0.05 },
        bptt: { kind: 'truncated', window: 6 },
        clipNorm: 5,
        monitor: 'loss',
      });
      const losses = result.history.map((h) => h.loss);
      expect(losses[losses.length - 1]!).toBeLessThan(0.8 * losses[0]!);
      const both = await scoreBothDirections(model, stream);
      expect(both.forward).toHaveLength(stream.ids.length - 1);
      for (const scores of [both.forward, both.backward])
        for (const value of scores) expect(value).toBeLessThanOrEqual(0);
    } finally {
      model.dispose();
    }
  });

  it("gives token layers whose backward half alone sees a later word's change", () => {
    const model = new RnnModel(bilmConfig(2));
    try {
      const [a, b] = contextualLayersOf(model, vocabulary, characters, [
        ['the', 'dog', 'runs'],
        ['the', 'dog', 'sleeps'],
      ]);
      expect(a!.tokens).toBe(3);
      expect(a!.layers).toBe(3);
      expect(a!.size).toBe(20);
      const half = a!.size / 2;
      const part = (
        l: { values: Float32Array; size: number; layers: number },
        token: number,
        layer: number,
        side: 0 | 1,
      ) =>
        Array.from(
          l.values.subarray(
            (token * l.layers + layer) * l.size + side * half,
            (token * l.layers + layer) * l.size + (side + 1) * half,
          ),
        );
      // Layer 0: the token representation, the same on both sides and in both sentences.
      expect(part(a!, 1, 0, 0)).toEqual(part(a!, 1, 0, 1));
      expect(part(a!, 1, 0, 0)).toEqual(part(b!, 1, 0, 0));
      for (const layer of [1, 2]) {
        // "dog" (token 1): the forward half has read "the dog" in both sentences.
        part(a!, 1, layer, 0).forEach((v, i) =>
          expect(v).toBeCloseTo(part(b!, 1, layer, 0)[i]!, 6),
        );
        // The backward half has read "runs" or "sleeps" first.
        const diff = part(a!, 1, layer, 1).reduce(
          (m, v, i) => Math.max(m, Math.abs(v - part(b!, 1, layer, 1)[i]!)),
          0,
        );
        expect(diff).toBeGreaterThan(1e-4);
      }
    } finally {
      model.dispose();
    }
  });
});

describe('the bidirectional LM config', () => {
  const base = {
    name: 'x',
    task: 'lm',
    corpus: 'c',
    data: { train: { splits: ['train'] }, test: { splits: ['test'] } },
    training: { epochs: 1, batchSize: 2, optimizer: { kind: 'adam', learningRate: 0.01 } },
  };
  const bilm = {
    ...base,
    words: { embeddingSize: 6, chars: { filters: 4 } },
    model: { direction: 'bidirectional', layers: [{ cell: 'lstm', units: 10 }] },
  };

  it('takes word level, a char CNN and layers as wide as the token representation', () => {
    expect(parseConfigWith(LmConfigSchema, bilm).model.direction).toBe('bidirectional');
    expect(() => parseConfigWith(LmConfigSchema, { ...bilm, level: 'char' })).toThrow(
      /level must be "word"/,
    );
    expect(() =>
      parseConfigWith(LmConfigSchema, { ...bilm, words: { embeddingSize: 6, chars: null } }),
    ).toThrow(/needs words.chars/);
    expect(() =>
      parseConfigWith(LmConfigSchema, {
        ...bilm,
        model: { direction: 'bidirectional', layers: [{ cell: 'lstm', units: 12 }] },
      }),
    ).toThrow(/6 \+ words.chars.filters 4 = 10/);
    expect(() =>
      parseConfigWith(LmConfigSchema, {
        ...base,
        words: { chars: { filters: 4 } },
        model: { layers: [{ cell: 'lstm', units: 10 }] },
      }),
    ).toThrow(/takes no chars/);
  });
});

describe("a tagger's scalar mix of contextual layers", () => {
  it('gets a gradient on its weights and scale, and its weights sum to 1', () => {
    const layers = 3;
    const size = 4;
    const model = new RnnModel(
      parseModelConfig({
        pattern: 'transducer',
        input: { kind: 'tokens', vocabSize: 5, embeddingSize: 3, contextual: { layers, size } },
        layers: [{ cell: 'lstm', units: 5 }],
        output: { size: 2, activation: 'softmax' },
        seed: 3,
      }),
    );
    try {
      const length = 4;
      // Different layers, so that moving weight between them changes the loss.
      const contextual = Float32Array.from({ length: length * layers * size }, (_, i) =>
        Math.sin(i * 1.7),
      );
      const batch = makeBatch(model.config, [
        {
          inputs: Int32Array.of(1, 2, 3, 4),
          length,
          target: Int32Array.of(0, 1, 0, 1),
          contextual,
        },
      ]);
      const result = computeGradients(model, batch, { training: false });
      disposeBatch(batch);
      const weights = result.grads.get(SCALAR_MIX_WEIGHTS);
      const gamma = result.grads.get(SCALAR_MIX_GAMMA);
      expect(weights?.shape).toEqual([layers]);
      expect(Math.max(...Array.from(weights!.dataSync()).map(Math.abs))).toBeGreaterThan(0);
      expect(Math.abs(gamma!.dataSync()[0]!)).toBeGreaterThan(0);
      tf.dispose([...result.grads.values()]);
      const mix = scalarMixValues(
        model.param(SCALAR_MIX_WEIGHTS) as tf.Tensor1D,
        model.param(SCALAR_MIX_GAMMA) as tf.Tensor1D,
      );
      expect(mix.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expect(mix.gamma).toBe(1);
    } finally {
      model.dispose();
    }
  });
});
