import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRnnNative } from '../../native/rnn-native';
import { initTfBackend } from '../backend/tf-backend';
import { disposeBatch, makeBatch, modelBatchOf } from './batching';
import type { SequenceExample } from './batching';
import { parseModelConfig } from './model-config';
import type { ModelConfigInput } from './model-config';
import { loadModel, saveModel } from './model-io';
import { createRng } from './random';
import { RnnModel } from './rnn-model';
import { worstGradientError } from './testing/finite-differences';
import { withKernel } from './testing/with-kernel';

let dir: string;

beforeAll(async () => {
  await initTfBackend();
  dir = await mkdtemp(join(tmpdir(), 'unfold-attention-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CONFIG: ModelConfigInput = {
  pattern: 'encoder',
  input: { kind: 'tokens', vocabSize: 9, embeddingSize: 4 },
  layers: [{ cell: 'lstm', units: 3, bidirectional: 'concat' }],
  pooling: 'attention',
  output: { size: 3 },
  seed: 5,
};

/** Sentences of lengths 4, 2 and 1: the batch pads the last two. */
function sentences(seed: number): SequenceExample[] {
  const rng = createRng(seed);
  return [4, 2, 1].map((length, i) => ({
    inputs: Int32Array.from({ length }, () => 1 + Math.floor(rng.next() * 8)),
    length,
    target: i % 3,
  }));
}

/** Logits and attention weights of the examples, as plain arrays. */
function run(
  model: RnnModel,
  examples: SequenceExample[],
): { logits: number[]; weights: number[][] } {
  const batch = makeBatch(model.config, examples);
  const out = tf.tidy(() => {
    const result = model.forward(modelBatchOf(batch), { training: false, withAttention: true });
    return {
      logits: Array.from(result.logits.dataSync()),
      weights: (result.attention?.arraySync() ?? []) as number[][],
    };
  });
  disposeBatch(batch);
  return out;
}

const implementations = loadRnnNative().addon ? (['tfjs', 'native'] as const) : (['tfjs'] as const);

describe('attention pooling', () => {
  it('weighs the real steps of each sentence with weights summing to 1 and gives padding exactly 0', () => {
    const model = new RnnModel(parseModelConfig(CONFIG));
    const { weights } = run(model, sentences(1));
    expect(weights.map((row) => row.length)).toEqual([4, 4, 4]);
    [4, 2, 1].forEach((length, b) => {
      const row = weights[b] as number[];
      expect(row.slice(0, length).reduce((s, w) => s + w, 0)).toBeCloseTo(1, 6);
      expect(row.slice(0, length).every((w) => w > 0)).toBe(true);
      expect(row.slice(length)).toEqual(new Array(4 - length).fill(0));
    });
    // The weights are not uniform: the scores depend on the steps.
    expect(new Set((weights[0] as number[]).map((w) => w.toFixed(6))).size).toBeGreaterThan(1);
    model.dispose();
  });

  it('returns the weights only when asked', () => {
    const model = new RnnModel(parseModelConfig(CONFIG));
    const batch = makeBatch(model.config, sentences(2));
    const plain = model.forward(modelBatchOf(batch), { training: false });
    expect(plain.attention).toBeUndefined();
    plain.logits.dispose();
    disposeBatch(batch);
    model.dispose();
  });

  it('with a zero scoring vector is mean pooling (every real step weighs 1/length)', () => {
    const attention = new RnnModel(parseModelConfig(CONFIG));
    attention.setParam('pooling/attention/vector', new Float32Array(6));
    const mean = new RnnModel(parseModelConfig({ ...CONFIG, pooling: 'mean' }));
    for (const name of mean.params.keys())
      mean.setParam(name, attention.param(name).dataSync() as Float32Array);
    const examples = sentences(3);
    const a = run(attention, examples);
    const m = run(mean, examples);
    a.logits.forEach((v, i) => expect(v).toBeCloseTo(m.logits[i] as number, 5));
    expect(a.weights[1]).toEqual([0.5, 0.5, 0, 0]);
    attention.dispose();
    mean.dispose();
  });

  for (const implementation of implementations) {
    it(`${implementation}: its gradients (and the layers' below it) agree with finite differences`, () => {
      withKernel(implementation, () => {
        const model = new RnnModel(parseModelConfig(CONFIG));
        // Larger weights than the initialisers give, so every path carries a visible gradient.
        for (const variable of model.params.values()) variable.assign(tf.mul(variable, 2.5));
        const { worst, checked } = worstGradientError(model, sentences(4), { probes: 6 });
        expect(checked).toBeGreaterThan(30);
        expect(worst).toBeLessThan(5e-3);
        model.dispose();
      });
    });
  }

  it('keeps its parameters in the saved model: a round trip gives the same logits and weights', async () => {
    const model = new RnnModel(parseModelConfig(CONFIG));
    expect([...model.params.keys()].filter((name) => name.startsWith('pooling/'))).toEqual([
      'pooling/attention/kernel',
      'pooling/attention/bias',
      'pooling/attention/vector',
    ]);
    model.setParam('pooling/attention/bias', Float32Array.from([0.3, -0.2, 0.1, 0, 0.5, -0.4]));
    const path = join(dir, 'attention', 'model.json');
    await mkdir(join(path, '..'), { recursive: true });
    await saveModel(model, path);
    const loaded = await loadModel(path);
    expect(Array.from(loaded.param('pooling/attention/bias').dataSync())).toEqual(
      Array.from(model.param('pooling/attention/bias').dataSync()),
    );
    const examples = sentences(5);
    expect(run(loaded, examples)).toEqual(run(model, examples));
    model.dispose();
    loaded.dispose();
  });
});
