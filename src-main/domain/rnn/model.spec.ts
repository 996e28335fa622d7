import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../backend/tf-backend';
import { parseModelConfig } from './model-config';
import type { ModelConfigInput } from './model-config';
import { loadModel, saveModel } from './model-io';
import {
  countParameters,
  elmanPaperCount,
  gruPaperCount,
  lstmPaperCount,
  lstmpPaperCount,
} from './param-count';
import { RnnModel } from './rnn-model';

let dir: string;
beforeAll(async () => {
  await initTfBackend();
  dir = await mkdtemp(join(tmpdir(), 'unfold-rnn-model-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const featureBatch = (batch: number, time: number, size: number): tf.Tensor3D =>
  tf.tensor3d(
    Float32Array.from({ length: batch * time * size }, (_, i) => Math.sin(i * 0.37)),
    [batch, time, size],
  );

describe('parameter counts match the papers', () => {
  it('LSTMP (Sak et al. 2014): nc*nr*4 + ni*nc*4 + nr*no + nc*nr + nc*3 weights', () => {
    const [ni, nc, nr, no] = [39, 128, 64, 40];
    const config = parseModelConfig({
      pattern: 'transducer',
      input: { kind: 'features', size: ni },
      layers: [{ cell: 'lstmp', units: nc, projection: nr }],
      output: { size: no },
    });
    const counts = countParameters(config);
    const weights = counts.layers.reduce((sum, l) => sum + l.weights, 0);
    expect(weights).toBe(lstmpPaperCount(ni, nc, nr, no));
    expect(counts.layers.find((l) => l.layer === 'encoder/layer0/fw')?.biases).toBe(4 * nc);
  });
  it('LSTM, GRU and Elman layers', () => {
    for (const [cell, formula] of [
      ['lstm', lstmPaperCount],
      ['gru', gruPaperCount],
      ['rnn', elmanPaperCount],
    ] as const) {
      const config = parseModelConfig({
        pattern: 'transducer',
        input: { kind: 'features', size: 13 },
        layers: [{ cell, units: 20, bidirectional: 'concat' }],
        output: { size: 5 },
      });
      const layers = countParameters(config).layers;
      expect(layers.find((l) => l.layer === 'encoder/layer0/fw')?.total).toBe(formula(13, 20));
      expect(layers.find((l) => l.layer === 'encoder/layer0/bw')?.total).toBe(formula(13, 20));
      expect(layers.find((l) => l.layer === 'output')?.total).toBe(40 * 5 + 5);
    }
  });
});

const ROUND_TRIP_CONFIGS: Record<string, ModelConfigInput> = {
  'bidirectional LSTM (concat) + LSTMP, residual, transducer': {
    pattern: 'transducer',
    input: { kind: 'features', size: 6 },
    layers: [
      { cell: 'lstm', units: 5, bidirectional: 'concat' },
      { cell: 'lstmp', units: 8, projection: 10 },
      { cell: 'peephole', units: 10 },
    ],
    residual: true,
    output: { size: 4 },
  },
  'GRU + Elman bidirectional (sum) encoder with mean pooling': {
    pattern: 'encoder',
    input: { kind: 'features', size: 6 },
    layers: [
      { cell: 'gru', units: 7 },
      { cell: 'rnn', units: 7, bidirectional: 'sum', activation: 'sigmoid' },
    ],
    pooling: 'mean',
    output: { size: 3 },
  },
};

describe('save and load', () => {
  it('round trips an encoder-decoder on tokens exactly', async () => {
    const model = new RnnModel(
      parseModelConfig({
        pattern: 'encoder-decoder',
        input: { kind: 'tokens', vocabSize: 9, embeddingSize: 4 },
        layers: [{ cell: 'lstmp', units: 6, projection: 3 }],
        decoder: {
          vocabSize: 7,
          embeddingSize: 5,
          layers: [{ cell: 'lstmp', units: 6, projection: 3 }],
        },
        output: { size: 7 },
      }),
    );
    const path = join(dir, 'seq2seq', 'model.json');
    await import('node:fs/promises').then((fs) => fs.mkdir(join(path, '..'), { recursive: true }));
    await saveModel(model, path);
    const loaded = await loadModel(path);
    const batch = {
      inputs: tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32'),
      mask: null,
      decoderInputs: tf.tensor2d([0, 1, 2, 0, 3, 4], [2, 3], 'int32'),
    };
    const a = model.forward(batch, { training: false }).logits.dataSync();
    const b = loaded.forward(batch, { training: false }).logits.dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
    model.dispose();
    loaded.dispose();
  });

  for (const [title, input] of Object.entries(ROUND_TRIP_CONFIGS)) {
    it(`round trips exactly: ${title}`, async () => {
      const model = new RnnModel(parseModelConfig(input));
      const path = join(dir, title.replace(/\W+/g, '-'), 'model.json');
      await tf.tidy(() => undefined);
      await import('node:fs/promises').then((fs) =>
        fs.mkdir(join(path, '..'), { recursive: true }),
      );
      await saveModel(model, path);
      const loaded = await loadModel(path);
      const x = featureBatch(2, 5, 6);
      const mask = tf.tensor2d([1, 1, 1, 1, 1, 1, 1, 1, 0, 0], [2, 5]);
      const a = model.forward({ inputs: x, mask }, { training: false }).logits.dataSync();
      const b = loaded.forward({ inputs: x, mask }, { training: false }).logits.dataSync();
      expect(Array.from(b)).toEqual(Array.from(a));
      // The files are TF.js model artifacts: the standard weight decoder reads them.
      const json = JSON.parse(await readFile(path, 'utf8')) as tf.io.ModelJSON;
      expect(json.format).toBe('unfold-rnn');
      const bytes = await readFile(join(path, '..', 'weights.bin'));
      const decoded = tf.io.decodeWeights(
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
        json.weightsManifest.flatMap((g) => g.weights),
      );
      const kernel = decoded['encoder/layer0/fw/kernel'] as tf.Tensor;
      expect(Array.from(kernel.dataSync())).toEqual(
        Array.from(model.param('encoder/layer0/fw/kernel').dataSync()),
      );
      model.dispose();
      loaded.dispose();
    });
  }

  it('rejects a file that is not an Unfold model with a clear error', async () => {
    const path = join(dir, 'other.json');
    await import('node:fs/promises').then((fs) =>
      fs.writeFile(path, JSON.stringify({ format: 'layers-model', modelTopology: {} })),
    );
    await expect(loadModel(path)).rejects.toMatchObject({ code: 'BAD_MODEL_FILE' });
  });
});

describe('config', () => {
  it('names the bad field', () => {
    expect(() =>
      parseModelConfig({
        pattern: 'transducer',
        input: { kind: 'features', size: 3 },
        layers: [{ cell: 'lstmp', units: 4 }],
        output: { size: 2 },
      }),
    ).toThrow(/layers\.0\.projection/);
  });
  it('the same seed gives the same weights, another seed other weights', () => {
    const input: ModelConfigInput = {
      pattern: 'transducer',
      input: { kind: 'features', size: 3 },
      layers: [{ cell: 'lstm', units: 4 }],
      output: { size: 2 },
      seed: 7,
    };
    const [a, b, c] = [
      new RnnModel(parseModelConfig(input)),
      new RnnModel(parseModelConfig(input)),
      new RnnModel(parseModelConfig({ ...input, seed: 8 })),
    ];
    const values = (m: RnnModel): number[] =>
      Array.from(m.param('encoder/layer0/fw/recurrent_kernel').dataSync());
    expect(values(a)).toEqual(values(b));
    expect(values(a)).not.toEqual(values(c));
    // Orthogonal recurrent kernel: U U^T = I for the [4, 16] matrix (rows orthonormal).
    const u = a.param('encoder/layer0/fw/recurrent_kernel');
    const gram = tf.matMul(u, u, false, true).arraySync() as number[][];
    gram.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 1 : 0, 5)));
    // Forget-gate bias 1.
    expect(Array.from(a.param('encoder/layer0/fw/bias').dataSync().slice(4, 8))).toEqual([
      1, 1, 1, 1,
    ]);
    [a, b, c].forEach((m) => m.dispose());
  });
});

describe('a model’s memory', () => {
  it('gives back every tensor and byte it made when disposed', () => {
    const before = tf.memory();
    const model = new RnnModel(
      parseModelConfig({
        pattern: 'transducer',
        input: { kind: 'features', size: 5 },
        layers: [
          { cell: 'lstm', units: 6 },
          { cell: 'gru', units: 4 },
        ],
        output: { size: 3, activation: 'softmax' },
      }),
    );
    expect(tf.memory().numTensors).toBeGreaterThan(before.numTensors);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });
});
