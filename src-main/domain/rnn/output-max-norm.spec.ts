import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../backend/tf-backend';
import type { SequenceExample } from './batching';
import { parseModelConfig } from './model-config';
import type { ModelConfigInput } from './model-config';
import { OUTPUT_KERNEL, constrainOutputNorm } from './output-max-norm';
import { createRng } from './random';
import { RnnModel } from './rnn-model';
import { trainModel } from './train';

beforeAll(async () => {
  await initTfBackend();
});

/** The L2 norm of each column of a [rows, cols] kernel. */
function columnNorms(kernel: tf.Variable): number[] {
  const [rows, cols] = kernel.shape as [number, number];
  const values = kernel.dataSync();
  return Array.from({ length: cols }, (_, c) => {
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += (values[r * cols + c] as number) ** 2;
    return Math.sqrt(sum);
  });
}

const encoder = (extra: Partial<ModelConfigInput> = {}): RnnModel =>
  new RnnModel(
    parseModelConfig({
      pattern: 'encoder',
      input: { kind: 'features', size: 3 },
      layers: [{ cell: 'gru', units: 8 }],
      pooling: 'mean',
      output: { size: 2 },
      seed: 5,
      ...extra,
    }),
  );

/** Label 1 when the first feature's mean is positive. */
function examples(count: number): SequenceExample[] {
  const rng = createRng(9);
  return Array.from({ length: count }, () => {
    const length = 3 + Math.floor(rng.next() * 4);
    const inputs = Float32Array.from({ length: length * 3 }, () => 2 * rng.next() - 1);
    let sum = 0;
    for (let t = 0; t < length; t++) sum += inputs[t * 3] as number;
    return { inputs, length, target: Int32Array.of(sum > 0 ? 1 : 0) };
  });
}

describe('output max-norm (Kim 2014)', () => {
  it('scales columns longer than the bound back to it and leaves shorter ones as they were', () => {
    const kernel = tf.variable(
      tf.tensor2d([
        [3, 0.1, 0],
        [4, 0.2, 0],
      ]),
    );
    constrainOutputNorm(new Map([[OUTPUT_KERNEL, kernel]]), 1);
    const after = kernel.arraySync();
    // Column 0 had norm 5: now 1, same direction; column 1 (norm 0.22) and the zero column stay.
    expect(after[0]![0]).toBeCloseTo(0.6, 6);
    expect(after[1]![0]).toBeCloseTo(0.8, 6);
    expect(after.map((row) => row[1])).toEqual([expect.closeTo(0.1, 6), expect.closeTo(0.2, 6)]);
    expect(after.map((row) => row[2])).toEqual([0, 0]);
    kernel.dispose();
  });

  it('keeps every output column within the bound through training, which it otherwise leaves', async () => {
    const train = examples(40);
    const settings = {
      epochs: 3,
      batchSize: 8,
      optimizer: { kind: 'adam' as const, learningRate: 0.05 },
    };
    const free = encoder();
    await trainModel(free, train, null, settings);
    const bound = 0.5;
    expect(Math.max(...columnNorms(free.params.get(OUTPUT_KERNEL)!))).toBeGreaterThan(bound);
    const constrained = encoder();
    await trainModel(constrained, train, null, { ...settings, outputMaxNorm: bound });
    for (const norm of columnNorms(constrained.params.get(OUTPUT_KERNEL)!))
      expect(norm).toBeLessThanOrEqual(bound + 1e-5);
    free.dispose();
    constrained.dispose();
  });

  it('refuses a model whose output layer reads a tied word table', async () => {
    const tied = new RnnModel(
      parseModelConfig({
        pattern: 'decoder',
        input: { kind: 'tokens', vocabSize: 5, embeddingSize: 4 },
        layers: [{ cell: 'lstm', units: 4 }],
        output: { size: 5, tiedEmbeddings: true },
        seed: 1,
      }),
    );
    await expect(
      trainModel(tied, [], null, {
        epochs: 1,
        batchSize: 1,
        optimizer: { kind: 'adam', learningRate: 0.01 },
        outputMaxNorm: 3,
      }),
    ).rejects.toMatchObject({ code: 'BAD_TRAIN_CONFIG' });
    tied.dispose();
  });
});
