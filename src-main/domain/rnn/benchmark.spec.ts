import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRnnNative } from '../../native/rnn-native';
import { initTfBackend } from '../backend/tf-backend';
import {
  BENCH_MODELS,
  createUnfoldWorkload,
  resizedSpec,
  timeSteps,
  torchWorkload,
} from './benchmark';

beforeAll(async () => {
  await initTfBackend();
});

const spec = (id: string) => {
  const found = BENCH_MODELS.find((m) => m.id === id);
  if (!found) throw new Error(id);
  return resizedSpec(found, { units: 8, batch: 2, time: 5 });
};

describe('timeSteps', () => {
  it('runs the warm-up untimed, then the asked steps, and rates items per second', () => {
    let calls = 0;
    const timed = timeSteps(() => void calls++, { warmup: 2, steps: 3, itemsPerStep: 10 });
    expect(calls).toBe(5);
    expect(timed.steps).toBe(3);
    expect(timed.perSecond).toBeGreaterThan(0);
  });

  it('stops after the step that crosses the time cap', () => {
    const slow = (): void => {
      const end = performance.now() + 5;
      while (performance.now() < end);
    };
    expect(
      timeSteps(slow, { warmup: 0, steps: 100, itemsPerStep: 1, maxSeconds: 0.001 }).steps,
    ).toBe(1);
  });
});

describe('createUnfoldWorkload', () => {
  it('trains, infers and streams on the TF.js kernels without leaking tensors', () => {
    const before = tf.memory().numTensors;
    const workload = createUnfoldWorkload(spec('a-lstm'), null);
    expect(workload.itemsPerStep).toBe(10);
    expect(workload.streamPath).toBe('tfjs forward');
    const params = tf.memory().numTensors;
    workload.trainStep();
    workload.inferStep();
    workload.streamFrame?.();
    workload.streamFrame?.();
    // Adam's moments appear with the first step; nothing else stays behind.
    const afterFirst = tf.memory().numTensors;
    workload.trainStep();
    workload.streamFrame?.();
    expect(tf.memory().numTensors).toBe(afterFirst);
    expect(afterFirst).toBeGreaterThan(params);
    workload.dispose();
    // The batch, Adam's moments, the stream's state and the weights all go.
    expect(tf.memory().numTensors).toBe(before);
  });

  it('streams through the native session when the addon loads, and not a bidirectional layer', () => {
    const addon = loadRnnNative().addon;
    const gru = createUnfoldWorkload(spec('b-gru'), addon);
    expect(gru.streamPath).toBe(addon ? 'native session' : 'tfjs forward');
    gru.streamFrame?.();
    gru.dispose();
    const bilstm = createUnfoldWorkload(spec('b-bilstm'), addon);
    expect(bilstm.streamFrame).toBeNull();
    expect(bilstm.streamPath).toBeNull();
    bilstm.dispose();
  });
});

describe('torchWorkload', () => {
  it('describes the same model and batch for rnn_torch.py', () => {
    expect(torchWorkload(spec('b-bilstm'), 'train', 3)).toEqual({
      model: {
        kind: 'acoustic',
        cell: 'lstm',
        layers: 1,
        units: 8,
        bidirectional: true,
        batch: 2,
        time: 5,
        inputSize: 39,
        classes: 40,
      },
      measure: 'train',
      steps: 3,
    });
    expect(torchWorkload(spec('c-tagger'), 'infer', 1).model).toMatchObject({
      kind: 'tagger',
      inputSize: 100,
      vocabSize: 20000,
      classes: 17,
    });
  });
});
