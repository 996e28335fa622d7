import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../backend/tf-backend';
import type { Progress } from '../jobs/progress';
import { disposeBatch, makeBatch, planBatches } from './batching';
import { sliceBatchWindow } from './batch-windows';
import type { SequenceExample } from './batching';
import { parseModelConfig } from './model-config';
import { Optimizer, clipByGlobalNorm } from './optimizers';
import { createRng } from './random';
import type { LayerState } from './rnn-model';
import { RnnModel, disposeLayerStates } from './rnn-model';
import { runningSignExamples } from './testing/running-sign';
import { computeGradients, trainModel } from './train';
import type { TrainConfig } from './train';

beforeAll(async () => {
  await initTfBackend();
});

/** A language model's shape of training: a few long streams that form one batch. */
const streams = (count: number, seed: number, length: number): SequenceExample[] =>
  runningSignExamples(count, seed, length, length);

const newModel = (): RnnModel =>
  new RnnModel(
    parseModelConfig({
      pattern: 'transducer',
      input: { kind: 'features', size: 2 },
      layers: [{ cell: 'lstm', units: 6 }],
      output: { size: 2 },
      dropout: 0.1,
      seed: 3,
    }),
  );

const config: TrainConfig = {
  epochs: 2,
  batchSize: 4,
  optimizer: { kind: 'adam', learningRate: 0.02 },
  bptt: { kind: 'truncated', window: 4 },
  clipNorm: 1,
  seed: 5,
};
const train = streams(4, 7, 20); // one batch of 4 streams, 5 windows of 4 steps per epoch

/**
 * The engine's stateful truncated BPTT written out plainly (one batch per epoch, constant
 * learning rate), stopping after `windowLimit` windows: what trainModel must train, to the bit.
 */
function referenceTraining(model: RnnModel, windowLimit = Infinity): void {
  const optimizer = new Optimizer(config.optimizer);
  const seed = config.seed ?? 0;
  let windowsDone = 0;
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    const rng = createRng(seed * 100_003 + epoch);
    const [indices] = planBatches(train, config.batchSize, rng, true);
    const batch = makeBatch(
      model.config,
      (indices ?? []).map((i) => train[i] as SequenceExample),
    );
    const time = batch.mask.shape[1];
    let states: LayerState[] | null = null;
    for (let start = 0; start < time && windowsDone < windowLimit; start += 4) {
      const part = sliceBatchWindow(batch, start, 4);
      const result = computeGradients(model, part, { initialStates: states, rng, sparse: false });
      disposeBatch(part);
      disposeLayerStates(states);
      states = result.finalStates;
      clipByGlobalNorm(result.grads, 1, result.sparseGrads);
      optimizer.apply(model.params, result.grads, 0, result.sparseGrads);
      tf.dispose([...result.grads.values()]);
      windowsDone += 1;
    }
    disposeLayerStates(states);
    disposeBatch(batch);
  }
  optimizer.dispose();
}

const weightsOf = (model: RnnModel): Record<string, number[]> =>
  Object.fromEntries([...model.params].map(([name, v]) => [name, Array.from(v.dataSync())]));

describe('truncated BPTT over one long batch (language models)', () => {
  it('reports progress after every window with a rising fraction and the running loss', async () => {
    const model = newModel();
    const seen: Progress[] = [];
    await trainModel(
      model,
      train,
      null,
      { ...config, epochs: 1 },
      { onProgress: (p) => seen.push(p) },
    );
    const windows = seen.filter((p) => p.metrics?.window !== undefined);
    expect(windows.map((p) => p.message)).toEqual([
      'epoch 1/1, window 1/5',
      'epoch 1/1, window 2/5',
      'epoch 1/1, window 3/5',
      'epoch 1/1, window 4/5',
    ]);
    const fractions = seen.map((p) => p.fraction ?? -1);
    expect(fractions.slice(0, 5)).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
    for (const p of windows) {
      expect(p.metrics?.loss).toBeGreaterThan(0);
      expect(p.metrics?.windows).toBe(5);
    }
    model.dispose();
  });

  it('trains exactly what the plain window-by-window loop trains', async () => {
    const expected = newModel();
    referenceTraining(expected);
    const model = newModel();
    const baseline = tf.memory().numTensors;
    const controller = new AbortController();
    await trainModel(model, train, null, config, {
      signal: controller.signal,
      onProgress: () => {},
    });
    expect(tf.memory().numTensors).toBe(baseline);
    expect(weightsOf(model)).toEqual(weightsOf(expected));
    model.dispose();
    expected.dispose();
  });

  it('stops within one window of a cancel, with the weights of the windows trained so far', async () => {
    const expected = newModel();
    referenceTraining(expected, 2);
    const model = newModel();
    const baseline = tf.memory().numTensors;
    const controller = new AbortController();
    const messages: string[] = [];
    const run = trainModel(model, train, null, config, {
      signal: controller.signal,
      onProgress: (p) => {
        messages.push(p.message ?? '');
        if (p.metrics?.window === 2) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(messages).toEqual(['epoch 1/2, window 1/5', 'epoch 1/2, window 2/5']);
    expect(tf.memory().numTensors).toBe(baseline);
    expect(weightsOf(model)).toEqual(weightsOf(expected));
    model.dispose();
    expected.dispose();
  });
});
