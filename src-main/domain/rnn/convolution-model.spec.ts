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
import { countParameters } from './param-count';
import { createRng } from './random';
import { RnnModel } from './rnn-model';
import { worstGradientError } from './testing/finite-differences';
import { withKernel } from './testing/with-kernel';

let dir: string;

beforeAll(async () => {
  await initTfBackend();
  dir = await mkdtemp(join(tmpdir(), 'unfold-cnn-model-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const [VOCAB, EMB, FILTERS, CLASSES] = [11, 4, 3, 2];
const CNN: ModelConfigInput = {
  pattern: 'encoder',
  input: { kind: 'tokens', vocabSize: VOCAB, embeddingSize: EMB },
  layers: [],
  convolution: { widths: [3, 4, 5], filters: FILTERS },
  pooling: 'max',
  dropout: 0.5,
  output: { size: CLASSES },
  seed: 2,
};

/** Sentences of lengths 6, 2 and 1 (both shorter than the widest filter). */
function sentences(seed: number): SequenceExample[] {
  const rng = createRng(seed);
  return [6, 2, 1].map((length, i) => ({
    inputs: Int32Array.from({ length }, () => 1 + Math.floor(rng.next() * (VOCAB - 1))),
    length,
    target: i % CLASSES,
  }));
}

function logitsOf(model: RnnModel, examples: SequenceExample[]): number[] {
  const batch = makeBatch(model.config, examples);
  const logits = tf.tidy(() =>
    Array.from(model.forward(modelBatchOf(batch), { training: false }).logits.dataSync()),
  );
  disposeBatch(batch);
  return logits;
}

const implementations = loadRnnNative().addon ? (['tfjs', 'native'] as const) : (['tfjs'] as const);

describe('a convolution encoder model (Kim 2014)', () => {
  it('refuses recurrent layers, another pooling or another pattern beside a convolution, and a model with neither', () => {
    const bad: Array<[Partial<ModelConfigInput>, RegExp]> = [
      [
        { layers: [{ cell: 'lstm', units: 3 }] },
        /at layers: a convolution encoder has no recurrent layers/,
      ],
      [{ pooling: 'mean' }, /at pooling: .*must be "max"/],
      [{ pattern: 'transducer' }, /at convolution: .*pattern must be encoder/],
      [{ convolution: undefined }, /at layers: a model needs at least one recurrent layer/],
    ];
    for (const [change, message] of bad)
      expect(() => parseModelConfig({ ...CNN, ...change })).toThrow(message);
  });

  it('has a word table, one kernel and bias per width and an output layer over the banks side by side', () => {
    const config = parseModelConfig(CNN);
    const counts = countParameters(config);
    expect(counts.layers.map((l) => [l.layer, l.shapes])).toEqual([
      ['embedding', { embeddings: [VOCAB, EMB] }],
      ['encoder/conv0', { kernel: [3 * EMB, FILTERS], bias: [FILTERS] }],
      ['encoder/conv1', { kernel: [4 * EMB, FILTERS], bias: [FILTERS] }],
      ['encoder/conv2', { kernel: [5 * EMB, FILTERS], bias: [FILTERS] }],
      ['output', { kernel: [3 * FILTERS, CLASSES], bias: [CLASSES] }],
    ]);
    expect(counts.total).toBe(
      VOCAB * EMB + (3 + 4 + 5) * EMB * FILTERS + 3 * FILTERS + 3 * FILTERS * CLASSES + CLASSES,
    );
  });

  it('gives one row of logits per sentence and no recurrent state; dropout acts in training only', () => {
    const model = new RnnModel(parseModelConfig(CNN));
    const batch = makeBatch(model.config, sentences(1));
    tf.tidy(() => {
      const evaluated = model.forward(modelBatchOf(batch), { training: false });
      expect(evaluated.logits.shape).toEqual([3, CLASSES]);
      expect(evaluated.finalStates).toEqual([]);
      const trained = model.forward(modelBatchOf(batch), {
        training: true,
        rng: createRng(4),
      });
      expect(Array.from(trained.logits.dataSync())).not.toEqual(
        Array.from(evaluated.logits.dataSync()),
      );
    });
    disposeBatch(batch);
    model.dispose();
  });

  for (const implementation of implementations) {
    it(`${implementation}: its gradients (word table, filters, output) agree with finite differences`, () => {
      withKernel(implementation, () => {
        const model = new RnnModel(parseModelConfig(CNN));
        for (const variable of model.params.values()) variable.assign(tf.mul(variable, 2.5));
        // The word table's initial +-0.05 would leave most filters below zero: spread it.
        model.setParam(
          'embedding/embeddings',
          Float32Array.from({ length: VOCAB * EMB }, (_, i) => Math.sin(i * 1.7)),
        );
        const { worst, checked } = worstGradientError(model, sentences(2), { probes: 8 });
        expect(checked).toBeGreaterThan(40);
        expect(worst).toBeLessThan(5e-3);
        model.dispose();
      });
    });
  }

  it('round trips through a saved model exactly', async () => {
    const model = new RnnModel(parseModelConfig(CNN));
    const path = join(dir, 'cnn', 'model.json');
    await mkdir(join(path, '..'), { recursive: true });
    await saveModel(model, path);
    const loaded = await loadModel(path);
    expect(loaded.config.convolution).toEqual({ widths: [3, 4, 5], filters: FILTERS });
    const examples = sentences(3);
    expect(logitsOf(loaded, examples)).toEqual(logitsOf(model, examples));
    model.dispose();
    loaded.dispose();
  });
});
