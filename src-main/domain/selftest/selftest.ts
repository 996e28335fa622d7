import * as tf from '@tensorflow/tfjs';
import type { SelftestParams, SelftestResult } from '../../api/jobs';
import { initTfBackend } from '../backend/tf-backend';
import { throwIfAborted } from '../errors';
import type { LongOperationOptions } from '../jobs/progress';
import { mulberry32 } from '../seeded-random';

const PROGRESS_INTERVAL_MS = 100;

/**
 * Trains a small LSTM on a toy sequence task (is the first input's mean over time positive?)
 * for a number of steps on the backend in use, and reports how fast it went. It proves that
 * TF.js, the chosen backend and the job machinery work on this machine.
 */
export async function runSelftest(
  params: SelftestParams,
  { onProgress, signal }: LongOperationOptions = {},
): Promise<SelftestResult> {
  const backend = await initTfBackend();
  const random = mulberry32(params.seed);
  const { batch, timeSteps, units } = params;

  const model = tf.sequential();
  model.add(
    tf.layers.lstm({
      inputShape: [timeSteps, 4],
      units,
      recurrentActivation: 'sigmoid',
      // The default orthogonal initialiser is very slow on the JS backends (see PITFALLS.md).
      recurrentInitializer: tf.initializers.glorotUniform({ seed: params.seed }),
      kernelInitializer: tf.initializers.glorotUniform({ seed: params.seed + 1 }),
    }),
  );
  model.add(
    tf.layers.dense({
      units: 1,
      activation: 'sigmoid',
      kernelInitializer: tf.initializers.glorotUniform({ seed: params.seed + 2 }),
    }),
  );
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'binaryCrossentropy' });

  const makeBatch = (): { x: tf.Tensor3D; y: tf.Tensor2D } => {
    const xs = new Float32Array(batch * timeSteps * 4);
    const ys = new Float32Array(batch);
    for (let b = 0; b < batch; b++) {
      let sum = 0;
      for (let t = 0; t < timeSteps; t++) {
        for (let f = 0; f < 4; f++) {
          const value = random() * 2 - 1;
          xs[(b * timeSteps + t) * 4 + f] = value;
          if (f === 0) sum += value;
        }
      }
      ys[b] = sum > 0 ? 1 : 0;
    }
    return { x: tf.tensor3d(xs, [batch, timeSteps, 4]), y: tf.tensor2d(ys, [batch, 1]) };
  };

  let firstLoss = Number.NaN;
  let lastLoss = Number.NaN;
  const started = performance.now();
  let lastReport = 0;
  try {
    for (let step = 1; step <= params.steps; step++) {
      throwIfAborted(signal);
      const { x, y } = makeBatch();
      const loss = (await model.trainOnBatch(x, y)) as number;
      tf.dispose([x, y]);
      if (step === 1) firstLoss = loss;
      lastLoss = loss;
      const now = performance.now();
      if (now - lastReport >= PROGRESS_INTERVAL_MS || step === params.steps) {
        lastReport = now;
        onProgress?.({
          fraction: step / params.steps,
          message: `Step ${step} of ${params.steps} on ${backend.name}`,
          metrics: { loss, stepsPerSecond: step / ((now - started) / 1000) },
        });
      }
    }
  } finally {
    model.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    backend: backend.name,
    steps: params.steps,
    stepsPerSecond: params.steps / seconds,
    firstLoss,
    lastLoss,
  };
}
