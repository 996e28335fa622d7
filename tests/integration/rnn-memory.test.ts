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

async function accuracyAfterTraining(
  cell: CellKind,
): Promise<{ accuracy: number; signalReachingStart: number }> {
  const model = new RnnModel(
    parseModelConfig({
      pattern: 'encoder',
      input: { kind: 'features', size: 2 },
      layers: [{ cell, units: 8 }],
      pooling: 'last',
      output: { size: 2 },
      seed: 4,
    }),
  );
  const train = rememberTheBit(256, 1);
  const dev = rememberTheBit(128, 2);
  await trainModel(model, train, dev, {
    epochs: 30,
    batchSize: 32,
    optimizer: { kind: 'adam', learningRate: 0.02 },
    clipNorm: 1,
    seed: 3,
  });
  const accuracy = evaluate(model, dev, 64).accuracy;
  // ||dLoss/dh_0|| / ||dLoss/dh_T||: how much of the error signal reaches the step holding the bit.
  const batch = makeBatch(model.config, dev.slice(0, 16));
  const norms = introspect(model, batch)[0]?.gradNorm.data ?? new Float32Array();
  const sumAt = (t: number): number => norms.slice(t * 16, (t + 1) * 16).reduce((a, b) => a + b, 0);
  disposeBatch(batch);
  model.dispose();
  return { accuracy, signalReachingStart: sumAt(0) / sumAt(STEPS - 1) };
}

describe('remembering a bit across 50 steps', () => {
  // Same size, same seeded budget (30 epochs): the LSTM is at 100% from ~25 epochs, the Elman RNN
  // is still at chance (it gets to ~90% only after 40). Measured: LSTM 1.0 with 33-38% of the
  // error signal reaching step 0, Elman 0.48-0.49 with 0.2-0.8% (TF.js and native kernels,
  // whose float rounding differs): the margins below hold for both.
  it('an LSTM learns it; an Elman RNN of the same size and budget does not', async () => {
    const lstm = await accuracyAfterTraining('lstm');
    const elman = await accuracyAfterTraining('rnn');
    console.log(JSON.stringify({ lstm, elman }));
    expect(lstm.accuracy).toBeGreaterThan(0.95);
    expect(elman.accuracy).toBeLessThan(0.75);
    // The trained LSTM carries the error signal back to the first step; the Elman RNN does not.
    expect(lstm.signalReachingStart).toBeGreaterThan(0.1);
    expect(elman.signalReachingStart).toBeLessThan(0.03);
    expect(lstm.signalReachingStart).toBeGreaterThan(10 * elman.signalReachingStart);
  });
});
