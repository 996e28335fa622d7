import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../../backend/tf-backend';
import { loadRnnNative } from '../../../native/rnn-native';
import { disposeBatch, makeBatch, modelBatchOf } from '../batching';
import type { SequenceExample } from '../batching';
import { forwardLoss, sequenceLoss } from '../losses';
import { parseModelConfig } from '../model-config';
import type { ModelConfigInput } from '../model-config';
import { createRng } from '../random';
import { RnnModel } from '../rnn-model';
import { softmaxCrossEntropy } from '../softmax-cross-entropy';
import type { SoftmaxCrossEntropy } from '../softmax-cross-entropy';
import { withKernel } from '../testing/with-kernel';
import { nativeOutputSoftmax } from './native-output-softmax';

beforeAll(async () => {
  await initTfBackend();
});

const addon = loadRnnNative().addon;

function random(shape: number[], seed: number, spread = 1): tf.Tensor {
  const rng = createRng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => spread * (2 * rng.next() - 1)),
    shape,
  );
}

/**
 * Largest |a - b| over the largest |b|: a relative error of the whole tensor. The scale is at
 * least 0.01: a gradient summed over rows (the bias's) can cancel to far below its terms, which
 * are up to 1 (p - one-hot), and float32 sums in another order differ by ~1e-8 there.
 */
function relativeError(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  expect(a.shape).toEqual(b.shape);
  let diff = 0;
  let scale = 0.01;
  for (let i = 0; i < y.length; i++) {
    diff = Math.max(diff, Math.abs((x[i] as number) - (y[i] as number)));
    scale = Math.max(scale, Math.abs(y[i] as number));
  }
  return diff / scale;
}

interface Scored {
  loss: number;
  correct: number;
  count: number;
  grads: tf.Tensor[];
}

describe.skipIf(!addon)(
  'nativeOutputSoftmax (output layer + softmax cross-entropy, native)',
  () => {
    const rows = 23;
    const input = 7;
    const classes = 11;
    const ids = Array.from({ length: rows }, (_, r) => (r * 5) % classes);
    const weights = Array.from({ length: rows }, (_, r) => (r % 4 === 3 ? 0 : 1 + (r % 3) / 2));

    type Fused = (h: tf.Tensor2D, k: tf.Tensor2D, b: tf.Tensor1D) => SoftmaxCrossEntropy;

    /** The loss, its counts and its gradients with respect to (h, kernel, bias). */
    function scoredBy(fused: Fused, h: tf.Tensor, k: tf.Tensor, b: tf.Tensor): Scored {
      let stats = { correct: 0, count: 0 };
      const { value, grads } = tf.valueAndGrads((hs: tf.Tensor, ks: tf.Tensor, bs: tf.Tensor) => {
        const result = fused(hs as tf.Tensor2D, ks as tf.Tensor2D, bs as tf.Tensor1D);
        stats = { correct: result.correct, count: result.count };
        return result.loss;
      })([h, k, b]);
      return { loss: value.dataSync()[0] as number, ...stats, grads };
    }

    /**
     * The output layer and its loss: native (nativeOutputSoftmax), or as TF.js ops with the loss
     * through softmaxCrossEntropy.
     */
    function scored(
      path: 'native' | 'tfjs',
      tied: boolean,
      h: tf.Tensor,
      k: tf.Tensor,
      b: tf.Tensor,
      smoothing = 0,
    ): Scored {
      const fused: Fused =
        path === 'native'
          ? (hs, ks, bs) => nativeOutputSoftmax(addon!, hs, ks, bs, ids, weights, tied, smoothing)
          : (hs, ks, bs) => {
              const logits = tf.add(tf.matMul(hs, tied ? tf.transpose(ks) : ks), bs);
              return softmaxCrossEntropy(logits, ids, weights, smoothing);
            };
      return scoredBy(fused, h, k, b);
    }

    for (const tied of [false, true]) {
      it(`${tied ? 'tied (kernel [classes, input])' : 'untied'}: loss, correct, count and every gradient equal the TF.js path's`, () => {
        const h = random([rows, input], 1, 3);
        const k = random(tied ? [classes, input] : [input, classes], 2);
        const b = random([classes], 3);
        const ours = scored('native', tied, h, k, b);
        const theirs = scored('tfjs', tied, h, k, b);
        expect(Math.abs(ours.loss - theirs.loss) / theirs.loss).toBeLessThan(1e-5);
        expect(ours.correct).toBe(theirs.correct);
        expect(ours.count).toBe(theirs.count);
        expect(ours.correct).toBeGreaterThan(0);
        ours.grads.forEach((g, i) => expect(relativeError(g, theirs.grads[i]!)).toBeLessThan(1e-5));
        // Rows of weight 0 get no gradient.
        const dh = ours.grads[0]!.arraySync() as number[][];
        expect(dh[3]!.every((v) => v === 0)).toBe(true);
        expect(dh[2]!.some((v) => v !== 0)).toBe(true);
      });
    }

    for (const tied of [false, true]) {
      it(`${tied ? 'tied' : 'untied'}, label smoothing 0.1: loss and every gradient equal the TF.js path's`, () => {
        const h = random([rows, input], 10, 3);
        const k = random(tied ? [classes, input] : [input, classes], 11);
        const b = random([classes], 12);
        const ours = scored('native', tied, h, k, b, 0.1);
        const theirs = scored('tfjs', tied, h, k, b, 0.1);
        const plain = scored('native', tied, h, k, b);
        expect(Math.abs(ours.loss - theirs.loss) / theirs.loss).toBeLessThan(1e-5);
        expect(Math.abs(ours.loss - plain.loss)).toBeGreaterThan(1e-3);
        ours.grads.forEach((g, i) => expect(relativeError(g, theirs.grads[i]!)).toBeLessThan(1e-5));
        expect(relativeError(ours.grads[2]!, plain.grads[2]!)).toBeGreaterThan(1e-3);
      });
    }

    it('refuses a smoothing outside [0, 1)', () => {
      const h = random([rows, input], 1) as tf.Tensor2D;
      const k = random([input, classes], 2) as tf.Tensor2D;
      const b = random([classes], 3) as tf.Tensor1D;
      expect(() => nativeOutputSoftmax(addon!, h, k, b, ids, weights, false, 1)).toThrow(
        /smoothing must be a number in \[0, 1\)/,
      );
    });

    it('keeps an underflowing target probability exact (log-sum-exp from the logits)', () => {
      const h = random([rows, input], 4, 40);
      const k = random([input, classes], 5, 4);
      const b = random([classes], 6);
      const ours = scored('native', false, h, k, b);
      const theirs = scored('tfjs', false, h, k, b);
      expect(ours.loss).toBeGreaterThan(100);
      expect(Math.abs(ours.loss - theirs.loss) / theirs.loss).toBeLessThan(1e-5);
    });

    it('gives a NaN loss for a NaN logit in a weighted row, and ignores one in a row of weight 0', () => {
      const values = random([rows, input], 7).dataSync() as Float32Array;
      const k = random([input, classes], 8);
      const b = random([classes], 9);
      const withNaNAt = (row: number): number => {
        const copy = values.slice();
        copy[row * input + 2] = Number.NaN;
        return scored('native', false, tf.tensor2d(copy, [rows, input]), k, b).loss;
      };
      expect(withNaNAt(2)).toBeNaN();
      expect(withNaNAt(3)).toBeCloseTo(
        scored(
          'tfjs',
          false,
          tf.tensor2d(values.slice().fill(0, 3 * input, 4 * input), [rows, input]),
          k,
          b,
        ).loss,
        5,
      );
      const infinite = values.slice();
      infinite[5 * input] = Number.POSITIVE_INFINITY;
      expect(scored('native', false, tf.tensor2d(infinite, [rows, input]), k, b).loss).toBeNaN();
    });

    it('refuses ids, weights or a kernel that do not fit', () => {
      const h = random([rows, input], 1) as tf.Tensor2D;
      const k = random([input, classes], 2) as tf.Tensor2D;
      const b = random([classes], 3) as tf.Tensor1D;
      expect(() => nativeOutputSoftmax(addon!, h, k, b, ids.slice(1), weights, false)).toThrow(
        /22 ids and 23 weights/,
      );
      expect(() => nativeOutputSoftmax(addon!, h, k, b, ids, weights, true)).toThrow(
        /kernel \[7, 11\]/,
      );
    });
  },
);

describe.skipIf(!addon)('forwardLoss: the fused native output layer in a model', () => {
  const examples: SequenceExample[] = [
    {
      inputs: Int32Array.from([1, 2, 3, 4, 5]),
      length: 5,
      target: Int32Array.from([2, 3, 4, 5, 6]),
    },
    { inputs: Int32Array.from([7, 8, 9]), length: 3, target: Int32Array.from([8, 9, 10]) },
    { inputs: Int32Array.from([11, 12, 1, 2]), length: 4, target: Int32Array.from([12, 1, 2, 3]) },
  ];
  const models: RnnModel[] = [];
  afterAll(() => models.forEach((m) => m.dispose()));

  /** Loss, counts and every parameter's gradient, fused or through forward()'s logits. */
  function scored(model: RnnModel, fused: boolean, batchExamples: SequenceExample[]): Scored {
    const batch = makeBatch(model.config, batchExamples);
    let stats = { correct: 0, count: 0 };
    const options = { training: true, rng: createRng(11) };
    const { value, grads } = tf.variableGrads(() => {
      const parts = fused
        ? forwardLoss(model, batch, options).parts
        : sequenceLoss(model.config, model.forward(modelBatchOf(batch), options).logits, batch);
      stats = {
        correct: parts.correct.dataSync()[0] as number,
        count: parts.count.dataSync()[0] as number,
      };
      return parts.loss;
    });
    disposeBatch(batch);
    const names = [...model.params.values()].map((v) => v.name);
    return { loss: value.dataSync()[0] as number, ...stats, grads: names.map((n) => grads[n]!) };
  }

  const configs: Array<[string, ModelConfigInput, SequenceExample[]]> = [
    [
      'LM, tied embeddings, dropout, masks',
      {
        pattern: 'decoder',
        input: { kind: 'tokens', vocabSize: 13, embeddingSize: 6 },
        layers: [
          { cell: 'lstm', units: 6 },
          { cell: 'lstm', units: 6 },
        ],
        output: { size: 13, tiedEmbeddings: true },
        dropout: 0.3,
        seed: 5,
      },
      examples,
    ],
    [
      'transducer, own kernel, masks',
      {
        pattern: 'transducer',
        input: { kind: 'tokens', vocabSize: 13, embeddingSize: 4 },
        layers: [{ cell: 'gru', units: 5 }],
        output: { size: 13 },
        seed: 6,
      },
      examples,
    ],
    [
      'encoder (batch-major rows)',
      {
        pattern: 'encoder',
        input: { kind: 'tokens', vocabSize: 13, embeddingSize: 4 },
        layers: [{ cell: 'lstm', units: 5 }],
        output: { size: 3 },
        dropout: 0.2,
        seed: 7,
      },
      examples.map((e, i) => ({ ...e, target: i % 3 })),
    ],
  ];

  for (const [name, input, batchExamples] of configs) {
    it(`${name}: loss, correct, count and every gradient equal the unfused path's`, () => {
      withKernel('native', () => {
        const model = new RnnModel(parseModelConfig(input));
        models.push(model);
        const ours = scored(model, true, batchExamples);
        const theirs = scored(model, false, batchExamples);
        expect(Math.abs(ours.loss - theirs.loss) / theirs.loss).toBeLessThan(1e-5);
        expect(ours.correct).toBe(theirs.correct);
        expect(ours.count).toBe(theirs.count);
        expect(ours.grads.length).toBe(model.params.size);
        ours.grads.forEach((g, i) =>
          expect([[...model.params.keys()][i], relativeError(g, theirs.grads[i]!)]).toEqual([
            [...model.params.keys()][i],
            expect.closeTo(0, 5),
          ]),
        );
      });
    });
  }

  it('without the addon (UNFOLD_RNN_KERNEL=tfjs) gives the unfused numbers', () => {
    withKernel('tfjs', () => {
      const model = new RnnModel(parseModelConfig(configs[0]![1]));
      models.push(model);
      const ours = scored(model, true, examples);
      const theirs = scored(model, false, examples);
      expect(ours.loss).toBe(theirs.loss);
      ours.grads.forEach((g, i) => expect(relativeError(g, theirs.grads[i]!)).toBe(0));
    });
  });
});

describe('forwardLoss with label smoothing', () => {
  const examples: SequenceExample[] = [
    { inputs: Int32Array.from([1, 2, 3]), length: 3, target: Int32Array.from([2, 3, 4]) },
    { inputs: Int32Array.from([4, 5]), length: 2, target: Int32Array.from([5, 6]) },
  ];
  const transducer: ModelConfigInput = {
    pattern: 'transducer',
    input: { kind: 'tokens', vocabSize: 8, embeddingSize: 4 },
    layers: [{ cell: 'lstm', units: 5 }],
    output: { size: 8 },
    seed: 3,
  };

  function smoothedLoss(kernel: 'native' | 'tfjs', smoothing: number): number {
    return withKernel(kernel, () => {
      const model = new RnnModel(parseModelConfig(transducer));
      const batch = makeBatch(model.config, examples);
      const loss = tf.tidy(
        () =>
          forwardLoss(model, batch, {
            training: false,
            labelSmoothing: smoothing,
          }).parts.loss.dataSync()[0] as number,
      );
      disposeBatch(batch);
      model.dispose();
      return loss;
    });
  }

  it.skipIf(!addon)('gives the same smoothed loss with the native output layer as without', () => {
    const native = smoothedLoss('native', 0.2);
    expect(Math.abs(native - smoothedLoss('tfjs', 0.2)) / native).toBeLessThan(1e-5);
    // An untrained model's softmax is nearly uniform, where smoothing moves the loss least.
    expect(Math.abs(native - smoothedLoss('native', 0))).toBeGreaterThan(1e-5);
  });

  it('refuses smoothing for an output that is not a softmax', () => {
    const model = new RnnModel(
      parseModelConfig({ ...transducer, output: { size: 8, activation: 'sigmoid' } }),
    );
    const batch = makeBatch(model.config, examples);
    expect(() => forwardLoss(model, batch, { training: false, labelSmoothing: 0.1 })).toThrow(
      /label smoothing needs a softmax output \(this model's is sigmoid\)/,
    );
    disposeBatch(batch);
    model.dispose();
  });
});
