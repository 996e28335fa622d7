import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../backend/tf-backend';
import { checkpointFolder } from './checkpoints';
import { loadModel } from './model-io';
import { parseModelConfig } from './model-config';
import { Optimizer } from './optimizers';
import { RnnModel } from './rnn-model';
import { runningSignExamples } from './testing/running-sign';
import { evaluate, trainModel } from './train';
import type { TrainConfig } from './train';
import {
  AVERAGE_SLOT_SUFFIX,
  averageDecayAt,
  updateWeightAverages,
  withAveragedWeights,
} from './weight-average';

let dir: string;
beforeAll(async () => {
  await initTfBackend();
  dir = await mkdtemp(join(tmpdir(), 'unfold-weight-average-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const smallModel = (seed = 3): RnnModel =>
  new RnnModel(
    parseModelConfig({
      pattern: 'transducer',
      input: { kind: 'features', size: 2 },
      layers: [{ cell: 'gru', units: 4 }],
      output: { size: 2 },
      seed,
    }),
  );

const paramValues = (model: RnnModel): Map<string, Float32Array> =>
  new Map([...model.params].map(([name, v]) => [name, v.dataSync() as Float32Array]));

describe('weight averaging', () => {
  it('warms the decay up as TF does, then holds it', () => {
    expect(averageDecayAt(0.999, 1)).toBeCloseTo(2 / 11, 12);
    expect(averageDecayAt(0.999, 90)).toBeCloseTo(91 / 100, 12);
    expect(averageDecayAt(0.9, 1_000)).toBe(0.9);
  });

  it('starts at the weights and follows them as a moving average', () => {
    const model = smallModel();
    const optimizer = new Optimizer({ kind: 'sgd', learningRate: 1 });
    const name = 'output/kernel';
    const variable = model.params.get(name) as tf.Variable;
    const size = variable.size;
    const setAll = (value: number): void =>
      variable.assign(tf.fill(variable.shape, value) as tf.Tensor);
    let expected = 0;
    for (const [step, value] of [1, 2, 3, 4, 5, 6].map((v, n) => [n + 1, v * 10])) {
      setAll(value as number);
      optimizer.step = step as number;
      updateWeightAverages(model, optimizer, 0.5);
      // The first call copies the weights; later ones move by 1 - d towards them.
      expected =
        step === 1
          ? (value as number)
          : expected + (1 - averageDecayAt(0.5, step as number)) * ((value as number) - expected);
    }
    const average = optimizer.slots.get(`${name}${AVERAGE_SLOT_SUFFIX}`) as tf.Variable;
    const values = average.dataSync() as Float32Array;
    expect(values.length).toBe(size);
    for (const v of values) expect(v).toBeCloseTo(expected, 4);
    // The weights themselves are untouched.
    expect(variable.dataSync()[0]).toBe(60);
    // Every trainable parameter has an average.
    expect([...optimizer.slots.keys()].sort()).toEqual(
      [...model.params.keys()].map((n) => `${n}${AVERAGE_SLOT_SUFFIX}`).sort(),
    );
    optimizer.dispose();
    model.dispose();
  });

  it('lends the averages for a while and gives the weights back, also after a throw', async () => {
    const model = smallModel();
    const optimizer = new Optimizer({ kind: 'sgd', learningRate: 1 });
    optimizer.step = 1;
    updateWeightAverages(model, optimizer, 0.9);
    const before = paramValues(model);
    for (const v of model.params.values()) v.assign(tf.zerosLike(v));
    const zeros = paramValues(model);
    const baseline = tf.memory().numTensors;
    const seen = await withAveragedWeights(model.params, optimizer, async (training) => {
      // Inside: the model holds the averages (the first average is the weights at that call).
      expect(paramValues(model)).toEqual(before);
      // The weights training goes on from are given to the caller.
      expect(new Map([...training].map(([n, t]) => [n, t.dataSync()]))).toEqual(zeros);
      return training.size;
    });
    expect(seen).toBe(model.params.size);
    expect(paramValues(model)).toEqual(zeros);
    await expect(
      withAveragedWeights(model.params, optimizer, async () => {
        throw new Error('evaluation failed');
      }),
    ).rejects.toThrow('evaluation failed');
    expect(paramValues(model)).toEqual(zeros);
    expect(tf.memory().numTensors).toBe(baseline);
    optimizer.dispose();
    model.dispose();
  });
});

describe('training with weight averaging', () => {
  const config: TrainConfig = {
    epochs: 3,
    batchSize: 8,
    optimizer: { kind: 'adam', learningRate: 0.05 },
    averageDecay: 0.8,
    seed: 5,
  };
  const train = runningSignExamples(24, 41);
  const dev = runningSignExamples(8, 42);

  it('scores dev and keeps the best checkpoint with the averages, and trains on the weights', async () => {
    const checkpointDir = join(dir, 'averaged');
    const model = smallModel();
    const baseline = tf.memory().numTensors;
    const result = await trainModel(model, train, dev, { ...config, checkpointDir });
    expect(tf.memory().numTensors).toBe(baseline);
    const best = await checkpointFolder(checkpointDir, 'best');
    const last = await checkpointFolder(checkpointDir, 'last');
    const saved = await loadModel(join(last as string, 'model.json'));
    // The checkpoint's model is the averaged one: it scores the dev figures training logged...
    const final = result.history[result.history.length - 1];
    expect(evaluate(saved, dev, 8).loss).toBeCloseTo(final?.devLoss as number, 5);
    // ...and is not the weights training ended with (those stay in the live model).
    const trained = paramValues(model);
    const averaged = paramValues(saved);
    const kernel = 'output/kernel';
    expect(averaged.get(kernel)).not.toEqual(trained.get(kernel));
    expect(evaluate(model, dev, 8).loss).not.toBeCloseTo(final?.devLoss as number, 5);
    expect(best).not.toBeNull();
    saved.dispose();
    model.dispose();
  });

  it('differs from training without it, and resumes exactly where an uninterrupted run would be', async () => {
    const plain = smallModel();
    const without = await trainModel(plain, train, dev, { ...config, averageDecay: undefined });
    plain.dispose();
    const straight = smallModel();
    const reference = await trainModel(straight, train, dev, config);
    straight.dispose();
    // Same updates (the loss on training batches), other dev figures (the averages').
    expect(reference.history.map((h) => h.loss)).toEqual(without.history.map((h) => h.loss));
    expect(reference.history.map((h) => h.devLoss)).not.toEqual(
      without.history.map((h) => h.devLoss),
    );

    const checkpointDir = join(dir, 'resume');
    const first = smallModel();
    const controller = new AbortController();
    let batches = 0;
    await expect(
      trainModel(
        first,
        train,
        dev,
        { ...config, checkpointDir },
        {
          signal: controller.signal,
          onProgress: (p) => {
            if (p.message?.includes('batch')) batches += 1;
            if (batches === 4) controller.abort(); // during epoch 2 (3 batches per epoch)
          },
        },
      ),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    first.dispose();
    const second = smallModel(99); // another init: the checkpoint must replace it
    const resumed = await trainModel(second, train, dev, {
      ...config,
      checkpointDir,
      resume: true,
    });
    second.dispose();
    const figures = (h: typeof reference.history): Array<Array<number | null>> =>
      h.map((r) => [r.loss, r.devLoss, r.devAccuracy]);
    expect(figures(resumed.history)).toEqual(figures(reference.history));
  });
});
