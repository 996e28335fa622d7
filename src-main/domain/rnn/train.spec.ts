import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../backend/tf-backend';
import { makeBatch } from './batching';
import { sliceBatchWindow } from './batch-windows';
import { parseModelConfig } from './model-config';
import type { ModelConfigInput } from './model-config';
import { RnnModel } from './rnn-model';
import { runningSignExamples } from './testing/running-sign';
import { computeGradients, evaluate, trainModel } from './train';
import type { TrainConfig } from './train';
import { parseTrainConfig } from './train-config';

let dir: string;
beforeAll(async () => {
  await initTfBackend();
  dir = await mkdtemp(join(tmpdir(), 'unfold-rnn-train-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const transducer = (extra: Partial<ModelConfigInput> = {}): RnnModel =>
  new RnnModel(
    parseModelConfig({
      pattern: 'transducer',
      input: { kind: 'features', size: 2 },
      layers: [{ cell: 'lstm', units: 6 }],
      output: { size: 2 },
      seed: 3,
      ...extra,
    }),
  );

const baseTrain: TrainConfig = {
  epochs: 3,
  batchSize: 8,
  optimizer: { kind: 'adam', learningRate: 0.02 },
  seed: 5,
};

describe('truncated BPTT', () => {
  it('window gradients equal finite differences with the carried state held constant', () => {
    const model = transducer({
      layers: [
        { cell: 'gru', units: 4 },
        { cell: 'lstm', units: 3 },
      ],
    });
    const batch = makeBatch(model.config, runningSignExamples(3, 1, 6, 6));
    const first = computeGradients(model, sliceBatchWindow(batch, 0, 3), { training: false });
    tf.dispose([...first.grads.values()]);
    const second = sliceBatchWindow(batch, 3, 3);
    const result = computeGradients(model, second, {
      initialStates: first.finalStates,
      training: false,
    });
    const lossWith = (): number => computeLossOnly(model, second, first.finalStates);
    const eps = 1e-2;
    let worst = 0;
    for (const name of [
      'encoder/layer0/fw/recurrent_kernel',
      'encoder/layer1/fw/kernel',
      'output/kernel',
    ]) {
      const variable = model.param(name);
      const base = variable.dataSync().slice();
      const analytic = (result.grads.get(name) as tf.Tensor).dataSync();
      for (let e = 0; e < base.length; e += 3) {
        const at = (delta: number): number => {
          const moved = base.slice();
          moved[e] = (moved[e] as number) + delta;
          variable.assign(tf.tensor(moved, variable.shape));
          return lossWith();
        };
        const numeric = (at(eps) - at(-eps)) / (2 * eps);
        variable.assign(tf.tensor(base, variable.shape));
        worst = Math.max(
          worst,
          Math.abs((analytic[e] as number) - numeric) / (1 + Math.abs(numeric)),
        );
      }
    }
    expect(worst).toBeLessThan(3e-3);
    // Cutting the gradient matters: the whole-sequence gradient differs from the sum of window gradients.
    const full = computeGradients(model, batch, { training: false });
    const fullU = (full.grads.get('encoder/layer0/fw/recurrent_kernel') as tf.Tensor).dataSync();
    expect(Array.from(fullU)).not.toEqual(
      Array.from((result.grads.get('encoder/layer0/fw/recurrent_kernel') as tf.Tensor).dataSync()),
    );
    model.dispose();
  });
});

function computeLossOnly(
  model: RnnModel,
  batch: ReturnType<typeof makeBatch>,
  states: ReturnType<RnnModel['zeroStates']>,
): number {
  const result = computeGradients(model, batch, { initialStates: states, training: false });
  tf.dispose([
    ...result.grads.values(),
    ...result.finalStates.flatMap((s) => (s.c ? [s.h, s.c] : [s.h])),
  ]);
  return result.loss;
}

describe('training', () => {
  it('learns, reproducibly from a seed (with dropout), without leaking tensors', async () => {
    const train = runningSignExamples(48, 11);
    const dev = runningSignExamples(16, 12);
    const run = async (): Promise<number[]> => {
      const model = transducer({ dropout: 0.1 });
      const baseline = tf.memory().numTensors;
      const result = await trainModel(model, train, dev, { ...baseTrain, epochs: 4, clipNorm: 5 });
      evaluate(model, dev, 8);
      expect(tf.memory().numTensors).toBe(baseline);
      model.dispose();
      return result.history.map((h) => h.loss);
    };
    const first = await run();
    const second = await run();
    expect(second).toEqual(first);
    expect(first[first.length - 1]).toBeLessThan((first[0] as number) * 0.8);
  });

  it('truncated BPTT trains and carries state', async () => {
    const model = transducer();
    const train = runningSignExamples(32, 21, 10, 12);
    const before = evaluate(model, train, 8).loss;
    const baseline = tf.memory().numTensors;
    await trainModel(model, train, null, {
      ...baseTrain,
      epochs: 3,
      bptt: { kind: 'truncated', window: 4 },
    });
    expect(tf.memory().numTensors).toBe(baseline);
    expect(evaluate(model, train, 8).loss).toBeLessThan(before);
    model.dispose();
  });

  it('reports progress per batch and per epoch, and is cancelled by its signal', async () => {
    const model = transducer();
    const controller = new AbortController();
    const seen: Array<Record<string, number>> = [];
    const run = trainModel(model, runningSignExamples(32, 31), null, baseTrain, {
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p.metrics ?? {});
        if (seen.length === 2) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen[0]).toMatchObject({ epoch: 1, batch: 1 });
    expect(seen[0]?.framesPerSecond).toBeGreaterThan(0);
    expect(seen[0]?.etaSeconds).toBeGreaterThan(0);
    model.dispose();
  });

  it('resumes from the last checkpoint exactly where an uninterrupted run would be', async () => {
    const train = runningSignExamples(24, 41);
    const dev = runningSignExamples(8, 42);
    const straight = transducer();
    const reference = await trainModel(straight, train, dev, { ...baseTrain, epochs: 3 });
    straight.dispose();

    const checkpointDir = join(dir, 'resume');
    const first = transducer();
    const controller = new AbortController();
    let batches = 0;
    await expect(
      trainModel(
        first,
        train,
        dev,
        { ...baseTrain, epochs: 3, checkpointDir },
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
    const second = transducer({ seed: 99 }); // different init: resume must overwrite it
    const resumed = await trainModel(second, train, dev, {
      ...baseTrain,
      epochs: 3,
      checkpointDir,
      resume: true,
    });
    second.dispose();
    expect(resumed.history.map((h) => h.loss)).toEqual(reference.history.map((h) => h.loss));
  });

  it('follows learning-rate schedules and stops early when the dev metric stalls', async () => {
    const train = runningSignExamples(16, 61);
    const dev = runningSignExamples(8, 62);
    const stepModel = transducer();
    const stepped = await trainModel(stepModel, train, dev, {
      ...baseTrain,
      epochs: 3,
      schedule: { kind: 'step', everyEpochs: 1, factor: 0.5 },
    });
    expect(stepped.history.map((h) => h.learningRate)).toEqual([0.02, 0.01, 0.005]);
    stepModel.dispose();
    const milestoneModel = transducer();
    const milestones = await trainModel(milestoneModel, train, null, {
      ...baseTrain,
      epochs: 5,
      schedule: { kind: 'multistep', milestones: [2, 3], factor: 0.5 },
    });
    expect(milestones.history.map((h) => h.learningRate)).toEqual([0.02, 0.02, 0.01, 0.005, 0.005]);
    milestoneModel.dispose();
    // A learning rate too small to change anything: the dev loss never improves after epoch 1.
    const stalled = transducer();
    const result = await trainModel(stalled, train, dev, {
      ...baseTrain,
      optimizer: { kind: 'sgd', learningRate: 1e-12 },
      epochs: 10,
      monitor: 'loss',
      schedule: { kind: 'plateau', factor: 0.1, patience: 1 },
      earlyStoppingPatience: 2,
    });
    expect(result.stoppedEarly).toBe(true);
    expect(result.history).toHaveLength(3);
    expect(result.bestEpoch).toBe(1);
    expect(result.history[2]?.learningRate).toBeCloseTo(1e-13, 20);
    stalled.dispose();
  });

  it('stops on a NaN loss with a clear error and keeps the last good checkpoint', async () => {
    const checkpointDir = join(dir, 'nan');
    const model = transducer();
    const good = runningSignExamples(16, 51);
    await trainModel(model, good, null, { ...baseTrain, epochs: 1, checkpointDir });
    const pointer = await readFile(join(checkpointDir, 'last.json'), 'utf8');
    const poisoned = good.map((e, i) =>
      i === 3 ? { ...e, inputs: e.inputs.map(() => Number.NaN) } : e,
    );
    const before = model.param('output/kernel').dataSync().slice();
    await expect(
      trainModel(model, poisoned, null, { ...baseTrain, epochs: 3, checkpointDir, resume: true }),
    ).rejects.toMatchObject({
      code: 'NON_FINITE_LOSS',
    });
    expect(await readFile(join(checkpointDir, 'last.json'), 'utf8')).toBe(pointer);
    expect(Array.from(model.param('output/kernel').dataSync()).every(Number.isFinite)).toBe(true);
    expect(before.length).toBeGreaterThan(0);
    model.dispose();
  });
});

describe('training config as JSON', () => {
  it('accepts a full config and names the first bad field', () => {
    const config = parseTrainConfig({
      epochs: 5,
      batchSize: 16,
      optimizer: { kind: 'sgd', learningRate: 0.1, momentum: 0.9 },
      schedule: { kind: 'plateau', factor: 0.5, patience: 2 },
      bptt: { kind: 'truncated', window: 20 },
      clipNorm: 1,
    });
    expect(config.bptt).toEqual({ kind: 'truncated', window: 20 });
    expect(() =>
      parseTrainConfig({ epochs: 5, batchSize: 16, optimizer: { kind: 'adam', learningRate: -1 } }),
    ).toThrow(/optimizer\.learningRate/);
  });
});
