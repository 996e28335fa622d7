import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../backend/tf-backend';
import { parseModelConfig } from './model-config';
import type { ModelConfigInput } from './model-config';
import { RnnModel } from './rnn-model';
import { toTfLayersModel } from './tf-layers-export';

beforeAll(async () => {
  await initTfBackend();
});

const CASES: Record<string, { config: ModelConfigInput; input: () => tf.Tensor }> = {
  'feature transducer: LSTM + bidirectional GRU (concat) + Elman': {
    config: {
      pattern: 'transducer',
      input: { kind: 'features', size: 5 },
      layers: [
        { cell: 'lstm', units: 6 },
        { cell: 'gru', units: 4, bidirectional: 'concat' },
        { cell: 'rnn', units: 3 },
      ],
      output: { size: 4 },
    },
    input: () => tf.randomNormal([2, 7, 5], 0, 1, 'float32', 3),
  },
  'token encoder: bidirectional LSTM (sum), last state': {
    config: {
      pattern: 'encoder',
      input: { kind: 'tokens', vocabSize: 11, embeddingSize: 4 },
      layers: [{ cell: 'lstm', units: 5, bidirectional: 'sum' }],
      output: { size: 3 },
    },
    input: () => tf.tensor2d([1, 5, 9, 2, 3, 10, 4, 4], [2, 4], 'int32'),
  },
};

describe('export to the tf.layers format', () => {
  for (const [title, { config, input }] of Object.entries(CASES)) {
    it(`${title}: same predictions, saved and reloaded by the standard TF.js loader`, async () => {
      const model = new RnnModel(parseModelConfig({ ...config, seed: 4 }));
      const x = input();
      const ours = tf.tidy(() => {
        const logits = model.forward({ inputs: x, mask: null }, { training: false }).logits;
        const batchMajor = logits.rank === 3 ? tf.transpose(logits, [1, 0, 2]) : logits;
        return config.output.activation === 'linear' ? batchMajor : tf.softmax(batchMajor);
      });
      const exported = toTfLayersModel(model);
      const theirs = exported.predict(x) as tf.Tensor;
      expect(tf.max(tf.abs(tf.sub(ours, theirs))).dataSync()[0]).toBeLessThan(1e-5);
      let saved: tf.io.ModelArtifacts | undefined;
      await exported.save(
        tf.io.withSaveHandler(async (artifacts) => {
          saved = artifacts;
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
      );
      const reloaded = await tf.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
      const again = reloaded.predict(x) as tf.Tensor;
      expect(Array.from(again.dataSync())).toEqual(Array.from(theirs.dataSync()));
      model.dispose();
      exported.dispose();
      reloaded.dispose();
    });
  }

  it('refuses cells tf.layers does not have, with a clear error', () => {
    const model = new RnnModel(
      parseModelConfig({
        pattern: 'transducer',
        input: { kind: 'features', size: 3 },
        layers: [{ cell: 'lstmp', units: 4, projection: 2 }],
        output: { size: 2 },
      }),
    );
    expect(() => toTfLayersModel(model)).toThrow(/no lstmp cell/);
    model.dispose();
  });

  it('refuses a convolution encoder by what it is, not by its pooling', () => {
    const model = new RnnModel(
      parseModelConfig({
        pattern: 'encoder',
        input: { kind: 'tokens', vocabSize: 10, embeddingSize: 4 },
        layers: [],
        convolution: { widths: [2], filters: 3 },
        pooling: 'max',
        output: { size: 2 },
      }),
    );
    expect(() => toTfLayersModel(model)).toThrow(/convolution encoder/);
    model.dispose();
  });
});
