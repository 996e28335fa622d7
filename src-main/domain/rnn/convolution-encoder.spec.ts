import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRnnNative } from '../../native/rnn-native';
import { initTfBackend } from '../backend/tf-backend';
import { convolutionEncoder } from './convolution-encoder';
import { createRng } from './random';
import { withKernel } from './testing/with-kernel';

beforeAll(async () => {
  await initTfBackend();
});

interface Case {
  /** Real steps of each sentence; the batch is padded to `time`. */
  lengths: number[];
  time: number;
  size: number;
  widths: number[];
  filters: number;
}

interface Values {
  /** Time-major [time, batch, size]; padded steps hold `padValue`. */
  x: Float32Array;
  kernels: Float32Array[];
  biases: Float32Array[];
}

function random(length: number, seed: number, scale = 1): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length }, () => rng.normal() * scale);
}

function valuesOf(c: Case, seed: number, padValue = 0): Values {
  const batch = c.lengths.length;
  const x = random(c.time * batch * c.size, seed);
  for (let t = 0; t < c.time; t++)
    for (let b = 0; b < batch; b++)
      if (t >= (c.lengths[b] as number))
        x.fill(padValue, (t * batch + b) * c.size, (t * batch + b + 1) * c.size);
  return {
    x,
    kernels: c.widths.map((w, i) => random(w * c.size * c.filters, seed + 10 + i)),
    biases: c.widths.map((_, i) => random(c.filters, seed + 20 + i, 0.1)),
  };
}

/**
 * Kim's CNN written out: for every real start position, relu(bias + window . kernel) with zero
 * vectors past the sentence's end, the max over those (0 when none is positive). [batch, banks x filters].
 */
function reference(c: Case, v: Values): number[] {
  const batch = c.lengths.length;
  const out: number[] = [];
  for (let b = 0; b < batch; b++) {
    const length = c.lengths[b] as number;
    c.widths.forEach((width, i) => {
      const kernel = v.kernels[i] as Float32Array;
      for (let f = 0; f < c.filters; f++) {
        let best = 0;
        for (let p = 0; p < length; p++) {
          let sum = (v.biases[i] as Float32Array)[f] as number;
          for (let k = 0; k < width && p + k < length; k++)
            for (let e = 0; e < c.size; e++)
              sum +=
                (v.x[((p + k) * batch + b) * c.size + e] as number) *
                (kernel[(k * c.size + e) * c.filters + f] as number);
          best = Math.max(best, sum);
        }
        out.push(best);
      }
    });
  }
  return out;
}

function maskOf(c: Case): tf.Tensor2D {
  const mask = c.lengths.flatMap((length) =>
    Array.from({ length: c.time }, (_, t) => (t < length ? 1 : 0)),
  );
  return tf.tensor2d(mask, [c.lengths.length, c.time]);
}

/** Features and the gradients of sum(features * upstream) for x, every kernel and every bias. */
function run(
  c: Case,
  v: Values,
  upstream: Float32Array,
): { features: Float32Array; grads: Float32Array[] } {
  return tf.tidy(() => {
    const batch = c.lengths.length;
    const mask = maskOf(c);
    const encode = (x: tf.Tensor, ...params: tf.Tensor[]): tf.Tensor2D =>
      convolutionEncoder(
        x as tf.Tensor3D,
        mask,
        c.widths.map((width, i) => ({
          kernel: params[2 * i] as tf.Tensor2D,
          bias: params[2 * i + 1] as tf.Tensor1D,
          width,
        })),
      );
    const inputs = [
      tf.tensor3d(v.x, [c.time, batch, c.size]),
      ...c.widths.flatMap((w, i) => [
        tf.tensor2d(v.kernels[i] as Float32Array, [w * c.size, c.filters]),
        tf.tensor1d(v.biases[i] as Float32Array),
      ]),
    ];
    const features = encode(...(inputs as [tf.Tensor, ...tf.Tensor[]]));
    expect(features.shape).toEqual([batch, c.widths.length * c.filters]);
    const up = tf.tensor2d(upstream, features.shape);
    const grads = tf.grads((...args: tf.Tensor[]) =>
      tf.sum(tf.mul(encode(...(args as [tf.Tensor, ...tf.Tensor[]])), up)),
    )(inputs);
    return {
      features: features.dataSync() as Float32Array,
      grads: grads.map((g) => g.dataSync() as Float32Array),
    };
  });
}

const implementations = loadRnnNative().addon ? (['tfjs', 'native'] as const) : (['tfjs'] as const);

// Three sentences padded to 5 steps: one full, one shorter than the widest filter, one word.
const SMALL: Case = { lengths: [5, 2, 1], time: 5, size: 3, widths: [2, 3], filters: 3 };

describe('convolution encoder (Kim 2014 CNN over word vectors)', () => {
  for (const implementation of implementations) {
    it(`${implementation}: matches the written-out CNN and finite differences (short sentences, padding)`, () => {
      withKernel(implementation, () => {
        const values = valuesOf(SMALL, 1);
        const batch = SMALL.lengths.length;
        const total = SMALL.widths.length * SMALL.filters;
        const upstream = random(batch * total, 2);
        const { features, grads } = run(SMALL, values, upstream);
        const expected = reference(SMALL, values);
        expected.forEach((v, i) => expect(features[i]).toBeCloseTo(v, 4));
        // The one-word sentence is shorter than both widths and still gets positive features.
        expect(expected.slice(2 * total).some((v) => v > 0)).toBe(true);

        const loss = (v: Values): number =>
          reference(SMALL, v).reduce((s, x, i) => s + x * (upstream[i] as number), 0);
        const eps = 1e-3;
        let nonZero = 0;
        const check = (analytic: Float32Array, values: Float32Array, moved: () => number): void => {
          values.forEach((_, e) => {
            const base = values[e] as number;
            values[e] = base + eps;
            const up = moved();
            values[e] = base - eps;
            const down = moved();
            values[e] = base;
            const numeric = (up - down) / (2 * eps);
            if (Math.abs(numeric) > 1e-3) nonZero += 1;
            expect(analytic[e]).toBeCloseTo(numeric, 2);
          });
        };
        check(grads[0] as Float32Array, values.x, () => loss(values));
        SMALL.widths.forEach((_, i) => {
          check(grads[1 + 2 * i] as Float32Array, values.kernels[i] as Float32Array, () =>
            loss(values),
          );
          check(grads[2 + 2 * i] as Float32Array, values.biases[i] as Float32Array, () =>
            loss(values),
          );
        });
        expect(nonZero).toBeGreaterThan(30);
      });
    });

    it(`${implementation}: padding never enters the max and gets no gradient, whatever it holds`, () => {
      withKernel(implementation, () => {
        const total = SMALL.widths.length * SMALL.filters;
        const upstream = random(SMALL.lengths.length * total, 3);
        const zeros = run(SMALL, valuesOf(SMALL, 4, 0), upstream);
        // Huge vectors on the padded steps would win every max if they were read.
        const huge = run(SMALL, valuesOf(SMALL, 4, 1000), upstream);
        expect(Array.from(huge.features)).toEqual(Array.from(zeros.features));
        const dx = huge.grads[0] as Float32Array;
        const batch = SMALL.lengths.length;
        for (let t = 0; t < SMALL.time; t++)
          for (let b = 0; b < batch; b++)
            if (t >= (SMALL.lengths[b] as number))
              for (let e = 0; e < SMALL.size; e++)
                expect(dx[(t * batch + b) * SMALL.size + e]).toBe(0);
      });
    });

    it(`${implementation}: a sentence's features do not depend on how far the batch is padded`, () => {
      withKernel(implementation, () => {
        const alone: Case = { lengths: [2], time: 2, size: 3, widths: [3, 4, 5], filters: 4 };
        const values = valuesOf(alone, 5);
        const padded: Case = { ...alone, lengths: [2, 6], time: 6 };
        const both = valuesOf(padded, 6, 3); // padding that would show if it were read
        // Sentence 0 of the padded batch holds the lone sentence's vectors.
        for (let t = 0; t < 2; t++) both.x.set(values.x.subarray(t * 3, t * 3 + 3), t * 2 * 3);
        both.kernels = values.kernels;
        both.biases = values.biases;
        const total = 3 * 4;
        const single = run(alone, values, new Float32Array(total).fill(1));
        const inBatch = run(padded, both, new Float32Array(2 * total).fill(1));
        const first = Array.from(inBatch.features.subarray(0, total));
        first.forEach((v, i) => expect(v).toBeCloseTo(single.features[i] as number, 5));
        expect(first.some((v) => v > 0)).toBe(true);
      });
    });
  }
});

describe.runIf(loadRnnNative().addon)('native convolution encoder against the TF.js ops', () => {
  const cases: Case[] = [
    { lengths: [7, 3, 1, 5], time: 7, size: 6, widths: [3, 4, 5], filters: 5 },
    { lengths: [2, 2], time: 2, size: 4, widths: [1, 5], filters: 3 },
    { lengths: [9, 4, 6], time: 9, size: 5, widths: [2], filters: 8 },
  ];
  cases.forEach((c, n) => {
    it(`features and input/kernel/bias gradients agree (case ${n}: widths ${c.widths.join('/')})`, () => {
      const values = valuesOf(c, 30 + n);
      const upstream = random(c.lengths.length * c.widths.length * c.filters, 40 + n);
      const tfjs = withKernel('tfjs', () => run(c, values, upstream));
      const native = withKernel('native', () => run(c, values, upstream));
      [tfjs.features, ...tfjs.grads].forEach((expected, which) => {
        const actual = [native.features, ...native.grads][which] as Float32Array;
        expect(actual.length).toBe(expected.length);
        expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, 4));
      });
      expect(native.grads[0]!.some((v) => v !== 0)).toBe(true);
    });
  });
});
