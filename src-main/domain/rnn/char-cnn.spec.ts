import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRnnNative } from '../../native/rnn-native';
import { initTfBackend } from '../backend/tf-backend';
import { charFeatures } from './char-cnn';
import { createRng } from './random';
import { withKernel } from './testing/with-kernel';

beforeAll(async () => {
  await initTfBackend();
});

const [VOCAB, EMB, FILTERS, WIDTH] = [6, 2, 4, 3];
// [batch 2, time 2, chars 5]: repeated chars (equal windows), a word shorter than the width,
// a padded time step with no chars at all.
const CHARS = [
  [1, 1, 1, 1, 0],
  [2, 0, 0, 0, 0],
  [3, 4, 5, 3, 4],
  [0, 0, 0, 0, 0],
].flat();

function random(length: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length }, () => rng.normal());
}

/** The CNN written out: every window starting at a real char, padding ids past the end. */
function reference(table: Float32Array, kernel: Float32Array, bias: Float32Array): number[] {
  const out: number[] = [];
  for (const t of [0, 1]) {
    for (const b of [0, 1]) {
      const word = CHARS.slice((b * 2 + t) * 5, (b * 2 + t) * 5 + 5);
      for (let f = 0; f < FILTERS; f++) {
        let best = 0;
        word.forEach((id, p) => {
          if (id === 0) return;
          let sum = bias[f] as number;
          for (let k = 0; k < WIDTH; k++) {
            const c = word[p + k] ?? 0;
            for (let e = 0; e < EMB; e++)
              sum +=
                (table[c * EMB + e] as number) * (kernel[(k * EMB + e) * FILTERS + f] as number);
          }
          best = Math.max(best, sum);
        });
        out.push(best);
      }
    }
  }
  return out;
}

const implementations = loadRnnNative().addon ? (['tfjs', 'native'] as const) : (['tfjs'] as const);

describe('character CNN', () => {
  for (const implementation of implementations) {
    it(`${implementation}: matches the written-out CNN and finite differences (repeated chars, short word, empty step)`, () => {
      withKernel(implementation, () => {
        const values = {
          table: random(VOCAB * EMB, 1),
          kernel: random(WIDTH * EMB * FILTERS, 2),
          bias: random(FILTERS, 3).map((v) => v * 0.1),
        };
        const upstream = tf.tensor3d(random(2 * 2 * FILTERS, 4), [2, 2, FILTERS]);
        const chars = tf.tensor3d(CHARS, [2, 2, 5], 'int32');
        const run = (v: typeof values): tf.Tensor3D =>
          charFeatures(
            {
              table: tf.tensor2d(v.table, [VOCAB, EMB]),
              kernel: tf.tensor2d(v.kernel, [WIDTH * EMB, FILTERS]),
              bias: tf.tensor1d(v.bias),
              width: WIDTH,
            },
            chars,
          );
        const out = tf.tidy(() => Array.from(run(values).dataSync()));
        reference(values.table, values.kernel, values.bias).forEach((v, i) =>
          expect(out[i]).toBeCloseTo(v, 4),
        );
        // The padded step (batch 1, time 1) has no chars: exact zeros.
        expect(out.slice(3 * FILTERS, 4 * FILTERS)).toEqual([0, 0, 0, 0]);

        const loss = (v: typeof values): number => {
          const ref = reference(v.table, v.kernel, v.bias);
          const up = upstream.dataSync();
          return ref.reduce((s, x, i) => s + x * (up[i] as number), 0);
        };
        const grads = tf.tidy(() =>
          tf
            .grads((t: tf.Tensor, k: tf.Tensor, b: tf.Tensor) =>
              tf.sum(
                tf.mul(
                  charFeatures(
                    {
                      table: t as tf.Tensor2D,
                      kernel: k as tf.Tensor2D,
                      bias: b as tf.Tensor1D,
                      width: WIDTH,
                    },
                    chars,
                  ),
                  upstream,
                ),
              ),
            )([
              tf.tensor2d(values.table, [VOCAB, EMB]),
              tf.tensor2d(values.kernel, [WIDTH * EMB, FILTERS]),
              tf.tensor1d(values.bias),
            ])
            .map((g) => g.dataSync()),
        );
        const eps = 1e-3;
        let nonZero = 0;
        (['table', 'kernel', 'bias'] as const).forEach((name, which) => {
          const analytic = grads[which] as Float32Array;
          values[name].forEach((_, e) => {
            const moved = (delta: number): number => {
              const copy = { ...values, [name]: values[name].slice() };
              copy[name][e] = (copy[name][e] as number) + delta;
              return loss(copy);
            };
            const numeric = (moved(eps) - moved(-eps)) / (2 * eps);
            if (Math.abs(numeric) > 1e-3) nonZero += 1;
            expect(analytic[e]).toBeCloseTo(numeric, 2);
          });
        });
        expect(nonZero).toBeGreaterThan(20);
        tf.dispose([upstream, chars]);
      });
    });
  }
});

/** Char ids [batch, time, positions]: word lengths 0..maxLength (beyond `positions` truncated). */
function randomChars(
  batch: number,
  time: number,
  positions: number,
  vocab: number,
  seed: number,
): Int32Array {
  const rng = createRng(seed);
  const ids = new Int32Array(batch * time * positions);
  for (let w = 0; w < batch * time; w++) {
    const length = Math.floor(rng.next() * (positions + 3)); // some words longer than positions
    for (let p = 0; p < Math.min(length, positions); p++)
      ids[w * positions + p] = 1 + Math.floor(rng.next() * (vocab - 1));
  }
  return ids;
}

/** Features and the three gradients of sum(features * upstream) under one kernel choice. */
function featuresAndGrads(
  implementation: 'native' | 'tfjs',
  shape: {
    batch: number;
    time: number;
    positions: number;
    vocab: number;
    emb: number;
    filters: number;
    width: number;
  },
  seed: number,
): Float32Array[] {
  const { batch, time, positions, vocab, emb, filters, width } = shape;
  return withKernel(implementation, () =>
    tf.tidy(() => {
      const chars = tf.tensor3d(
        randomChars(batch, time, positions, vocab, seed),
        [batch, time, positions],
        'int32',
      );
      const upstream = tf.tensor3d(random(time * batch * filters, seed + 1), [
        time,
        batch,
        filters,
      ]);
      const f = (t: tf.Tensor, k: tf.Tensor, b: tf.Tensor): tf.Tensor3D =>
        charFeatures(
          { table: t as tf.Tensor2D, kernel: k as tf.Tensor2D, bias: b as tf.Tensor1D, width },
          chars,
        );
      const inputs = [
        tf.tensor2d(random(vocab * emb, seed + 2), [vocab, emb]),
        tf.tensor2d(random(width * emb * filters, seed + 3), [width * emb, filters]),
        tf.tensor1d(random(filters, seed + 4)),
      ];
      const value = f(inputs[0]!, inputs[1]!, inputs[2]!);
      const grads = tf.grads((t: tf.Tensor, k: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(f(t, k, b), upstream)),
      )(inputs);
      return [value, ...grads].map((x) => x.dataSync() as Float32Array);
    }),
  );
}

describe.runIf(loadRnnNative().addon)('native character CNN against the TF.js ops', () => {
  const shapes = [
    { batch: 3, time: 4, positions: 6, vocab: 9, emb: 3, filters: 5, width: 3 },
    { batch: 2, time: 5, positions: 4, vocab: 7, emb: 2, filters: 3, width: 1 },
    { batch: 4, time: 3, positions: 8, vocab: 12, emb: 4, filters: 6, width: 3 },
    { batch: 1, time: 2, positions: 2, vocab: 5, emb: 2, filters: 4, width: 3 }, // width > positions
    // More table rows than windows: the kernel multiplies the windows (im2col), where the shapes
    // above project the table through it.
    { batch: 2, time: 2, positions: 3, vocab: 200, emb: 3, filters: 4, width: 2 },
  ];
  shapes.forEach((shape, n) => {
    it(`features and table/kernel/bias gradients agree (shape ${n}: width ${shape.width}, positions ${shape.positions})`, () => {
      const seed = 10 * (n + 1);
      const tfjs = featuresAndGrads('tfjs', shape, seed);
      const native = featuresAndGrads('native', shape, seed);
      expect(native.map((x) => x.length)).toEqual(tfjs.map((x) => x.length));
      tfjs.forEach((expected, which) => {
        const actual = native[which] as Float32Array;
        expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, 4));
      });
      // The shapes have empty words, so some features are exact zeros; not all of them.
      expect(native[0]!.some((v) => v === 0)).toBe(true);
      expect(native[1]!.some((v) => v !== 0)).toBe(true);
    });
  });

  it('rejects a char id outside the table with EMBEDDING_ID_OUT_OF_RANGE', () => {
    withKernel('native', () => {
      const weights = {
        table: tf.zeros([4, 2]) as tf.Tensor2D,
        kernel: tf.zeros([6, 3]) as tf.Tensor2D,
        bias: tf.zeros([3]) as tf.Tensor1D,
        width: 3,
      };
      const chars = tf.tensor3d([1, 4, 0], [1, 1, 3], 'int32');
      expect(() => charFeatures(weights, chars)).toThrow(
        expect.objectContaining({ code: 'EMBEDDING_ID_OUT_OF_RANGE' }),
      );
      tf.dispose([weights.table, weights.kernel, weights.bias, chars]);
    });
  });
});
