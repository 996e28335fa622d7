import * as tf from '@tensorflow/tfjs';
import { disposeBatch, makeBatch } from '../batching';
import type { SequenceExample } from '../batching';
import { disposeLayerStates } from '../rnn-model';
import type { RnnModel } from '../rnn-model';
import { computeGradients } from '../train';

/**
 * The worst relative difference between the model's loss gradient (computeGradients, no
 * dropout) and central finite differences of the loss, over about `probes` entries of every
 * parameter. With `only`, just the parameters whose name starts with one of its prefixes.
 */
export function worstGradientError(
  model: RnnModel,
  examples: SequenceExample[],
  { probes = 5, only }: { probes?: number; only?: string[] } = {},
): { worst: number; checked: number } {
  const batch = makeBatch(model.config, examples);
  const lossNow = (): number => {
    const r = computeGradients(model, batch, { training: false });
    tf.dispose([...r.grads.values()]);
    disposeLayerStates(r.finalStates);
    return r.loss;
  };
  const result = computeGradients(model, batch, { training: false });
  const eps = 1e-2;
  let worst = 0;
  let checked = 0;
  for (const [name, variable] of model.params) {
    if (only && !only.some((prefix) => name.startsWith(prefix))) continue;
    const base = variable.dataSync().slice();
    const analytic = (result.grads.get(name) as tf.Tensor).dataSync();
    const step = Math.max(1, Math.floor(base.length / probes));
    for (let e = 0; e < base.length; e += step) {
      const at = (delta: number): number => {
        const moved = base.slice();
        moved[e] = (moved[e] as number) + delta;
        variable.assign(tf.tensor(moved, variable.shape));
        return lossNow();
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      variable.assign(tf.tensor(base, variable.shape));
      worst = Math.max(
        worst,
        Math.abs((analytic[e] as number) - numeric) / (1 + Math.abs(numeric)),
      );
      checked += 1;
    }
  }
  tf.dispose([...result.grads.values()]);
  disposeLayerStates(result.finalStates);
  disposeBatch(batch);
  return { worst, checked };
}
