import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../backend/tf-backend';
import { BOS_ID, disposeBatch, makeBatch, modelBatchOf } from './batching';
import type { SequenceExample, TrainBatch } from './batching';
import { parseModelConfig } from './model-config';
import { createRng } from './random';
import { RnnModel } from './rnn-model';
import { withSampledDecoderInputs } from './scheduled-sampling';
import { trainModel } from './train';

let model: RnnModel;
let batch: TrainBatch;

/** Reversal pairs of lengths 2-4, so the batch has padded decoder steps. */
function reversals(count: number): SequenceExample[] {
  const rng = createRng(5);
  return Array.from({ length: count }, (_, i) => {
    const length = 2 + (i % 3);
    const inputs = Int32Array.from({ length }, () => 1 + Math.floor(rng.next() * 5));
    return { inputs, length, target: Int32Array.from([...inputs].reverse()) };
  });
}

beforeAll(async () => {
  await initTfBackend();
  model = new RnnModel(
    parseModelConfig({
      pattern: 'encoder-decoder',
      input: { kind: 'tokens', vocabSize: 6, embeddingSize: 4 },
      layers: [{ cell: 'gru', units: 8 }],
      decoder: { vocabSize: 6, embeddingSize: 4, layers: [{ cell: 'gru', units: 8 }] },
      output: { size: 6 },
      seed: 3,
    }),
  );
  batch = makeBatch(model.config, reversals(6));
});

afterAll(() => {
  disposeBatch(batch);
  model.dispose();
});

/** The model's teacher-forced prediction of every target step, [batch][step]. */
function predictions(): number[][] {
  return tf.tidy(
    () =>
      tf
        .transpose(tf.argMax(model.forward(modelBatchOf(batch), { training: false }).logits, 2))
        .arraySync() as number[][],
  );
}

describe('scheduled sampling', () => {
  it('keeps the batch as it is at rate 0', () => {
    expect(withSampledDecoderInputs(model, batch, 0, createRng(1))).toBe(batch);
  });

  it('at rate 1 feeds every real step after <s> the prediction of the step before', () => {
    const sampled = withSampledDecoderInputs(model, batch, 1, createRng(1));
    const got = (sampled.decoderInputs as tf.Tensor2D).arraySync();
    const reference = (batch.decoderInputs as tf.Tensor2D).arraySync();
    const real = (batch.decoderMask as tf.Tensor2D).arraySync();
    const predicted = predictions();
    got.forEach((row, b) =>
      row.forEach((id, t) => {
        const expected =
          t > 0 && (real[b]?.[t] as number) > 0
            ? predicted[b]?.[t - 1]
            : (reference[b]?.[t] as number);
        expect(id).toBe(expected);
      }),
    );
    expect(got.map((row) => row[0])).toEqual(got.map(() => BOS_ID));
    // Not a trivial case: the untrained model's predictions are not the reference.
    expect(got).not.toEqual(reference);
    // The targets stay the reference.
    expect(sampled.targets).toBe(batch.targets);
    sampled.decoderInputs?.dispose();
  });

  it('mixes by a seeded draw per step: the same seed, the same inputs; each the reference or the prediction', () => {
    const draw = (seed: number) => {
      const sampled = withSampledDecoderInputs(model, batch, 0.5, createRng(seed));
      const ids = (sampled.decoderInputs as tf.Tensor2D).arraySync();
      sampled.decoderInputs?.dispose();
      return ids;
    };
    expect(draw(7)).toEqual(draw(7));
    const reference = (batch.decoderInputs as tf.Tensor2D).arraySync();
    const predicted = predictions();
    draw(8).forEach((row, b) =>
      row.forEach((id, t) => {
        if (t === 0) expect(id).toBe(BOS_ID);
        else expect([reference[b]?.[t], predicted[b]?.[t - 1]]).toContain(id);
      }),
    );
  });

  it('is refused for a model that is not an encoder-decoder', async () => {
    const lm = new RnnModel(
      parseModelConfig({
        pattern: 'decoder',
        input: { kind: 'tokens', vocabSize: 4, embeddingSize: 2 },
        layers: [{ cell: 'gru', units: 2 }],
        output: { size: 4 },
      }),
    );
    await expect(
      trainModel(
        lm,
        [{ inputs: Int32Array.from([1, 2]), length: 2, target: Int32Array.from([2, 3]) }],
        null,
        {
          epochs: 1,
          batchSize: 1,
          optimizer: { kind: 'sgd', learningRate: 0.1 },
          scheduledSampling: 0.5,
        },
      ),
    ).rejects.toThrow(/needs an encoder-decoder/);
    lm.dispose();
  });

  it('trains an encoder-decoder with it without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const result = await trainModel(model, reversals(12), null, {
      epochs: 2,
      batchSize: 4,
      optimizer: { kind: 'adam', learningRate: 0.01 },
      scheduledSampling: 0.5,
    });
    expect(result.history).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before);
  });
});
