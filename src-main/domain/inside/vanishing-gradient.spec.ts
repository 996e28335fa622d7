import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../backend/tf-backend';
import { disposeBatch, makeBatch } from '../rnn/batching';
import type { SequenceExample } from '../rnn/batching';
import type { CellKind } from '../rnn/cell-kinds';
import { introspect } from '../rnn/introspection';
import { parseModelConfig } from '../rnn/model-config';
import { createRng } from '../rnn/random';
import { RnnModel } from '../rnn/rnn-model';
import { evaluate, trainModel } from '../rnn/train';

beforeAll(async () => {
  await initTfBackend();
});

/**
 * Remember the first symbol: one of SYMBOLS one-hot at step 0 (with a marker channel that is 1
 * there only), then STEPS - 1 steps of a distractor channel of uniform noise in +-NOISE; the
 * label is the first symbol, scored at the last step only (an encoder reading its last state).
 * The noise drives an Elman net's units into tanh's flat parts, so its recurrence contracts;
 * an LSTM can shut its input gate on it and keep the symbol in its cell.
 */
const SYMBOLS = 2;
const STEPS = 50;
const NOISE = 3;
const UNITS = 8;
const INPUT_SIZE = SYMBOLS + 2;
/**
 * The LSTM's forget-gate bias before training: s(4) = 0.982 per step, a memory time 1/(1-f) of
 * ~55 steps, the task's length (chrono initialisation, Tallec & Ollivier 2018, draws up to
 * log(STEPS - 1) = 3.9). With the engine's default 1 (s(1) = 0.73, 0.73^49 = 2e-7) the LSTM
 * learns this task from full-length sequences only on some seeds, and then may latch the symbol
 * in a contracting attractor as the Elman net would, its gradient vanishing too.
 */
const FORGET_BIAS = 4;
/**
 * The long range the fall is measured over: from h_1 to h_{T-LAG}, LAG steps before the answer.
 * Over its last few steps a trained LSTM's dLoss/dh_t drops by 2-3 decades (the answer reaches
 * h_{T-k} through h's own recurrence, which contracts, and the gates, shut or saturated, pass
 * little of it into the cell), then stays level along the cell. The ratio to dLoss/dh_T mixes
 * that one-off drop with the rate and does not separate the nets here (seed 1: LSTM 10^-4.1,
 * Elman 10^-3.5); the rate over the long range is what decides how far back a longer task reaches.
 */
const LAG = 10;

function rememberFirstSymbol(count: number, seed: number): SequenceExample[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => {
    const symbol = Math.floor(rng.next() * SYMBOLS);
    const inputs = new Float32Array(STEPS * INPUT_SIZE);
    inputs[symbol] = 1;
    inputs[SYMBOLS] = 1;
    for (let t = 1; t < STEPS; t++)
      inputs[t * INPUT_SIZE + SYMBOLS + 1] = NOISE * (2 * rng.next() - 1);
    return { inputs, length: STEPS, target: symbol };
  });
}

interface GradientLesson {
  /** Accuracy on held-out sequences (chance 1 / SYMBOLS). */
  accuracy: number;
  /** Median over the sequences of log10(||dLoss/dh_1|| / ||dLoss/dh_{T-LAG}||). */
  longRangeFall: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

async function trainAndTrace(cell: CellKind, seed: number): Promise<GradientLesson> {
  const model = new RnnModel(
    parseModelConfig({
      pattern: 'encoder',
      input: { kind: 'features', size: INPUT_SIZE },
      layers: [{ cell, units: UNITS }],
      output: { size: SYMBOLS },
      seed,
    }),
  );
  try {
    if (cell === 'lstm') {
      const name = 'encoder/layer0/fw/bias';
      const bias = Float32Array.from(model.param(name).dataSync());
      bias.fill(FORGET_BIAS, UNITS, 2 * UNITS); // gate order i, f, c, o
      model.setParam(name, bias);
    }
    await trainModel(model, rememberFirstSymbol(200, seed * 7 + 1), null, {
      epochs: 30,
      batchSize: 20,
      optimizer: { kind: 'adam', learningRate: 0.01 },
      seed,
    });
    const test = rememberFirstSymbol(40, seed * 7 + 2);
    const accuracy = evaluate(model, test, test.length).accuracy;
    const batch = makeBatch(model.config, test);
    const [trace] = introspect(model, batch);
    disposeBatch(batch);
    const norms = trace?.gradNorm.data ?? new Float32Array();
    const n = test.length;
    const to = STEPS - 1 - LAG;
    const longRangeFall = median(
      test.map((_, b) => Math.log10((norms[b] as number) / (norms[to * n + b] as number))),
    );
    return { accuracy, longRangeFall };
  } finally {
    model.dispose();
  }
}

describe('gradients through time on a task with a long dependency', () => {
  it('fall far faster in an Elman RNN than in an LSTM that learned the task', async () => {
    const elman = await trainAndTrace('rnn', 1);
    const lstm = await trainAndTrace('lstm', 1);
    // The comparison means something only if the LSTM kept the symbol for 50 steps.
    expect(lstm.accuracy).toBeGreaterThanOrEqual(0.9);
    // From h_40 back to h_1 the LSTM's error signal keeps its size (within 10x), while the Elman
    // net's falls by more than 30x, and by more than 30x relative to the LSTM's (seeds 1-6 by
    // hand: 90x to 10^7x; 2.9 decades on seed 1).
    expect(lstm.longRangeFall).toBeGreaterThan(-1);
    expect(elman.longRangeFall).toBeLessThan(-1.5);
    expect(elman.longRangeFall).toBeLessThan(lstm.longRangeFall - 1.5);
  });
});
