import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../backend/tf-backend';
import { makeBatch, modelBatchOf } from './batching';
import { parseModelConfig } from './model-config';
import type { ModelConfigInput } from './model-config';
import { modelArtifacts, modelFromArtifacts } from './model-io';
import { countParameters } from './param-count';
import { RnnModel } from './rnn-model';
import { trainModel } from './train';

beforeAll(async () => {
  await initTfBackend();
});

const TIED: ModelConfigInput = {
  pattern: 'decoder',
  input: { kind: 'tokens', vocabSize: 7, embeddingSize: 5 },
  layers: [{ cell: 'lstm', units: 5 }],
  output: { size: 7, tiedEmbeddings: true },
  seed: 4,
};

const example = {
  inputs: Int32Array.from([1, 2, 3, 4]),
  length: 4,
  target: Int32Array.from([2, 3, 4, 5]),
};

describe('tied input and output embeddings', () => {
  it('drop the output kernel: the embedding table transposed stands for it', () => {
    const tied = parseModelConfig(TIED);
    const untied = parseModelConfig({ ...TIED, output: { size: 7 } });
    expect(countParameters(untied).total - countParameters(tied).total).toBe(5 * 7);
    expect(countParameters(tied).layers.find((l) => l.layer === 'output')?.shapes).toEqual({
      bias: [7],
    });
    const model = new RnnModel(tied);
    expect(model.params.has('output/kernel')).toBe(false);
    const kernel = model.outputKernel();
    expect(kernel.shape).toEqual([5, 7]);
    expect(Array.from(kernel.dataSync())).toEqual(
      Array.from(tf.transpose(model.param('embedding/embeddings')).dataSync()),
    );
    kernel.dispose();
    model.dispose();
  });

  it('are refused where they cannot hold, with the field named', () => {
    const problem = (change: Partial<ModelConfigInput>): string => {
      try {
        parseModelConfig({ ...TIED, ...change });
        return 'accepted';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(problem({ layers: [{ cell: 'lstm', units: 6 }] })).toMatch(
      /input\.embeddingSize.*\(6\)/,
    );
    expect(problem({ output: { size: 8, tiedEmbeddings: true } })).toMatch(/output\.size/);
    expect(problem({ pattern: 'transducer' })).toMatch(/only a decoder/);
    expect(
      problem({
        input: { kind: 'tokens', vocabSize: 7, embeddingSize: 5, freezeEmbeddings: true },
      }),
    ).toMatch(/cannot be frozen/);
    expect(problem({})).toBe('accepted');
  });

  it('save and load without an output kernel, predicting the same', async () => {
    const model = new RnnModel(parseModelConfig(TIED));
    const loaded = modelFromArtifacts(await modelArtifacts(model));
    const batch = makeBatch(model.config, [example]);
    const [a, b] = [model, loaded].map((m) =>
      m.forward(modelBatchOf(batch), { training: false }).logits.dataSync(),
    );
    expect(Array.from(b as Float32Array)).toEqual(Array.from(a as Float32Array));
    model.dispose();
    loaded.dispose();
  });

  it('train the shared table, and refuse sparse embedding updates', async () => {
    const model = new RnnModel(parseModelConfig(TIED));
    const before = model.param('embedding/embeddings').dataSync().slice();
    const training = {
      epochs: 2,
      batchSize: 1,
      optimizer: { kind: 'adam' as const, learningRate: 0.01 },
    };
    await trainModel(model, [example], null, training);
    expect(Array.from(model.param('embedding/embeddings').dataSync())).not.toEqual(
      Array.from(before),
    );
    await expect(
      trainModel(model, [example], null, {
        ...training,
        optimizer: { ...training.optimizer, sparseEmbeddings: 'lazy' },
      }),
    ).rejects.toThrow(/sparseEmbeddings/);
    model.dispose();
  });
});
