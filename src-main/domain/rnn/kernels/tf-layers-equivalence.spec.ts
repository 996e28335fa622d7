import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../../backend/tf-backend';
import { createKernel, weightSpecs } from '../cell-spec';
import type { CellSpec } from '../cell-spec';
import { createRng } from '../random';
import { runSequence } from './sequence-op';

beforeAll(async () => {
  await initTfBackend();
});

const [TIME, BATCH, INPUT, UNITS] = [6, 3, 5, 7];

function random(shape: number[], seed: number, scale = 0.5): tf.Tensor {
  const rng = createRng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => (2 * rng.next() - 1) * scale),
    shape,
  );
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);
}

/**
 * Our sequence op and tf.layers' recurrent layer, given the same weights (our layout is theirs),
 * must agree on outputs and on gradients for inputs and every weight. tf.layers is told to use
 * the logistic sigmoid (its default is hardSigmoid); its GRU is reset_after = false, as ours.
 */
const CASES: Array<{ spec: CellSpec; layer: () => tf.layers.Layer }> = [
  {
    spec: { cell: 'rnn', units: UNITS },
    layer: () => tf.layers.simpleRNN({ units: UNITS, returnSequences: true }),
  },
  {
    spec: { cell: 'lstm', units: UNITS },
    layer: () =>
      tf.layers.lstm({ units: UNITS, returnSequences: true, recurrentActivation: 'sigmoid' }),
  },
  {
    spec: { cell: 'gru', units: UNITS },
    layer: () =>
      tf.layers.gru({ units: UNITS, returnSequences: true, recurrentActivation: 'sigmoid' }),
  },
];

describe('equivalence with tf.layers (same weights, float32 tolerance)', () => {
  for (const { spec, layer: makeLayer } of CASES) {
    it(`${spec.cell}: outputs and gradients match`, () => {
      const weights = weightSpecs(spec, INPUT).map((w, k) => random(w.shape, 100 + k));
      const xBatchMajor = random([BATCH, TIME, INPUT], 1, 1);
      const upstream = random([BATCH, TIME, UNITS], 2, 1);
      const layer = makeLayer();
      layer.apply(tf.zeros([BATCH, TIME, INPUT]));
      layer.setWeights(weights);

      const ours = (x: tf.Tensor, w: tf.Tensor[]): tf.Tensor => {
        const result = runSequence(createKernel(spec), {
          x: tf.transpose(x, [1, 0, 2]) as tf.Tensor3D,
          weights: w,
          h0: tf.zeros([BATCH, UNITS]),
          c0: null,
          mask: null,
        });
        return tf.transpose(result.outputs, [1, 0, 2]);
      };
      const theirs = (x: tf.Tensor): tf.Tensor => layer.apply(x) as tf.Tensor;

      expect(maxAbsDiff(ours(xBatchMajor, weights), theirs(xBatchMajor))).toBeLessThan(1e-5);

      const ourGrads = tf.grads((x: tf.Tensor, ...w: tf.Tensor[]) =>
        tf.sum(tf.mul(ours(x, w), upstream)),
      )([xBatchMajor, ...weights]);
      const theirX = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(theirs(x), upstream)))(xBatchMajor);
      const variables = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      const theirW = tf.variableGrads(
        () => tf.sum(tf.mul(theirs(xBatchMajor), upstream)) as tf.Scalar,
        variables,
      );
      expect(maxAbsDiff(ourGrads[0] as tf.Tensor, theirX)).toBeLessThan(1e-4);
      variables.forEach((v, k) => {
        expect(
          maxAbsDiff(ourGrads[k + 1] as tf.Tensor, theirW.grads[v.name] as tf.Tensor),
        ).toBeLessThan(1e-4);
      });
      layer.dispose();
    });
  }
});
