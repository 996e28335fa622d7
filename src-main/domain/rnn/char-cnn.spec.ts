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
