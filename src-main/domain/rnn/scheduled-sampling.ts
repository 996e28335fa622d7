/**
 * Scheduled sampling (Bengio et al. 2015) for an encoder-decoder, in the parallel two-pass form
 * (Duckworth et al. 2019; Mihaylova & Martins 2019) that keeps the engine's vectorised
 * teacher-forced decoder: a first forward pass without gradient (and without dropout) predicts
 * every target step from the reference prefix; then each decoder input after `<s>` becomes the
 * model's prediction of the previous step with probability `rate` (one draw of the training
 * generator per real step), and the training pass reads those inputs. Targets stay the
 * reference. Bengio et al. feed each step the prediction made from the already-mixed prefix,
 * which needs a step loop; here predictions come from the reference prefix.
 */
import * as tf from '@tensorflow/tfjs';
import { modelBatchOf } from './batching';
import type { TrainBatch } from './batching';
import type { Rng } from './random';
import type { RnnModel } from './rnn-model';

/**
 * The batch with some decoder inputs replaced by the model's predictions; the same batch when
 * `rate` is 0 or the model is not an encoder-decoder. The caller disposes the returned batch's
 * `decoderInputs` when it is not the given one's.
 */
export function withSampledDecoderInputs(
  model: RnnModel,
  batch: TrainBatch,
  rate: number,
  rng: Rng,
): TrainBatch {
  if (!(rate > 0) || model.config.pattern !== 'encoder-decoder') return batch;
  const { decoderInputs, decoderMask } = batch;
  if (!decoderInputs || !decoderMask) return batch;
  const [rows, steps] = decoderInputs.shape;
  const predicted = tf.tidy(() =>
    tf.argMax(model.forward(modelBatchOf(batch), { training: false }).logits, 2),
  );
  const predictions = predicted.dataSync(); // [steps, rows]: the prediction of target step t
  predicted.dispose();
  const inputs = Int32Array.from(decoderInputs.dataSync());
  const real = decoderMask.dataSync();
  for (let b = 0; b < rows; b++) {
    for (let t = 1; t < steps; t++) {
      if ((real[b * steps + t] as number) <= 0) continue;
      // Decoder input t is target t - 1: the model's guess at it comes from step t - 1.
      if (rng.next() < rate) inputs[b * steps + t] = predictions[(t - 1) * rows + b] as number;
    }
  }
  return { ...batch, decoderInputs: tf.tensor2d(inputs, [rows, steps], 'int32') };
}
