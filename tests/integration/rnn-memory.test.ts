import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../../src-main/domain/backend/tf-backend';
import { disposeBatch, makeBatch } from '../../src-main/domain/rnn/batching';
import type { SequenceExample } from '../../src-main/domain/rnn/batching';
import { introspect } from '../../src-main/domain/rnn/introspection';
import type { CellKind } from '../../src-main/domain/rnn/cell-spec';
import { parseModelConfig } from '../../src-main/domain/rnn/model-config';
import { createRng } from '../../src-main/domain/rnn/random';
import { RnnModel } from '../../src-main/domain/rnn/rnn-model';
import { evaluate, trainModel } from '../../src-main/domain/rnn/train';

beforeAll(async () => {
  await initTfBackend();
});

const STEPS = 50;

/**
 * The vanishing-gradient lesson as a test: a bit shown at the first step must be reported
 * after 50 steps of noise. The error signal of an Elman RNN decays geometrically going back
 * through time; the LSTM's cell state carries it (Hochreiter & Schmidhuber 1997).
 */
function rememberTheBit(count: number, seed: number): SequenceExample[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => {
    // Channel 0 carries a random +-1 at every step; channel 1 marks the first step, whose
    // value is the target. Later values on the same channel are distractors that must not
    // overwrite the memory: an input gate solves that, additive updates do not.
    const inputs = new Float32Array(STEPS * 2);
    for (let t = 0; t < STEPS; t++) inputs[t * 2] = rng.next() < 0.5 ? 1 : -1;
    inputs[1] = 1;
    return { inputs, length: STEPS, target: inputs[0] === 1 ? 1 : 0 };
  });
}

function rememberingModel(cell: CellKind, seed: number): RnnModel {
  return new RnnModel(
    parseModelConfig({
      pattern: 'encoder',
      input: { kind: 'features', size: 2 },
      layers: [{ cell, units: 8 }],
      pooling: 'last',
      output: { size: 2 },
      seed,
    }),
  );
}

const dev = rememberTheBit(128, 2);

/** ||dLoss/dh_0|| / ||dLoss/dh_T||: how much of the error signal reaches the step holding the bit. */
function signalReachingStart(model: RnnModel): number {
  const batch = makeBatch(model.config, dev.slice(0, 16));
  const norms = introspect(model, batch)[0]?.gradNorm.data ?? new Float32Array();
  const sumAt = (t: number): number => norms.slice(t * 16, (t + 1) * 16).reduce((a, b) => a + b, 0);
  disposeBatch(batch);
  return sumAt(0) / sumAt(STEPS - 1);
}

async function train(model: RnnModel): Promise<number> {
  await trainModel(model, rememberTheBit(256, 1), dev, {
    epochs: 30,
    batchSize: 32,
    optimizer: { kind: 'adam', learningRate: 0.02 },
    clipNorm: 1,
    seed: 3,
  });
  return evaluate(model, dev, 64).accuracy;
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

describe('remembering a bit across 50 steps', () => {
  // Same size, same seeded budget (30 epochs). The LSTM learns it: accuracy 1.0 with 21-59% of the
  // error signal reaching step 0, measured in nine runs over both kernels (seed 4, and its initial
  // weights multiplied by 1 +- 1e-7); 16% on a machine whose OpenBLAS picked other CPU kernels
  // (and 31% or 156% with OPENBLAS_CORETYPE forced), so the bound below is 5%, far above the
  // Elman RNN's.
  //
  // One Elman run is no measurement: the trajectory amplifies float rounding (the native and
  // TF.js kernels' weights differ by 1e-7 after epoch 1, 1e-6 after 10, 1 after 28, though every
  // step's gradients agree to float32 rounding; see kernels/native-parity.spec.ts). Its outcome
  // moves with a 1e-7 change of the initial weights on either kernel: accuracy 0.43-0.85, error
  // signal at step 0 from 0 to 115%; over model seeds 4-10, 2 of 7 runs reach 100% (native and
  // TF.js alike) and the trained signal is either < 3% (still at chance) or > 100% (a recurrent
  // matrix that explodes). So the Elman side is the median of five seeds, and the vanishing
  // gradient is measured where it stops the Elman RNN from learning: at the start of training.
  // Measured (seeds 4-8): median accuracy 0.48 (native) and 0.49 (TF.js); untrained signal
  // reaching step 0 below 0.1% for every seed.
  it('an LSTM learns it; an Elman RNN of the same size and budget does not', async () => {
    const lstmModel = rememberingModel('lstm', 4);
    const lstm = {
      accuracy: await train(lstmModel),
      signalReachingStart: signalReachingStart(lstmModel),
    };
    lstmModel.dispose();
    const elmanRuns: Array<{ accuracy: number; untrainedSignal: number }> = [];
    for (const seed of [4, 5, 6, 7, 8]) {
      const model = rememberingModel('rnn', seed);
      const untrainedSignal = signalReachingStart(model);
      elmanRuns.push({ accuracy: await train(model), untrainedSignal });
      model.dispose();
    }
    const elman = {
      accuracy: median(elmanRuns.map((r) => r.accuracy)),
      signalReachingStart: median(elmanRuns.map((r) => r.untrainedSignal)),
    };
    console.log(JSON.stringify({ lstm, elman, elmanRuns }));
    expect(lstm.accuracy).toBeGreaterThan(0.95);
    expect(elman.accuracy).toBeLessThan(0.75);
    // The trained LSTM carries the error signal back to the first step; the Elman RNN does not.
    expect(lstm.signalReachingStart).toBeGreaterThan(0.05);
    expect(elman.signalReachingStart).toBeLessThan(0.03);
    expect(lstm.signalReachingStart).toBeGreaterThan(10 * elman.signalReachingStart);
  });
});
