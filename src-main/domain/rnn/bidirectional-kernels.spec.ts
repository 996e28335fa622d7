import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRnnNative } from '../../native/rnn-native';
import { initTfBackend } from '../backend/tf-backend';
import { makeBatch, modelBatchOf } from './batching';
import type { SequenceExample } from './batching';
import { parseModelConfig } from './model-config';
import type { ModelConfigInput } from './model-config';
import { createRng } from './random';
import { RnnModel } from './rnn-model';
import { withKernel } from './testing/with-kernel';
import { computeGradients } from './train';

const nativeBuilt = loadRnnNative().addon !== null;

beforeAll(async () => {
  await initTfBackend();
});

/** Feature sequences of different lengths (so the batch is padded) with per-step targets. */
function examples(count: number, size: number, classes: number, seed: number): SequenceExample[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, (_, i) => {
    const length = 2 + ((i * 3) % 6);
    const inputs = Float32Array.from({ length: length * size }, () => 2 * rng.next() - 1);
    const target = Int32Array.from({ length }, () => Math.floor(rng.next() * classes));
    return { inputs, length, target };
  });
}

interface Run {
  logits: Float32Array;
  loss: number;
  grads: Map<string, Float32Array>;
  /** Forward state h (and c) of every layer, flattened. */
  finalStates: Float32Array[];
}

function run(model: RnnModel, batch: ReturnType<typeof makeBatch>): Run {
  const logits = tf.tidy(() =>
    model.forward(modelBatchOf(batch), { training: false }).logits.dataSync(),
  ) as Float32Array;
  const result = computeGradients(model, batch, { training: false });
  const grads = new Map([...result.grads].map(([name, g]) => [name, g.dataSync() as Float32Array]));
  const finalStates = result.finalStates.flatMap((s) =>
    (s.c ? [s.h, s.c] : [s.h]).map((t) => t.dataSync() as Float32Array),
  );
  tf.dispose([...result.grads.values(), ...result.finalStates.flatMap((s) => [s.h, s.c ?? s.h])]);
  return { logits, loss: result.loss, grads, finalStates };
}

function expectClose(actual: Float32Array, expected: Float32Array, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    worst = Math.max(worst, Math.abs(a - e) / (1 + Math.abs(e)));
  }
  expect(worst, what).toBeLessThan(1e-4);
}

const CASES: Record<string, ModelConfigInput> = {
  'tagger-like 2 x BiLSTM (concat) transducer': {
    pattern: 'transducer',
    input: { kind: 'features', size: 5 },
    layers: [
      { cell: 'lstm', units: 6, bidirectional: 'concat' },
      { cell: 'lstm', units: 6, bidirectional: 'concat' },
    ],
    output: { size: 4 },
  },
  'BiLSTMP (sum) + BiGRU (concat) + Elman transducer': {
    pattern: 'transducer',
    input: { kind: 'features', size: 5 },
    layers: [
      { cell: 'lstmp', units: 6, projection: 4, bidirectional: 'sum' },
      { cell: 'gru', units: 5, bidirectional: 'concat' },
      { cell: 'rnn', units: 4, bidirectional: 'concat' },
    ],
    output: { size: 4 },
  },
};

describe.skipIf(!nativeBuilt)('bidirectional layers: native kernel = TF.js kernel', () => {
  for (const [title, config] of Object.entries(CASES)) {
    it(`${title}, padded batch: logits, loss, gradients and final states`, () => {
      const model = new RnnModel(parseModelConfig({ ...config, seed: 5 }));
      // Larger weights than the initialisers give, so the backward direction visibly matters.
      for (const variable of model.params.values()) variable.assign(tf.mul(variable, 2));
      const batch = makeBatch(model.config, examples(5, 5, 4, 11));
      expect(batch.mask).not.toBeNull();
      const native = withKernel('native', () => run(model, batch));
      const reference = withKernel('tfjs', () => run(model, batch));
      expectClose(native.logits, reference.logits, 'logits');
      expect(native.loss).toBeCloseTo(reference.loss, 5);
      expect([...native.grads.keys()].sort()).toEqual([...reference.grads.keys()].sort());
      for (const [name, g] of reference.grads) {
        if (name.includes('/bw/')) expect(Math.max(...g.map(Math.abs)), name).toBeGreaterThan(0);
        expectClose(native.grads.get(name) as Float32Array, g, name);
      }
      native.finalStates.forEach((s, i) =>
        expectClose(s, reference.finalStates[i] as Float32Array, `final state ${i}`),
      );
      tf.dispose([batch.inputs, batch.mask, batch.targets]);
      model.dispose();
    });
  }

  it('last-state pooling reads the backward direction at the first step', () => {
    const model = new RnnModel(
      parseModelConfig({
        pattern: 'encoder',
        input: { kind: 'features', size: 5 },
        layers: [{ cell: 'lstm', units: 6, bidirectional: 'concat' }],
        pooling: 'last',
        output: { size: 3 },
        seed: 2,
      }),
    );
    const batch = makeBatch(
      model.config,
      examples(4, 5, 3, 7).map((e) => ({ ...e, target: (e.target as Int32Array)[0] ?? 0 })),
    );
    const native = withKernel('native', () => run(model, batch));
    const reference = withKernel('tfjs', () => run(model, batch));
    expectClose(native.logits, reference.logits, 'logits');
    for (const [name, g] of reference.grads)
      expectClose(native.grads.get(name) as Float32Array, g, name);
    tf.dispose([batch.inputs, batch.mask, batch.targets]);
    model.dispose();
  });
});
