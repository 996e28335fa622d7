import * as tf from '@tensorflow/tfjs';
import { nativeRunnerFor } from './native-sequence';
import { unstackTime } from './step-helpers';
import type { SequenceInputs, SequenceKernel, SequenceResult } from './sequence-types';

/**
 * Runs a recurrent layer over a whole sequence as ONE node for autodiff: the forward pass is
 * the kernel's step loop, and the gradient is the kernel's own BPTT instead of the tape of
 * every small per-step op (what makes tf.layers' RNN slow to train).
 *
 * tf.customGrad allows one output tensor, so the op returns the output sequence and the final
 * cell state packed in one flat vector and unpacks them here (gradients flow through the
 * slices). Differentiable inputs: x, weights, h0 and c0 (so an encoder-decoder gets gradients
 * through the initial state); the mask gets a zero gradient.
 */
export function runSequence(kernel: SequenceKernel, inputs: SequenceInputs): SequenceResult {
  // The native addon (C++ over OpenBLAS) runs the same node when it is built; this TF.js path
  // stays the fallback (UNFOLD_RNN_KERNEL=tfjs forces it). See native-sequence.ts.
  const native = nativeRunnerFor(kernel);
  if (native) return native(inputs);
  if (inputs.reverse) {
    const flipped = runSequence(kernel, {
      ...inputs,
      x: tf.reverse(inputs.x, 0),
      mask: inputs.mask ? tf.reverse(inputs.mask, 0) : null,
      reverse: false,
    });
    return { ...flipped, outputs: tf.reverse(flipped.outputs, 0) };
  }
  const [time, batch] = inputs.x.shape;
  const outSize = kernel.outputSize;
  const cellSize = kernel.cellSize;
  const weightCount = inputs.weights.length;
  const c0 = cellSize > 0 ? (inputs.c0 ?? tf.zeros([batch, cellSize])) : null;
  const mask = inputs.mask;
  const args: tf.Tensor[] = [inputs.x, ...inputs.weights, inputs.h0];
  if (c0) args.push(c0);
  if (mask) args.push(mask);

  const op = tf.customGrad((...received: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = received.pop() as tf.GradSaveFunc;
    const unpack = (t: tf.Tensor[]): SequenceInputs => ({
      x: t[0] as tf.Tensor3D,
      weights: t.slice(1, 1 + weightCount),
      h0: t[1 + weightCount] as tf.Tensor,
      c0: c0 ? (t[2 + weightCount] as tf.Tensor) : null,
      mask: mask ? (t[args.length - 1] as tf.Tensor3D) : null,
    });
    const inputTensors = received as tf.Tensor[];
    const forward = kernel.forward(unpack(inputTensors));
    const listLengths = forward.cache.map((list) => list.length);
    // Inputs are saved too: intermediates of the forward function are disposed before backprop.
    // The engine keeps saved tensors only while a gradient tape records (no leak at inference).
    save([...inputTensors, ...forward.cache.flat()]);
    const parts = [tf.reshape(tf.stack(forward.outputs), [-1])];
    if (forward.finalCell) parts.push(tf.reshape(forward.finalCell, [-1]));
    const value = parts.length === 1 ? (parts[0] as tf.Tensor) : tf.concat(parts);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const cache: tf.Tensor[][] = [];
      const unpacked = unpack(saved.slice(0, args.length));
      let offset = args.length;
      for (const length of listLengths) {
        cache.push(saved.slice(offset, offset + length));
        offset += length;
      }
      const dOutputs = unstackTime(
        tf.reshape(tf.slice(dy, 0, time * batch * outSize), [time, batch, outSize]),
      );
      const dFinalCell =
        cellSize > 0
          ? (tf.reshape(tf.slice(dy, time * batch * outSize), [batch, cellSize]) as tf.Tensor)
          : null;
      const grads = kernel.backward(unpacked, cache, dOutputs, dFinalCell);
      const result: tf.Tensor[] = [grads.dx, ...grads.dWeights, grads.dh0];
      if (c0) result.push(grads.dc0 ?? tf.zerosLike(c0));
      if (mask) result.push(tf.zerosLike(mask));
      return result;
    };
    return { value, gradFunc };
  });

  const packed = op(...args);
  const outputs = tf.reshape(tf.slice(packed, 0, time * batch * outSize), [
    time,
    batch,
    outSize,
  ]) as tf.Tensor3D;
  const finalOutput = tf.reshape(tf.slice(outputs, [time - 1, 0, 0], [1, batch, outSize]), [
    batch,
    outSize,
  ]) as tf.Tensor;
  const finalCell =
    cellSize > 0
      ? (tf.reshape(tf.slice(packed, time * batch * outSize), [batch, cellSize]) as tf.Tensor)
      : null;
  return { outputs, finalOutput, finalCell };
}
