import * as tf from '@tensorflow/tfjs';
import type { Optimizer } from './optimizers';
import type { RnnModel } from './rnn-model';
import { updateInPlace } from './sparse-rows';

/**
 * Polyak averaging as an exponential moving average of the weights (TF's
 * ExponentialMovingAverage): training updates the weights as usual, and a shadow copy follows
 * them, `average += (1 - d) * (weights - average)` after every update. The average is what the
 * dev set sees, what the best checkpoint keeps and what the trained model is, since it sits
 * nearer the middle of the minimum that SGD and Adam bounce around (Polyak & Juditsky 1992;
 * AWD-LSTM's averaged SGD for language models).
 *
 * The averages live in the optimizer's slots (`<param>/average`), so checkpoints save them and a
 * resumed run carries on averaging exactly where it stopped.
 */
export const AVERAGE_SLOT_SUFFIX = '/average';

/**
 * The decay of update `step` (1-based): TF's warm-up `min(decay, (1 + step) / (10 + step))`,
 * so the first updates are not held back by the random initial weights.
 */
export function averageDecayAt(decay: number, step: number): number {
  return Math.min(decay, (1 + step) / (10 + step));
}

/** Moves every parameter's average towards its current value; call after each optimizer update. */
export function updateWeightAverages(model: RnnModel, optimizer: Optimizer, decay: number): void {
  const d = averageDecayAt(decay, optimizer.step);
  const trained = new Set(model.trainableVariables);
  for (const [name, variable] of model.params) {
    if (!trained.has(variable)) continue;
    const key = `${name}${AVERAGE_SLOT_SUFFIX}`;
    const average = optimizer.slots.get(key);
    if (!average) {
      // The first average is the weights themselves (a copy: the slot is updated in place).
      const copy = tf.tidy(() => tf.add(variable, 0));
      optimizer.slots.set(key, tf.variable(copy, false));
      copy.dispose();
      continue;
    }
    updateInPlace([average, variable], ([a, w]) => {
      if (!a || !w) return;
      const rate = 1 - d;
      for (let n = 0; n < a.length; n++)
        a[n] = (a[n] as number) + rate * ((w[n] as number) - (a[n] as number));
    });
  }
}

/**
 * Runs `use` with every averaged parameter's weights replaced by its average, and puts the
 * training weights back afterwards (also when `use` throws). `use` gets the training weights,
 * which a checkpoint stores beside the averaged model so that a resumed run trains on from them.
 * Without averages (averaging off, or no update yet) the weights are left as they are.
 */
export async function withAveragedWeights<T>(
  params: Map<string, tf.Variable>,
  optimizer: Optimizer,
  use: (trainingWeights: Map<string, tf.Tensor>) => Promise<T>,
): Promise<T> {
  const trainingWeights = new Map<string, tf.Tensor>();
  for (const [name, variable] of params) {
    const average = optimizer.slots.get(`${name}${AVERAGE_SLOT_SUFFIX}`);
    if (!average) continue;
    trainingWeights.set(name, tf.clone(variable));
    // A copy: the average changes in place, and kernels keep weights by data id (their data is
    // taken never to change), so the model must not share the average's.
    const copy = tf.tidy(() => tf.add(average, 0));
    variable.assign(copy);
    copy.dispose();
  }
  try {
    return await use(trainingWeights);
  } finally {
    for (const [name, weights] of trainingWeights) {
      params.get(name)?.assign(weights);
      weights.dispose();
    }
  }
}
