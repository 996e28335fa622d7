import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../backend/tf-backend';
import { parseModelConfig } from '../rnn/model-config';
import { RnnModel } from '../rnn/rnn-model';
import { traceExample } from './layer-traces';
import { classesByPeak, insideOutputsOf, modelOutputs, rowArgmax } from './model-outputs';

beforeAll(async () => {
  await initTfBackend();
});

function oneUnitElman(pattern: 'transducer' | 'encoder'): RnnModel {
  const model = new RnnModel(
    parseModelConfig({
      pattern,
      input: { kind: 'features', size: 1 },
      layers: [{ cell: 'rnn', units: 1 }],
      output: { size: 3 },
      seed: 2,
    }),
  );
  // h_t = tanh(x_t) (no recurrence); logits = h * [1, -1, 0] + [0, 0, 0.5].
  model.setParam('encoder/layer0/fw/kernel', Float32Array.from([1]));
  model.setParam('encoder/layer0/fw/recurrent_kernel', Float32Array.from([0]));
  model.setParam('encoder/layer0/fw/bias', Float32Array.from([0]));
  model.setParam('output/kernel', Float32Array.from([1, -1, 0]));
  model.setParam('output/bias', Float32Array.from([0, 0, 0.5]));
  return model;
}

function softmax(logits: number[]): number[] {
  const top = Math.max(...logits);
  const e = logits.map((z) => Math.exp(z - top));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

const expectedRow = (x: number): number[] => {
  const h = Math.tanh(x);
  return softmax([h, -h, 0.5]);
};

describe('the model outputs of the Inside view', () => {
  it('are the softmax of each step of a per-step model, worked out by hand', () => {
    const model = oneUnitElman('transducer');
    const xs = [2, -2, 0];
    const tensors = tf.memory().numTensors;
    const outputs = modelOutputs(
      model,
      { inputs: Float32Array.from(xs), length: 3, target: 0 },
      true,
    );
    expect(tf.memory().numTensors).toBe(tensors);
    expect(outputs.steps).toBe(3);
    expect(outputs.classes).toBe(3);
    xs.forEach((x, t) =>
      expectedRow(x).forEach((p, k) => expect(outputs.values[t * 3 + k]).toBeCloseTo(p, 5)),
    );
    // tanh(2) = 0.96 > 0.5: class 0; tanh(-2): class 1; tanh(0) = 0: class 2.
    expect(Array.from(outputs.predicted)).toEqual([0, 1, 2]);
    expect([...outputs.layerShapes]).toEqual([['encoder/layer0/fw', [3, 1, 1]]]);
    model.dispose();
  });

  it('are one distribution for a sequence classifier (its last step)', () => {
    const model = oneUnitElman('encoder');
    const outputs = modelOutputs(
      model,
      { inputs: Float32Array.from([0, -2]), length: 2, target: 0 },
      false,
    );
    expect(outputs.steps).toBe(1);
    expectedRow(-2).forEach((p, k) => expect(outputs.values[k]).toBeCloseTo(p, 5));
    model.dispose();
  });

  it('come with the trace: the same prediction the gradients are taken for', () => {
    const model = oneUnitElman('transducer');
    const traced = traceExample(
      model,
      { inputs: Float32Array.from([2, -2, 0, 2]), length: 4, target: 0 },
      null,
    );
    expect(Array.from(traced.predicted)).toEqual([0, 1, 2, 0]);
    expect(traced.outputs.steps).toBe(4);
    model.dispose();
  });

  it('keep the classes with the highest peaks, labelled, in the trace', () => {
    // Three steps x four classes: peaks 0.1, 0.7, 0.3, 0.7.
    const values = Float32Array.from([0.1, 0.2, 0.3, 0.4, 0, 0.7, 0.1, 0.2, 0.05, 0.05, 0.2, 0.7]);
    expect(Array.from(classesByPeak(values, 3, 4, 4))).toEqual([1, 3, 2, 0]);
    expect(Array.from(classesByPeak(values, 3, 4, 2))).toEqual([1, 3]);
    expect(Array.from(rowArgmax(values, 3, 4))).toEqual([3, 1, 3]);
    const shown = insideOutputsOf(
      'softmax',
      { values, steps: 3, classes: 4, predicted: rowArgmax(values, 3, 4), layerShapes: new Map() },
      ['a', 'b', 'c', 'd'],
      2,
    );
    expect(shown.labels).toEqual(['b', 'd']);
    expect(Array.from(shown.classes)).toEqual([1, 3]);
    expect(Array.from(shown.data)).toEqual(
      Array.from(Float32Array.from([0.2, 0.4, 0.7, 0.2, 0.05, 0.7])),
    );
    expect(shown.totalClasses).toBe(4);
    expect(shown.steps).toBe(3);
  });
});
