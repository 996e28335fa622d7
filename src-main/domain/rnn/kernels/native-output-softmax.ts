import * as tf from '@tensorflow/tfjs';
import type { NativeDims, RnnNativeAddon } from '../../../native/rnn-native';
import type { SoftmaxCrossEntropy } from '../softmax-cross-entropy';

/**
 * One softmax buffer kept between training steps: a fresh one (28 MB for a 10,000-word LM step)
 * costs its page faults on every step, more than the softmax itself. A node takes it for its
 * forward pass and puts it back after its backward pass; a node whose gradient is never asked
 * for (evaluation) lets the garbage collector have it.
 */
let spareSoftmaxBuffer: Float32Array | null = null;

function takeSoftmaxBuffer(size: number): Float32Array {
  const spare = spareSoftmaxBuffer;
  spareSoftmaxBuffer = null;
  return spare && spare.length === size ? spare : new Float32Array(size);
}

/**
 * The softmax output layer with its cross-entropy as one custom-gradient node over (h, kernel,
 * bias), run by the native addon (src-main/native/src/output_softmax.cc): logits = h kernel +
 * bias, softmax, loss and argmax forwards; (softmax - one-hot) x weight / count through the
 * three products backwards. The logits (rows x classes: 7 million numbers for a 10,000-word LM
 * step) never become TF.js tensors, so none of them is copied between wasm memory and JS, and
 * no bias add or bias-gradient sum runs on wasm. `tied`: the kernel is the embedding table
 * [classes, input], used transposed without a transposed copy, and its gradient comes back in
 * the table's shape. Same conventions as softmaxCrossEntropy (rows of weight 0 score nothing and
 * get no gradient; a NaN or infinite logit in a weighted row makes the loss NaN; a target
 * outside the classes an infinite loss; `smoothing` smooths the targets).
 */
export function nativeOutputSoftmax(
  addon: RnnNativeAddon,
  h: tf.Tensor2D,
  kernel: tf.Tensor2D,
  bias: tf.Tensor1D,
  ids: ArrayLike<number>,
  weights: ArrayLike<number>,
  tied: boolean,
  smoothing = 0,
): SoftmaxCrossEntropy {
  const [rows, input] = h.shape;
  const classes = bias.shape[0];
  const kernelShape = tied ? [classes, input] : [input, classes];
  if (ids.length !== rows || weights.length !== rows || kernel.shape.join() !== kernelShape.join())
    throw new Error(
      `nativeOutputSoftmax: ${ids.length} ids and ${weights.length} weights for h [${h.shape.join(', ')}], kernel [${kernel.shape.join(', ')}] and ${classes} classes`,
    );
  const dims: NativeDims = [rows, input, classes, tied ? 1 : 0, 0, 0];
  const idArray = Int32Array.from(ids);
  const weightArray = Float32Array.from(weights);
  const result = { correct: 0, count: 1 };
  const op = tf.customGrad((...received: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [hs, ks, bs] = received as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    const hData = hs.dataSync() as Float32Array;
    const kernelData = ks.dataSync() as Float32Array;
    let probs: Float32Array | null = takeSoftmaxBuffer(rows * classes);
    const [lossSum, correct, weightSum] = addon.outputSoftmaxForward(
      dims,
      hData,
      kernelData,
      idArray,
      weightArray,
      bs.dataSync() as Float32Array,
      probs,
      smoothing,
    );
    result.correct = correct;
    result.count = Math.max(weightSum, 1);
    const count = result.count;
    const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
      // The softmax buffer becomes the logits' gradient in place, then goes back to the spares.
      if (!probs) throw new Error('nativeOutputSoftmax: the gradient was asked for twice');
      const scale = (dy.dataSync()[0] as number) / count;
      const [dh, dKernel, dBias] = addon.outputSoftmaxBackward(
        dims,
        hData,
        kernelData,
        idArray,
        weightArray,
        probs,
        scale,
        smoothing,
      );
      spareSoftmaxBuffer = probs;
      probs = null;
      return [tf.tensor2d(dh, [rows, input]), tf.tensor2d(dKernel, ks.shape), tf.tensor1d(dBias)];
    };
    return { value: tf.scalar(lossSum / count), gradFunc };
  });
  const loss = op(h, kernel, bias) as tf.Scalar;
  return { loss, correct: result.correct, count: result.count };
}
