import * as tf from '@tensorflow/tfjs';

/**
 * Embedding lookup with a gradient of its own: tf.gather's gradient needs UnsortedSegmentSum,
 * which the wasm backend lacks (PITFALLS.md). The gradient is a scatter-add of the output
 * gradient rows into a [vocab, dim] table, written in JS (a one-hot product would need a
 * [tokens, vocab] matrix: 100 MB for the tagger benchmark).
 */
export function embedLookup(table: tf.Tensor2D, ids: tf.Tensor): tf.Tensor {
  const [vocab, dim] = table.shape;
  const idShape = ids.shape;
  const flatIds = tf.reshape(ids, [-1]) as tf.Tensor1D;
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [t, i, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([i]);
    const value = tf.reshape(tf.gather(t, i as tf.Tensor1D), [...idShape, dim]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const idValues = (saved[0] as tf.Tensor).dataSync();
      const rows = dy.dataSync();
      const grad = new Float32Array(vocab * dim);
      for (let n = 0; n < idValues.length; n++) {
        const base = (idValues[n] as number) * dim;
        for (let d = 0; d < dim; d++)
          grad[base + d] = (grad[base + d] as number) + (rows[n * dim + d] as number);
      }
      return [tf.tensor2d(grad, [vocab, dim]), tf.zerosLike(saved[0] as tf.Tensor)];
    };
    return { value, gradFunc };
  });
  return op(table, flatIds);
}
