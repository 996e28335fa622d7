import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRnnNative } from '../../native/rnn-native';
import { initTfBackend } from '../backend/tf-backend';
import { disposeBatch, makeBatch, modelBatchOf } from './batching';
import { sliceBatchWindow } from './batch-windows';
import type { SequenceExample } from './batching';
import { inputSizeOf, parseModelConfig } from './model-config';
import type { ModelConfigInput } from './model-config';
import { Optimizer } from './optimizers';
import { countParameters } from './param-count';
import { createRng } from './random';
import { RnnModel } from './rnn-model';
import { wordExample } from './testing/word-examples';
import { withKernel } from './testing/with-kernel';
import { toTfLayersModel } from './tf-layers-export';
import { computeGradients } from './train';

beforeAll(async () => {
  await initTfBackend();
});

const ALPHABET = 'abcdeABCDEht';
const WORDS: Record<string, number> = { the: 2, cab: 3, bed: 4 };
const wordId = (w: string): number => WORDS[w.toLowerCase()] ?? 1;

const CONFIG: ModelConfigInput = {
  pattern: 'transducer',
  input: {
    kind: 'tokens',
    vocabSize: 5,
    embeddingSize: 3,
    chars: { vocabSize: ALPHABET.length + 1, embeddingSize: 2, filters: 3, width: 2 },
    cases: { count: 2, embeddingSize: 2 },
  },
  layers: [{ cell: 'lstm', units: 3, bidirectional: 'concat' }],
  output: { size: 3 },
  seed: 5,
};

const example = (words: string[], tokenDropout?: number): SequenceExample =>
  wordExample(
    words,
    words.map((w) => w.length % 3),
    { alphabet: ALPHABET, wordId, ...(tokenDropout !== undefined ? { tokenDropout } : {}) },
  );

const natives = loadRnnNative().addon ? (['tfjs', 'native'] as const) : (['tfjs'] as const);

describe('batches of token inputs', () => {
  it('pads chars to the widest word (at least the CNN width) and carries cases and dropout', () => {
    const config = parseModelConfig(CONFIG);
    const short = example(['a', 'Be'], 0.25);
    // A row wider than its words: the batch is cut to the widest real word.
    const wide = { ...example(['cab', 'a', 'dd']), charsPerToken: 6 };
    wide.chars = new Int32Array(3 * 6);
    wide.chars.set([3, 1, 2], 0);
    wide.chars.set([1], 6);
    wide.chars.set([4, 4], 12);
    const before = tf.memory().numTensors;
    const batch = makeBatch(config, [short, wide]);
    expect(batch.charInputs?.shape).toEqual([2, 3, 3]);
    expect(Array.from(batch.charInputs?.dataSync() ?? [])).toEqual([
      1,
      0,
      0,
      7,
      5,
      0,
      0,
      0,
      0, // "a", "Be", padding step
      3,
      1,
      2,
      1,
      0,
      0,
      4,
      4,
      0, // "cab", "a", "dd"
    ]);
    expect(Array.from(batch.caseInputs?.dataSync() ?? [])).toEqual([0, 1, 0, 0, 0, 0]);
    expect(Array.from(batch.tokenDropout?.dataSync() ?? [])).toEqual([0.25, 0.25, 0, 0, 0, 0]);
    const narrow = makeBatch(config, [example(['a', 'b'])]);
    expect(narrow.charInputs?.shape).toEqual([1, 2, 2]);
    expect(narrow.tokenDropout).toBeUndefined();
    const window = sliceBatchWindow(batch, 1, 2);
    expect(window.charInputs?.shape).toEqual([2, 2, 3]);
    expect(Array.from(window.caseInputs?.dataSync() ?? [])).toEqual([1, 0, 0, 0]);
    expect(Array.from(window.tokenDropout?.dataSync() ?? [])).toEqual([0.25, 0, 0, 0]);
    expect(modelBatchOf(batch).charInputs).toBe(batch.charInputs);
    for (const b of [batch, narrow, window]) disposeBatch(b);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses examples without the chars or cases the model reads', () => {
    const config = parseModelConfig(CONFIG);
    const { chars: _chars, ...noChars } = example(['a']);
    expect(() => makeBatch(config, [noChars])).toThrow(/input\.chars.*example 0/);
    const { cases: _cases, ...noCases } = example(['a']);
    expect(() => makeBatch(config, [noCases])).toThrow(/input\.cases.*example 0/);
  });
});

describe('the token input config', () => {
  it('sizes the first layer as words ++ char filters ++ case embeddings and counts the new weights', () => {
    const config = parseModelConfig(CONFIG);
    expect(inputSizeOf(config)).toBe(3 + 3 + 2);
    const model = new RnnModel(config);
    expect(model.param('encoder/layer0/fw/kernel').shape).toEqual([8, 12]);
    expect(model.param('embedding/char_embeddings').shape).toEqual([13, 2]);
    expect(model.param('embedding/char_conv/kernel').shape).toEqual([4, 3]);
    expect(model.param('embedding/case_embeddings').shape).toEqual([2, 2]);
    const counts = countParameters(config);
    const conv = counts.layers.find((l) => l.layer === 'embedding/char_conv');
    expect(conv).toMatchObject({ weights: 12, biases: 3, total: 15 });
    const embedding = counts.layers.find((l) => l.layer === 'embedding');
    expect(embedding?.total).toBe(5 * 3 + 13 * 2 + 2 * 2);
    model.dispose();
  });

  it('keeps old token configs as they were (no new parameters, same initial weights)', () => {
    const plain = { ...CONFIG, input: { kind: 'tokens', vocabSize: 5, embeddingSize: 3 } } as const;
    const model = new RnnModel(parseModelConfig(plain));
    expect([...model.params.keys()].filter((n) => n.startsWith('embedding/'))).toEqual([
      'embedding/embeddings',
    ]);
    expect(model.param('encoder/layer0/fw/kernel').shape).toEqual([3, 12]);
    model.dispose();
  });

  it('starts word vectors uniform in ±embeddingInitRange (default ±0.05)', () => {
    const input = { kind: 'tokens', vocabSize: 50, embeddingSize: 20 } as const;
    const range = (config: ModelConfigInput): [number, number] => {
      const model = new RnnModel(parseModelConfig(config));
      const values = model.param('embedding/embeddings').dataSync();
      model.dispose();
      return [Math.min(...values), Math.max(...values)];
    };
    const [low, high] = range({ ...CONFIG, input });
    expect(low).toBeGreaterThanOrEqual(-0.05);
    expect(high).toBeLessThanOrEqual(0.05);
    const [wideLow, wideHigh] = range({ ...CONFIG, input: { ...input, embeddingInitRange: 1.5 } });
    expect(wideLow).toBeGreaterThanOrEqual(-1.5);
    expect(wideHigh).toBeLessThanOrEqual(1.5);
    // 1,000 draws: the widest is close to the range, far past the default's.
    expect(Math.max(-wideLow, wideHigh)).toBeGreaterThan(1.2);
  });

  it('rejects an unknownId outside the vocabulary and chars on a decoder', () => {
    expect(() =>
      parseModelConfig({ ...CONFIG, input: { ...(CONFIG.input as object), unknownId: 5 } }),
    ).toThrow(/input\.unknownId: unknownId must be below vocabSize/);
    expect(() => parseModelConfig({ ...CONFIG, pattern: 'decoder', output: { size: 5 } })).toThrow(
      /decoder .* cannot take "chars" or "cases"/,
    );
  });

  it('refuses to export chars or cases to tf.layers with a clear error', () => {
    const model = new RnnModel(parseModelConfig(CONFIG));
    expect(() => toTfLayersModel(model)).toThrow(
      /cannot be exported to the tf.layers format: a character CNN or case embeddings/,
    );
    model.dispose();
  });

  it('setParam replaces a parameter and checks its size', () => {
    const model = new RnnModel(parseModelConfig(CONFIG));
    const values = Float32Array.from({ length: 15 }, (_, i) => i / 10);
    model.setParam('embedding/embeddings', values);
    expect(Array.from(model.param('embedding/embeddings').dataSync())).toEqual(Array.from(values));
    expect(() => model.setParam('embedding/embeddings', new Float32Array(14))).toThrow(
      /shape \[5, 3\] \(15 values\); got 14/,
    );
    expect(() => model.setParam('embedding/nothing', values)).toThrow(/no parameter/);
    model.dispose();
  });
});

/**
 * Central finite differences of the loss against the analytic gradient on entries of every
 * embedding-side parameter (word, char, conv kernel and bias, case) and the first layer.
 */
function worstGradientError(model: RnnModel, examples: SequenceExample[]): number {
  const batch = makeBatch(model.config, examples);
  const lossNow = (): number => {
    const r = computeGradients(model, batch, { training: false });
    tf.dispose([...r.grads.values(), ...r.finalStates.flatMap((s) => (s.c ? [s.h, s.c] : [s.h]))]);
    return r.loss;
  };
  const result = computeGradients(model, batch, { training: false });
  const eps = 5e-3;
  let worst = 0;
  let checked = 0;
  for (const [name, variable] of model.params) {
    if (!name.startsWith('embedding/') && name !== 'encoder/layer0/fw/kernel') continue;
    const base = variable.dataSync().slice();
    const analytic = (result.grads.get(name) as tf.Tensor).dataSync();
    for (let e = 0; e < base.length; e += Math.max(1, Math.floor(base.length / 12))) {
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
      if (Math.abs(numeric) > 1e-4) checked += 1;
    }
  }
  tf.dispose([
    ...result.grads.values(),
    ...result.finalStates.flatMap((s) => (s.c ? [s.h, s.c] : [s.h])),
  ]);
  disposeBatch(batch);
  // Most checked entries must carry a gradient, or the check proves nothing.
  expect(checked).toBeGreaterThan(40);
  return worst;
}

describe('gradients of the word + char CNN + case input', () => {
  for (const implementation of natives) {
    it(`${implementation}: agree with finite differences (repeated chars, short words, padding)`, () => {
      withKernel(implementation, () => {
        const model = new RnnModel(parseModelConfig(CONFIG));
        for (const variable of model.params.values()) variable.assign(tf.mul(variable, 2.5));
        const examples = [
          example(['Bed', 'a', 'cab', 'AAA']),
          example(['the', 'Edde', 'b']),
          example(['dab', 'Ce']),
        ];
        expect(worstGradientError(model, examples)).toBeLessThan(5e-3);
        model.dispose();
      });
    });
  }
});

describe('char CNN features', () => {
  it('depend on the word alone, not on how wide the batch pads its chars', () => {
    const model = new RnnModel(parseModelConfig(CONFIG));
    const sentence = example(['cab', 'Be', 'a']);
    const logitsOf = (examples: SequenceExample[]): number[] => {
      const batch = makeBatch(model.config, examples);
      const values = tf.tidy(() => {
        const out = model.forward(modelBatchOf(batch), { training: false }).logits; // [time, batch, out]
        return Array.from(tf.slice(out, [0, 0, 0], [3, 1, 3]).dataSync());
      });
      disposeBatch(batch);
      return values;
    };
    const alone = logitsOf([sentence]);
    const beside = logitsOf([sentence, example(['Abacadabe', 'a', 'b', 'c', 'd'])]);
    beside.forEach((v, i) => expect(v).toBeCloseTo(alone[i] as number, 5));
    model.dispose();
  });
});

/** A word model whose first layer sees the id itself (embedding row i = [i]). */
function idEchoModel(unknownId: number): RnnModel {
  const model = new RnnModel(
    parseModelConfig({
      pattern: 'transducer',
      input: { kind: 'tokens', vocabSize: 50, embeddingSize: 1, unknownId },
      layers: [{ cell: 'rnn', units: 2 }],
      output: { size: 2 },
    }),
  );
  model.setParam(
    'embedding/embeddings',
    Float32Array.from({ length: 50 }, (_, i) => i),
  );
  return model;
}

/** The ids the first layer received, batch-major [batch * time]. */
function idsSeen(
  model: RnnModel,
  batch: ReturnType<typeof makeBatch>,
  training: boolean,
  seed: number,
): number[] {
  let seen: number[] = [];
  tf.tidy(() => {
    model.forward(modelBatchOf(batch), {
      training,
      rng: createRng(seed),
      onLayer: (info) => {
        const [time, size] = [info.input.shape[0], info.input.shape[1]];
        const tm = info.input.dataSync();
        seen = Array.from({ length: size * time }, (_, i) => {
          const [b, t] = [Math.floor(i / time), i % time];
          return Math.round(tm[t * size + b] as number);
        });
      },
    });
  });
  return seen;
}

describe('token dropout', () => {
  const sentences = Array.from({ length: 40 }, (_, s) => {
    const inputs = Int32Array.from({ length: 50 }, (_, t) => 3 + ((s * 7 + t) % 40));
    return {
      inputs,
      length: 50,
      target: new Int32Array(50),
      // The first ten tokens are never dropped.
      tokenDropout: Float32Array.from({ length: 50 }, (_, t) => (t < 10 ? 0 : 0.3)),
    };
  });

  it('replaces about p of the ids by unknownId in training only, reproducibly from the seed', () => {
    const model = idEchoModel(2);
    const batch = makeBatch(model.config, sentences);
    const original = Array.from(batch.inputs.dataSync());
    expect(idsSeen(model, batch, false, 1)).toEqual(original);
    const dropped = idsSeen(model, batch, true, 1);
    let replaced = 0;
    dropped.forEach((id, i) => {
      if (id !== original[i]) {
        expect(id).toBe(2);
        expect(i % 50).toBeGreaterThanOrEqual(10);
        replaced += 1;
      }
    });
    const fraction = replaced / (40 * 40);
    expect(fraction).toBeGreaterThan(0.25);
    expect(fraction).toBeLessThan(0.35);
    expect(idsSeen(model, batch, true, 1)).toEqual(dropped);
    expect(idsSeen(model, batch, true, 2)).not.toEqual(dropped);
    disposeBatch(batch);
    model.dispose();
  });

  it('uses the default unknown id 1 and needs a seeded rng in training', () => {
    const model = new RnnModel(
      parseModelConfig({
        pattern: 'transducer',
        input: { kind: 'tokens', vocabSize: 50, embeddingSize: 1 },
        layers: [{ cell: 'rnn', units: 2 }],
        output: { size: 2 },
      }),
    );
    model.setParam(
      'embedding/embeddings',
      Float32Array.from({ length: 50 }, (_, i) => i),
    );
    const all = sentences
      .slice(0, 2)
      .map((s) => ({ ...s, tokenDropout: new Float32Array(50).fill(1) }));
    const batch = makeBatch(model.config, all);
    expect(new Set(idsSeen(model, batch, true, 3))).toEqual(new Set([1]));
    expect(() => model.forward(modelBatchOf(batch), { training: true })).toThrow(/seeded rng/);
    disposeBatch(batch);
    model.dispose();
  });
});

describe('frozen word embeddings', () => {
  const examples = [example(['Bed', 'a', 'cab']), example(['the', 'Edde'])];

  for (const freeze of [true, false]) {
    it(`${freeze ? 'stay' : 'change'} after a training step (freezeEmbeddings ${freeze}) while the other weights change`, () => {
      const model = new RnnModel(
        parseModelConfig({
          ...CONFIG,
          input: { ...(CONFIG.input as object), freezeEmbeddings: freeze },
        }),
      );
      expect(model.trainableVariables.length).toBe(model.params.size - (freeze ? 1 : 0));
      const before = new Map([...model.params].map(([n, v]) => [n, v.dataSync().slice()]));
      const batch = makeBatch(model.config, examples);
      const optimizer = new Optimizer({ kind: 'adam', learningRate: 0.01 });
      const result = computeGradients(model, batch, { rng: createRng(1) });
      expect(result.grads.has('embedding/embeddings')).toBe(!freeze);
      optimizer.apply(model.params, result.grads);
      const changed = (name: string): boolean =>
        model
          .param(name)
          .dataSync()
          .some((v, i) => v !== (before.get(name) as Float32Array)[i]);
      expect(changed('embedding/embeddings')).toBe(!freeze);
      for (const name of [
        'embedding/char_embeddings',
        'embedding/char_conv/kernel',
        'embedding/case_embeddings',
        'encoder/layer0/fw/kernel',
        'output/kernel',
      ])
        expect(changed(name)).toBe(true);
      tf.dispose([
        ...result.grads.values(),
        ...result.finalStates.flatMap((s) => (s.c ? [s.h, s.c] : [s.h])),
      ]);
      disposeBatch(batch);
      optimizer.dispose();
      model.dispose();
    });
  }
});
