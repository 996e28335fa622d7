import * as tf from '@tensorflow/tfjs';
import type { NativeDims, RnnNativeAddon } from '../../../native/rnn-native';
import { chooseRnnKernel } from './native-sequence';

/**
 * x [rows, in] @ w [in, out] for the per-frame output layer, as one custom-gradient node whose
 * backward needs no transposed operand: autodiff of tf.matMul multiplies by transposed operands,
 * which the wasm backend runs at under 1 GFLOP/s (PITFALLS.md; ~190 ms per training step of
 * model (a), a quarter of it with the native RNN kernel). With the native addon the three
 * products run on OpenBLAS; without it, on TF.js with explicit transposes.
 */
export function framewiseProduct(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  const { addon } = chooseRnnKernel();
  const [rows, inSize] = x.shape;
  const outSize = w.shape[1];
  const op = tf.customGrad((...received: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = received.pop() as tf.GradSaveFunc;
    const [xs, ws] = received as [tf.Tensor2D, tf.Tensor2D];
    if (addon) {
      const xData = xs.dataSync() as Float32Array;
      const wData = ws.dataSync() as Float32Array;
      const value = tf.tensor2d(
        nativeProduct(addon, [rows, outSize, inSize, 0, 0, 0], xData, wData),
        [rows, outSize],
      );
      const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
        const dyData = dy.dataSync() as Float32Array;
        return [
          tf.tensor2d(nativeProduct(addon, [rows, inSize, outSize, 0, 1, 0], dyData, wData), [
            rows,
            inSize,
          ]),
          tf.tensor2d(nativeProduct(addon, [inSize, outSize, rows, 1, 0, 0], xData, dyData), [
            inSize,
            outSize,
          ]),
        ];
      };
      return { value, gradFunc };
    }
    save([xs, ws]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [xSaved, wSaved] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [
        tf.matMul(dy as tf.Tensor2D, tf.transpose(wSaved)),
        tf.matMul(tf.transpose(xSaved), dy as tf.Tensor2D),
      ];
    };
    return { value: tf.matMul(xs, ws), gradFunc };
  });
  return op(x, w) as tf.Tensor2D;
}

function nativeProduct(
  addon: RnnNativeAddon,
  dims: NativeDims,
  a: Float32Array,
  b: Float32Array,
): Float32Array {
  return addon.matMul(dims, [a, b])[0] as Float32Array;
}
