import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../backend/tf-backend';
import { disposeBatch, makeBatch } from './batching';
import { parseModelConfig } from './model-config';
import type { ModelConfigInput } from './model-config';
import { Optimizer, clipByGlobalNorm } from './optimizers';
import type { OptimizerConfig } from './optimizers';
import { RnnModel } from './rnn-model';
import { sumRowsById, updateInPlace } from './sparse-rows';
import { withKernel } from './testing/with-kernel';
import { wordExample } from './testing/word-examples';
import { computeGradients, trainModel } from './train';
import { parseTrainConfig } from './train-config';

beforeAll(async () => {
  await initTfBackend();
});

const ALPHABET = 'abcdeABCDEhtT';
const WORDS: Record<string, number> = { the: 2, cab: 3, bed: 4 };
const wordId = (w: string): number => WORDS[w.toLowerCase()] ?? 1;
const TABLE = 'embedding/embeddings';

const config = (freeze = false): ModelConfigInput => ({
  pattern: 'transducer',
  input: {
    kind: 'tokens',
    vocabSize: 8,
    embeddingSize: 3,
    cases: { count: 2, embeddingSize: 2 },
    ...(freeze ? { freezeEmbeddings: true } : {}),
  },
  layers: [{ cell: 'lstm', units: 4, bidirectional: 'concat' }],
  output: { size: 3 },
  seed: 7,
});

const EXAMPLES = [
  wordExample(['the', 'cab', 'the'], [0, 1, 0], { alphabet: ALPHABET, wordId }),
  wordExample(['bed', 'The'], [2, 0], { alphabet: ALPHABET, wordId }),
];

const tableOf = (model: RnnModel): Float32Array =>
  Float32Array.from(model.param(TABLE).dataSync() as Float32Array);

/** One clipped optimizer step on a fresh model; returns the clip norm and the table after it. */
function step(
  optimizer: OptimizerConfig,
  sparse: boolean,
  freeze = false,
): { norm: number; before: Float32Array; after: Float32Array; others: Float32Array } {
  const model = new RnnModel(parseModelConfig(config(freeze)));
  const batch = makeBatch(model.config, EXAMPLES);
  const before = tableOf(model);
  const result = computeGradients(model, batch, { sparse });
  const norm = clipByGlobalNorm(result.grads, 0.01, result.sparseGrads);
  const opt = new Optimizer(optimizer);
  opt.apply(model.params, result.grads, 0, result.sparseGrads);
  const after = tableOf(model);
  const others = Float32Array.from(model.param('output/kernel').dataSync() as Float32Array);
  tf.dispose([...result.grads.values()]);
  tf.dispose(result.finalStates.flatMap((s) => (s.c ? [s.h, s.c] : [s.h])));
  disposeBatch(batch);
  opt.dispose();
  model.dispose();
  return { norm, before, after, others };
}

const maxDiff = (a: Float32Array, b: Float32Array): number =>
  a.reduce((m, v, n) => Math.max(m, Math.abs(v - (b[n] as number))), 0);

const ADAM: OptimizerConfig = { kind: 'adam', learningRate: 0.1 };

describe('sparse word-embedding gradients', () => {
  it('sums rows by id in first-seen order', () => {
    const rows = sumRowsById(2, Float32Array.from([1, 2, 3, 4, 5, 6]), Int32Array.from([4, 1, 4]));
    expect([...rows.ids]).toEqual([4, 1]);
    expect([...rows.values]).toEqual([6, 8, 3, 4]);
  });

  it('gives the dense clip norm and, in exact mode, the dense update', () => {
    const dense = step(ADAM, false);
    const exact = step({ ...ADAM, sparseEmbeddings: 'exact' }, true);
    expect(dense.norm).toBeGreaterThan(0.01);
    expect(Math.abs(exact.norm - dense.norm) / dense.norm).toBeLessThan(1e-5);
    expect(maxDiff(exact.after, dense.after)).toBeLessThan(1e-6);
    expect(maxDiff(exact.others, dense.others)).toBeLessThan(1e-6);
    // Adam's first step moves every row (0/(0+eps) is 0, so only rows with a gradient move).
    expect(maxDiff(dense.after, dense.before)).toBeGreaterThan(1e-3);
  });

  it('in lazy mode moves only the rows present, and those like the dense first step', () => {
    const dense = step(ADAM, false);
    const lazy = step({ ...ADAM, sparseEmbeddings: 'lazy' }, true);
    const present = new Set([2, 3, 4]);
    for (let row = 0; row < 8; row++) {
      const slice = (t: Float32Array): Float32Array => t.subarray(row * 3, row * 3 + 3);
      const moved = maxDiff(slice(lazy.after), slice(lazy.before));
      if (present.has(row)) expect(moved).toBeGreaterThan(1e-3);
      else expect(moved).toBe(0);
      // First Adam step: absent rows have m = 0 in the dense update too, so both agree.
      expect(maxDiff(slice(lazy.after), slice(dense.after))).toBeLessThan(1e-5);
    }
  });

  it('lazy SGD, RMSProp and momentum match their dense first step', () => {
    const configs: OptimizerConfig[] = [
      { kind: 'sgd', learningRate: 0.5 },
      { kind: 'sgd', learningRate: 0.5, momentum: 0.9, nesterov: true },
      { kind: 'rmsprop', learningRate: 0.01 },
    ];
    for (const c of configs) {
      const dense = step(c, false);
      const lazy = step({ ...c, sparseEmbeddings: 'lazy' }, true);
      expect(maxDiff(lazy.after, dense.after)).toBeLessThan(1e-5);
      expect(maxDiff(lazy.after, lazy.before)).toBeGreaterThan(1e-4);
    }
  });

  it('updates the rows alike natively and in JS, for every kind', () => {
    const configs: OptimizerConfig[] = [
      ADAM,
      { kind: 'sgd', learningRate: 0.5, momentum: 0.9 },
      { kind: 'rmsprop', learningRate: 0.01 },
    ];
    for (const c of configs) {
      const lazy = { ...c, sparseEmbeddings: 'lazy' } as const;
      const native = withKernel('native', () => step(lazy, true));
      const js = withKernel('tfjs', () => step(lazy, true));
      expect(maxDiff(native.after, native.before)).toBeGreaterThan(1e-4);
      expect(maxDiff(native.after, js.after)).toBeLessThan(1e-6);
    }
  });

  it('leaves a frozen table untouched', () => {
    const frozen = step({ ...ADAM, sparseEmbeddings: 'lazy' }, true, true);
    expect(maxDiff(frozen.after, frozen.before)).toBe(0);
  });

  it('updates in place without touching a tensor sharing the data', () => {
    const variable = tf.variable(tf.tensor1d([1, 2, 3]));
    const shared = tf.clone(variable);
    updateInPlace([variable], ([values]) => {
      if (values) values[1] = 9;
    });
    expect([...(variable.dataSync() as Float32Array)]).toEqual([1, 9, 3]);
    expect([...(shared.dataSync() as Float32Array)]).toEqual([1, 2, 3]);
    tf.dispose([variable, shared]);
  });

  it('trains to fit a tiny set with lazy Adam, without leaking tensors', async () => {
    const model = new RnnModel(parseModelConfig(config()));
    const before = tf.memory().numTensors;
    const result = await trainModel(model, EXAMPLES, null, {
      epochs: 40,
      batchSize: 2,
      optimizer: { ...ADAM, learningRate: 0.05, sparseEmbeddings: 'lazy' },
      clipNorm: 5,
      seed: 1,
    });
    const last = result.history[result.history.length - 1];
    expect(last?.loss).toBeLessThan(0.2);
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 4);
    model.dispose();
  });
});

describe('the sparseEmbeddings option', () => {
  it('is accepted as exact or lazy and rejected otherwise', () => {
    const base = { epochs: 1, batchSize: 2 };
    expect(
      parseTrainConfig({
        ...base,
        optimizer: { kind: 'sgd', learningRate: 1, sparseEmbeddings: 'lazy' },
      }).optimizer.sparseEmbeddings,
    ).toBe('lazy');
    expect(() =>
      parseTrainConfig({
        ...base,
        optimizer: { kind: 'adam', learningRate: 1, sparseEmbeddings: 'on' },
      }),
    ).toThrow(/optimizer/);
  });
});
