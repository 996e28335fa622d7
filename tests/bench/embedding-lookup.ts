// Embedding lookup + its gradient (rows gathered, rows scatter-added into a [V, D] table) on the
// native addon vs the TF.js/JS path, interleaved in one process (native, tfjs, native, ...).
// Run: npx tsx tests/bench/embedding-lookup.ts [V] [D] [N]
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { initTfBackend } from '../../src-main/domain/backend/tf-backend';
import { embedLookup, scatterAddRows } from '../../src-main/domain/rnn/embedding';
import { loadRnnNative } from '../../src-main/native/rnn-native';
import { createRng } from '../../src-main/domain/rnn/random';
import { withKernel } from '../../src-main/domain/rnn/testing/with-kernel';

const argument = (index: number, fallback: number): number =>
  Number(process.argv[2 + index] ?? fallback);
const [vocab, dim, count] = [argument(0, 20000), argument(1, 100), argument(2, 32 * 40)] as const;
const ITERATIONS = 50;
const REPETITIONS = 3;

await initTfBackend();
const rng = createRng(1);
const table = tf.variable(tf.randomNormal([vocab, dim])) as tf.Variable<tf.Rank.R2>;
// Zipf-like ids (frequent words repeat, as in text): id = floor(V^u) - 1.
const ids = tf.tensor2d(
  Int32Array.from({ length: count }, () => Math.floor(vocab ** rng.next()) - 1),
  [40, count / 40],
  'int32',
);
const upstream = tf.randomNormal([40, count / 40, dim]);
const lossOf = (t: tf.Tensor): tf.Scalar =>
  tf.sum(tf.mul(embedLookup(t as tf.Tensor2D, ids), upstream));

/**
 * Mean wall and CPU (user + system) ms per call. The machine is shared: CPU time of this
 * process is the steadier figure when other work competes for the cores.
 */
function timed(body: () => void): string {
  body();
  const wall = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < ITERATIONS; i++) body();
  const used = process.cpuUsage(cpu);
  const wallMs = (performance.now() - wall) / ITERATIONS;
  const cpuMs = (used.user + used.system) / 1000 / ITERATIONS;
  return `${wallMs.toFixed(2)} ms wall ${cpuMs.toFixed(2)} ms cpu`;
}
const msPer = (implementation: 'native' | 'tfjs', body: () => void): string =>
  withKernel(implementation, () => timed(body));
// The tidy bodies return nothing: a returned typed array would be walked element by element
// by tf.tidy looking for tensors (~100 ms for 128k values).
const forward = (): void => {
  tf.tidy(() => {
    embedLookup(table, ids).dataSync();
  });
};
const withGradient = (): void => {
  tf.tidy(() => {
    tf.grad(lossOf)(table).dataSync();
  });
};

console.log(
  `backend ${tf.getBackend()}, V=${vocab} D=${dim} N=${count}, ${ITERATIONS} iterations per figure, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
// One unprinted round first: the wasm heap and V8 settle (the first round ran up to 10x slower).
for (const implementation of ['native', 'tfjs'] as const) {
  msPer(implementation, forward);
  msPer(implementation, withGradient);
}
for (let r = 1; r <= REPETITIONS; r++) {
  for (const implementation of ['native', 'tfjs'] as const) {
    const f = msPer(implementation, forward);
    const g = msPer(implementation, withGradient);
    console.log(`rep ${r} ${implementation.padEnd(6)} forward ${f} | forward+gradient ${g}`);
  }
}
console.log(
  `load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

// Where the time goes: the pieces of each path, measured alone.
const addon = loadRnnNative().addon;
if (addon) {
  const idValues = ids.dataSync() as Int32Array;
  const dy = upstream.dataSync() as Float32Array;
  const flatIds = tf.reshape(ids, [-1]) as tf.Tensor1D;
  const pieces: Array<[string, () => void]> = [
    ['table.dataSync (copy out of the backend)', () => void table.dataSync()],
    [
      'table.dataSync + addon.gatherRows',
      () => void addon.gatherRows(vocab, dim, table.dataSync() as Float32Array, idValues),
    ],
    ['tf.gather + dataSync', () => tf.tidy(() => void tf.gather(table, flatIds).dataSync())],
    ['addon.scatterAddRows', () => void addon.scatterAddRows(vocab, dim, dy, idValues)],
    ['JS scatterAddRows', () => void scatterAddRows(vocab, dim, dy, idValues)],
    [
      'tf.tensor2d of a [V, D] gradient',
      () => tf.tidy(() => void tf.tensor2d(new Float32Array(vocab * dim), [vocab, dim])),
    ],
  ];
  for (const [name, body] of pieces) console.log(`${name.padEnd(44)} ${timed(body)}`);
}
