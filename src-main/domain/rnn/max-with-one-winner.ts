import * as tf from '@tensorflow/tfjs';

/**
 * Max over one axis of a 3-D tensor whose gradient goes to one maximal position (the first), as
 * a max-pooling layer's does (PyTorch's max returns one index too). tf.max's own gradient gives
 * the full gradient to every tied position (identical windows of a character CNN tie exactly),
 * and on wasm it builds that with a broadcast Equal over the whole input, which costs more than
 * the argmax and one-hot used here.
 */
export function maxWithOneWinner(x: tf.Tensor3D, axis: 0 | 1): tf.Tensor2D {
  const positions = x.shape[axis];
  // The one-hot comes out [other, features, positions]; these put positions back at `axis`.
  const back = axis === 0 ? [2, 0, 1] : [0, 2, 1];
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, save] = args as [tf.Tensor3D, tf.GradSaveFunc];
    save([input]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const first = tf.argMax(saved[0] as tf.Tensor3D, axis);
      // The wasm kernel of oneHot writes int32 bits into a float32 result when asked for
      // float32 (rnn/README.md): build it int32 and cast.
      const route = tf.transpose(tf.cast(tf.oneHot(first, positions), 'float32'), back);
      return [tf.mul(route, tf.expandDims(dy, axis))];
    };
    return { value: tf.max(input, axis), gradFunc };
  });
  return op(x) as tf.Tensor2D;
}
