// Character CNN forward + backward (domain/rnn/char-cnn.ts) on the native addon vs the TF.js ops,
// interleaved in one process (tfjs, native, tfjs, ...); medians per call. Tagger-sized default:
// 565 tokens (5 x 113), 15 positions, 100 chars, 30 dims, 50 filters, width 3.
// Run: npx tsx tests/bench/char-cnn.ts [iterations] [repetitions]
import * as tf from '@tensorflow/tfjs';
import { initTfBackend } from '../../src-main/domain/backend/tf-backend';
import { charFeatures } from '../../src-main/domain/rnn/char-cnn';
import { createRng } from '../../src-main/domain/rnn/random';
import { withKernel } from '../../src-main/domain/rnn/testing/with-kernel';
import { loadRnnNative } from '../../src-main/native/rnn-native';

const ITERATIONS = Number(process.argv[2] ?? 20);
const REPETITIONS = Number(process.argv[3] ?? 5);
const [BATCH, TIME, POSITIONS, VOCAB, EMB, FILTERS, WIDTH] = [5, 113, 15, 100, 30, 50, 3];

await initTfBackend();
if (!loadRnnNative().addon) throw new Error('native addon not built');
const rng = createRng(1);
// Word lengths 1-9 (English-like), one token in ten a padded step with no chars.
const ids = new Int32Array(BATCH * TIME * POSITIONS);
for (let w = 0; w < BATCH * TIME; w++) {
  const length = rng.next() < 0.1 ? 0 : 1 + Math.floor(rng.next() * 9);
  for (let p = 0; p < length; p++)
    ids[w * POSITIONS + p] = 1 + Math.floor(rng.next() * (VOCAB - 1));
}
const chars = tf.tensor3d(ids, [BATCH, TIME, POSITIONS], 'int32');
const table = tf.variable(tf.randomNormal([VOCAB, EMB], 0, 0.1)) as tf.Variable<tf.Rank.R2>;
const kernel = tf.variable(
  tf.randomNormal([WIDTH * EMB, FILTERS], 0, 0.1),
) as tf.Variable<tf.Rank.R2>;
const bias = tf.variable(tf.zeros([FILTERS])) as tf.Variable<tf.Rank.R1>;
const upstream = tf.randomNormal([TIME, BATCH, FILTERS]);

function step(): void {
  tf.tidy(() => {
    const { grads } = tf.variableGrads(() =>
      tf.sum(
        tf.mul(
          charFeatures({ table, kernel, bias: bias as tf.Tensor1D, width: WIDTH }, chars),
          upstream,
        ),
      ),
    );
    Object.values(grads).forEach((g) => g.dataSync());
  });
}

const times: Record<'tfjs' | 'native', number[]> = { tfjs: [], native: [] };
for (let rep = -1; rep < REPETITIONS; rep++) {
  for (const kernelChoice of ['tfjs', 'native'] as const) {
    withKernel(kernelChoice, () => {
      const start = performance.now();
      for (let i = 0; i < ITERATIONS; i++) step();
      const perCall = (performance.now() - start) / ITERATIONS;
      if (rep >= 0) times[kernelChoice].push(perCall); // rep -1 warms up
    });
  }
}
const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const [old, now] = [median(times.tfjs), median(times.native)];
console.log(
  `char CNN fwd+bwd, ${BATCH * TIME} tokens x ${POSITIONS} positions, backend ${tf.getBackend()}: ` +
    `tfjs ${old.toFixed(2)} ms, native ${now.toFixed(2)} ms (median of ${REPETITIONS} x ${ITERATIONS}), ${(old / now).toFixed(1)}x`,
);
console.log(
  `per rep tfjs: ${times.tfjs.map((t) => t.toFixed(2)).join(' ')}; native: ${times.native.map((t) => t.toFixed(2)).join(' ')}`,
);
